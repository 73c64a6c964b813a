import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { create as createTar } from 'tar';
import type { Ignore } from 'ignore';
import { CliError } from '../cli/cli-error';
import { loadDockerignore } from './dockerignore';
import { errorText } from '../cli/error-text';

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * Every file (and symlink, kept as a link) of the build context that .dockerignore does not exclude,
 * as sorted POSIX paths relative to the context. Excluded directories are not descended into.
 */
export function listContextFiles(
  contextDir: string,
  matcher: Ignore = loadDockerignore(contextDir),
): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const absolute = join(directory, entry.name);
      const path = toPosix(relative(contextDir, absolute));
      if (entry.isDirectory()) {
        if (!matcher.ignores(`${path}/`)) walk(absolute);
      } else if (!matcher.ignores(path)) {
        files.push(path);
      }
    }
  };
  walk(contextDir);
  return files.sort();
}

export interface SourceArchive {
  path: string;
  fileCount: number;
  /** Removes the temporary archive. */
  dispose(): void;
}

/**
 * Writes a gzipped tar of the context to a temporary file, streaming entry by entry, so the upload can
 * send it with a Content-Length without holding it in memory.
 */
export async function createSourceArchive(contextDir: string): Promise<SourceArchive> {
  let files: string[];
  try {
    files = listContextFiles(contextDir);
  } catch (error) {
    throw new CliError(`cannot read the build directory ${contextDir}: ${errorText(error)}`);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'rack-gateway-source-'));
  const path = join(workDir, 'source.tgz');
  const dispose = () => rmSync(workDir, { recursive: true, force: true });
  try {
    await createTar({ gzip: true, file: path, cwd: contextDir, portable: true, noDirRecurse: true }, files);
  } catch (error) {
    dispose();
    throw new CliError(`cannot archive ${contextDir}: ${errorText(error)}`);
  }
  return { path, fileCount: files.length, dispose };
}
