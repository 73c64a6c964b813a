import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { freePort } from '../gateway-process';
import { tallyAudit, type AuditTally } from '../replicas-audit';
import { startReplica, stopReplica, type Replica } from '../replicas-process';
import { fitRssTrend, liveHeapTrend, sampleRssOver, type LiveHeapTrend, type RssTrend } from './rss-trend';
import { runWorkload, type WorkloadTally } from './soak-workload';

const RSS_EVERY_MS = 5000;
/** How often the gateway is collected and reports its live heap (a full collection costs it ~0.1 s). */
const LIVE_HEAP_EVERY_MS = 15_000;

export interface SoakResults {
  seconds: number;
  workload: WorkloadTally;
  rss: RssTrend;
  heap: LiveHeapTrend;
  audit: AuditTally;
  exitCode: number | null;
  loadAverage: { before: number; after: number };
}

/**
 * One gateway under the mixed load for `seconds`, its RSS sampled throughout; then stopped with SIGTERM
 * (it drains and flushes) and its audit trail counted against the calls sent and verified.
 */
export async function runSoak(
  databaseUrl: string,
  rack: { url: string; password: string },
  seconds: number,
  log: (line: string) => void,
): Promise<SoakResults> {
  const hmacKey = randomBytes(32).toString('hex');
  let gateway: Replica | undefined = await startReplica(
    {
      SESSION_SECRET: randomBytes(32).toString('hex'),
      AUDIT_HMAC_SECRET: hmacKey,
      BENCH_GATEWAY_PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      RACK_URL: rack.url,
      RACK_TOKEN: rack.password,
      BENCH_MEMORY_EVERY_MS: String(LIVE_HEAP_EVERY_MS),
    },
    0,
    ['--expose-gc'],
  );
  try {
    const tokens = { load: gateway.tokens!.load, viewer: gateway.tokens!.viewer };
    const loadAverageBefore = loadavg()[0];
    const since = new Date();
    const stopSampling = sampleRssOver(gateway.pid, RSS_EVERY_MS);
    log(`soak: mixed load for ${seconds} s`);
    const progress = setInterval(
      () => log(`soak: ${Math.round((Date.now() - since.getTime()) / 1000)} s`),
      60_000,
    );
    const workload = await runWorkload(gateway.url, tokens, since.getTime() + seconds * 1000).finally(() =>
      clearInterval(progress),
    );
    const samples = stopSampling();
    // Warm-up, not fitted: V8 grows its heap under a new load before its collections settle (a minute,
    // or a third of a shorter run).
    const warmup = Math.max(60, seconds / 3);
    const loadAverageAfter = loadavg()[0];
    const heapSamples = gateway.heap
      .filter((sample) => sample.atMs >= since.getTime())
      .map((sample) => ({ at: (sample.atMs - since.getTime()) / 1000, bytes: sample.bytes }));
    const exitCode = await stopReplica(gateway);
    gateway = undefined;
    const audit = await tallyAudit(databaseUrl, hmacKey, since);
    return {
      seconds,
      workload,
      rss: fitRssTrend(samples, warmup),
      heap: liveHeapTrend(heapSamples, warmup),
      audit,
      exitCode,
      loadAverage: { before: loadAverageBefore, after: loadAverageAfter },
    };
  } finally {
    if (gateway) await stopReplica(gateway);
  }
}
