import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; 100 per second on every common kernel configuration. */
const TICK_MS = 10;

/** CPU time (user + system) in ms used so far by each party of a run. */
export interface CpuSnapshot {
  server: number;
  postgres: number;
  bench: number;
}

/** CPU ms per request by party over one load run, and their sum (what the two cores had to give per request). */
export interface CpuPerRequest {
  serverMs: number;
  postgresMs: number;
  benchMs: number;
  totalMs: number;
}

/** The parties whose CPU a run is charged with: the process serving the path and the PostgreSQL server. */
export interface CpuParties {
  /** The gateway or reference server child; undefined when the bench process answers itself (direct). */
  serverPid?: number;
  /** The postmaster; its backends are its children. */
  postmasterPid?: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (and, with `reaped`, the CPU of children it already waited for) in ms. */
export function cpuMsOf(pid: number, reaped = false): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  const own = Number(fields[11]) + Number(fields[12]);
  const children = reaped ? Number(fields[13]) + Number(fields[14]) : 0;
  return (own + children) * TICK_MS;
}

function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields && Number(fields[1]) === parent) pids.push(Number(name));
  }
  return pids;
}

/**
 * The embedded PostgreSQL's postmaster started by this process on `port` (its command line names the port
 * after `-p`); backends, the WAL writer and the checkpointer are its children.
 */
export function postmasterOn(port: number): number | undefined {
  for (const pid of childrenOf(process.pid)) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const at = args.indexOf('-p');
    if (/postgres$/.test(args[0] ?? '') && at >= 0 && args[at + 1] === String(port)) return pid;
  }
  return undefined;
}

/** CPU used so far by the server child, by PostgreSQL (postmaster, live backends, reaped backends), and by us. */
export function cpuSnapshot(parties: CpuParties): CpuSnapshot {
  const { postmasterPid, serverPid } = parties;
  const postgres =
    postmasterPid === undefined
      ? 0
      : cpuMsOf(postmasterPid, true) + childrenOf(postmasterPid).reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  const usage = process.cpuUsage();
  return {
    server: serverPid === undefined ? 0 : cpuMsOf(serverPid),
    postgres,
    bench: (usage.user + usage.system) / 1000,
  };
}

export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuPerRequest {
  const per = (ms: number) => ms / Math.max(1, requests);
  const serverMs = per(after.server - before.server);
  const postgresMs = per(after.postgres - before.postgres);
  const benchMs = per(after.bench - before.bench);
  return { serverMs, postgresMs, benchMs, totalMs: serverMs + postgresMs + benchMs };
}
