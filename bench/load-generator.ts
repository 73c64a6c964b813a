import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
}

/** One GET over a keep-alive agent; resolves with its latency in ms, or -1 for a non-200 / error. */
function timedGet(agent: Agent, target: LoadTarget): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(target.url, { agent, headers: target.headers }, (res) => {
      res.resume();
      res.once('end', () =>
        resolve(res.statusCode === 200 ? Number(process.hrtime.bigint() - started) / 1e6 : -1),
      );
    });
    req.once('error', () => resolve(-1));
    req.end();
  });
}

function summarize(latencies: number[], errors: number, seconds: number): LoadResult {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    requests: sorted.length,
    errors,
    seconds,
    requestsPerSecond: sorted.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

/** Closed loop: `concurrency` workers send back to back for `seconds` — measures capacity (req/s). */
export async function closedLoop(
  target: LoadTarget,
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const ms = await timedGet(agent, target);
        if (ms < 0) errors += 1;
        else latencies.push(ms);
      }
    }),
  );
  agent.destroy();
  return summarize(latencies, errors, Number(process.hrtime.bigint() - started) / 1e9);
}

/** Open loop: a fixed arrival rate for `seconds` — measures latency at that load (p50/p99). */
export async function openLoop(target: LoadTarget, perSecond: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let errors = 0;
  const total = perSecond * seconds;
  const started = process.hrtime.bigint();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = (i / perSecond) * 1000;
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (due > elapsed) await new Promise((resolve) => setTimeout(resolve, due - elapsed));
    inflight.push(
      timedGet(agent, target).then((ms) => {
        if (ms < 0) errors += 1;
        else latencies.push(ms);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return summarize(latencies, errors, Number(process.hrtime.bigint() - started) / 1e9);
}
