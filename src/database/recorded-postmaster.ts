import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A PostgreSQL server found running on a cluster folder, as its `postmaster.pid` records it. */
export interface RecordedPostmaster {
  pid: number;
  port: number;
}

/**
 * Reads `postmaster.pid` (line 1: pid, line 4: port) and answers only if that process is still a running
 * PostgreSQL. A file left by a server that was killed, or a pid the system has since given to something
 * else, answers undefined: PostgreSQL itself replaces such a stale file when it starts.
 */
export function recordedPostmaster(clusterDir: string): RecordedPostmaster | undefined {
  const file = join(clusterDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  return isRunningPostgres(pid) ? { pid, port } : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user (the server user, when we are not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** An exited child whose new parent has not reaped it yet (a container's init may never do so). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function isRunningPostgres(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const comm = `/proc/${pid}/comm`;
  // Where /proc exists, make sure the pid was not reused by another program.
  return !existsSync(comm) || readFileSync(comm, 'utf8').trim() === 'postgres';
}

/**
 * Stops a server no process of ours owns any more (its launcher was killed): a fast shutdown (SIGINT) that
 * ends sessions and checkpoints, then SIGQUIT if it has not gone after 30 s.
 */
export async function stopRecordedPostmaster(server: RecordedPostmaster): Promise<void> {
  process.kill(server.pid, 'SIGINT');
  if (await exited(server.pid, 30_000)) return;
  process.kill(server.pid, 'SIGQUIT');
  if (!(await exited(server.pid, 5_000))) {
    throw new Error(
      `the PostgreSQL server with pid ${server.pid} does not stop; end it by hand: kill -9 ${server.pid}`,
    );
  }
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}
