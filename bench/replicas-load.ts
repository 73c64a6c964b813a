import { Agent, request } from 'node:http';

export interface RoundRobinResult {
  /** Requests answered (any status). */
  requests: number;
  /** Answered per replica, in the order of `urls`. */
  byReplica: number[];
  byStatus: Record<string, number>;
  /** Requests that got no answer (connection errors). */
  failed: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Closed loop across replicas, as a load balancer spreads it: request i goes to replica i mod n, each
 * replica over its own keep-alive connections. Every answer is counted by status, so the audit can be
 * compared with what was sent.
 */
export async function roundRobin(
  urls: string[],
  path: string,
  headers: Record<string, string>,
  concurrency: number,
  seconds: number,
): Promise<RoundRobinResult> {
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: concurrency }));
  const byReplica = urls.map(() => 0);
  const byStatus: Record<string, number> = {};
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  const once = (index: number) =>
    new Promise<void>((resolve) => {
      const sent = process.hrtime.bigint();
      const req = request(`${urls[index]}${path}`, { agent: agents[index], headers }, (res) => {
        res.resume();
        res.once('end', () => {
          latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
          byReplica[index] += 1;
          byStatus[String(res.statusCode)] = (byStatus[String(res.statusCode)] ?? 0) + 1;
          resolve();
        });
      });
      req.once('error', () => {
        failed += 1;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) await once(next++ % urls.length);
    }),
  );
  agents.forEach((agent) => agent.destroy());
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    requests: sorted.length,
    byReplica,
    byStatus,
    failed,
    seconds: elapsed,
    requestsPerSecond: sorted.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
