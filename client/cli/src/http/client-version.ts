import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** The CLI's own version from client/cli/package.json (two levels up from both src/http and dist/http). */
export function clientVersion(): string {
  if (!cached) {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    cached = manifest.version;
  }
  return cached;
}
