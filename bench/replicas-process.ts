import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ReplicaTokens } from './replicas-gateway';

export interface Replica {
  child: ChildProcess;
  url: string;
  pid: number;
  /** Set on the replica started with `mintProbes`. */
  tokens?: ReplicaTokens;
  /** Its own memory reports (with BENCH_MEMORY_EVERY_MS): when (Date.now()), heap used in bytes. */
  heap: { atMs: number; bytes: number }[];
}

interface ReadyLine {
  port: number;
  pid: number;
  tokens?: ReplicaTokens;
}

/** Starts bench/replicas-gateway.ts and waits for its ready line. */
export async function startReplica(
  env: Record<string, string>,
  mintProbes?: number,
  nodeOptions: string[] = [],
): Promise<Replica> {
  const child = spawn(process.execPath, [...nodeOptions, join(__dirname, 'replicas-gateway.js')], {
    env: {
      ...process.env,
      ...env,
      ...(mintProbes !== undefined ? { BENCH_MINT_PROBES: String(mintProbes) } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const heap: Replica['heap'] = [];
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const parsed = JSON.parse(line) as ReadyLine & { memory?: { heapUsed: number } };
      if (parsed.memory) heap.push({ atMs: Date.now(), bytes: parsed.memory.heapUsed });
      else resolve(parsed);
    });
  });
  return { child, url: `http://127.0.0.1:${ready.port}`, pid: ready.pid, tokens: ready.tokens, heap };
}

/** SIGTERM (the gateway drains and exits 0); resolves with the exit code. */
export function stopReplica(replica: Replica): Promise<number | null> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null)
    return Promise.resolve(replica.child.exitCode);
  return new Promise((resolve) => {
    replica.child.once('exit', (code) => resolve(code));
    replica.child.kill('SIGTERM');
  });
}
