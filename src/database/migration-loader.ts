import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** `migrations/` sits beside `src/` in the repo and beside `dist/src/` after a build. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');

const MIGRATION_FILE = /^\d{13}-[A-Za-z0-9]+\.(ts|js)$/;

/**
 * Loads every migration class from `migrations/`, ordered by the epoch-ms prefix of its file name.
 * Scanning the folder (instead of keeping a list) lets each module add its migration without editing
 * a shared file; `require` keeps it working both under Jest's transform and in the built output.
 */
export function loadMigrations(dir: string = MIGRATIONS_DIR): MigrationClass[] {
  const files = readdirSync(dir)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort();
  return files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(join(dir, file)) as Record<string, unknown>;
    const classes = Object.values(exported).filter(
      (value): value is MigrationClass => typeof value === 'function',
    );
    if (classes.length !== 1) throw new Error(`migration ${file} must export exactly one class`);
    return classes[0];
  });
}
