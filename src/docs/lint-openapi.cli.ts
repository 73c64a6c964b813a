import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './generated-docs';

/** The problems Redocly's `recommended` ruleset finds in a document, as `severity rule: message at path`. */
export async function lintOpenApi(file: string): Promise<{ errors: string[]; warnings: string[] }> {
  // ESM-only package: loaded with a dynamic import from this CommonJS build.
  const redocly = await import('@redocly/openapi-core');
  const config = await redocly.createConfig({ extends: ['recommended'] });
  const problems = await redocly.lintFromString({
    source: readFileSync(file, 'utf8'),
    absoluteRef: file,
    config,
  });
  const describe = (p: (typeof problems)[number]) =>
    `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '#'}`;
  return {
    errors: problems.filter((p) => p.severity === 'error').map(describe),
    warnings: problems.filter((p) => p.severity === 'warn').map(describe),
  };
}

/** `npm run docs:lint`: lints docs/openapi.json offline and exits non-zero on any error. */
async function main(): Promise<void> {
  const { errors, warnings } = await lintOpenApi(join(repoRoot(), 'docs', 'openapi.json'));
  for (const line of warnings) console.log(`warning ${line}`);
  for (const line of errors) console.log(`error ${line}`);
  console.log(`docs/openapi.json: ${errors.length} errors, ${warnings.length} warnings`);
  if (errors.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
