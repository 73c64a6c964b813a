import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Docker anchors every .dockerignore pattern at the context root (`foo` means `./foo`, not any
 * `foo` below), while gitignore — which the `ignore` package implements — lets a slash-less pattern
 * match at any depth. Prefixing `/` gives the Docker meaning; `**` patterns already say "any depth".
 */
export function dockerignoreToGitignore(text: string): string[] {
  const patterns: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    line = line.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
    if (!line || line === '.') continue;
    const anchored = line.startsWith('**') ? line : `/${line}`;
    patterns.push(`${negated ? '!' : ''}${anchored}`);
  }
  return patterns;
}

/** The matcher for a build context; an absent .dockerignore excludes nothing. */
export function loadDockerignore(contextDir: string): Ignore {
  const matcher = ignore();
  try {
    matcher.add(dockerignoreToGitignore(readFileSync(join(contextDir, '.dockerignore'), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return matcher;
}
