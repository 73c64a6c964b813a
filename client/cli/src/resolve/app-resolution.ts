import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Reads the nearest `.convox/app` from `start` upwards (how convox links a directory to an app). */
export function findLinkedApp(start: string): string | undefined {
  let directory = start;
  for (;;) {
    try {
      const name = readFileSync(join(directory, '.convox', 'app'), 'utf8').trim();
      if (name) return name;
    } catch {
      // no link file at this level; keep walking up
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** `-a/--app` → CONVOX_APP → `.convox/app` walking up → the directory's name. */
export function resolveAppName(flagApp: string | undefined, envApp: string | undefined, cwd: string): string {
  return flagApp ?? envApp ?? findLinkedApp(cwd) ?? basename(cwd);
}
