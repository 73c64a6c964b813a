import { execFileSync } from 'node:child_process';
import type { ServerUser } from './postgres-binaries';

const NAME = 'postgres';

/** The `postgres` system user PostgreSQL runs as when we are root, created (with its group) if missing. */
export function serverUser(): ServerUser {
  const existing = lookup();
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['--system', NAME], { stdio: 'ignore' });
  } catch {
    // The group may exist without the user.
  }
  try {
    execFileSync(
      'useradd',
      ['--system', '--gid', NAME, '--no-create-home', '--shell', '/usr/sbin/nologin', NAME],
      {
        stdio: 'pipe',
      },
    );
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and the "${NAME}" user could not be created (${firstLineOf(error)}); create it, or run as a normal user`,
    );
  }
  const created = lookup();
  if (!created) throw new Error(`the "${NAME}" user was created but cannot be found`);
  return created;
}

function lookup(): ServerUser | undefined {
  try {
    const uid = Number(
      execFileSync('id', ['-u', NAME], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    const gid = Number(
      execFileSync('id', ['-g', NAME], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    return { name: NAME, uid, gid };
  } catch {
    return undefined;
  }
}

function firstLineOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] || 'no details';
}
