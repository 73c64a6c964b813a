import { processMemory } from '../process-memory';

export interface RssSample {
  /** Seconds since sampling started. */
  at: number;
  mib: number;
}

export interface RssTrend {
  samples: RssSample[];
  /** Least-squares slope over the samples after the warm-up, in MiB per minute. */
  slopeMiBPerMinute: number;
  /** How much of the variation the line explains (0…1): a small slope with a low r² is noise, not a leak. */
  r2: number;
  /** Samples before this many seconds are the warm-up (caches filling, JIT) and not fitted. */
  warmupSeconds: number;
}

/** Samples a process's RSS every `intervalMs` until stopped. */
export function sampleRssOver(pid: number, intervalMs: number): () => RssSample[] {
  const started = Date.now();
  const samples: RssSample[] = [];
  const take = () => {
    try {
      samples.push({ at: (Date.now() - started) / 1000, mib: processMemory(pid).rss / 1024 / 1024 });
    } catch {
      // The process ended; keep what we have.
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return () => {
    clearInterval(timer);
    return samples;
  };
}

/** Fits a line to the samples after `warmupSeconds`. */
export function fitRssTrend(samples: RssSample[], warmupSeconds: number): RssTrend {
  const fitted = samples.filter((s) => s.at >= warmupSeconds);
  const n = fitted.length;
  const meanX = fitted.reduce((sum, s) => sum + s.at, 0) / n;
  const meanY = fitted.reduce((sum, s) => sum + s.mib, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const s of fitted) {
    sxy += (s.at - meanX) * (s.mib - meanY);
    sxx += (s.at - meanX) ** 2;
    syy += (s.mib - meanY) ** 2;
  }
  const slopePerSecond = sxx > 0 ? sxy / sxx : NaN;
  return {
    samples,
    slopeMiBPerMinute: slopePerSecond * 60,
    r2: sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : 0,
    warmupSeconds,
  };
}

export interface LiveHeapTrend {
  /** Heap in use right after a full collection: what the process keeps, without its garbage. */
  samples: RssSample[];
  slopeMiBPerMinute: number;
}

/** A leak shows as live heap that keeps rising; fitted after the warm-up like the RSS. */
export function liveHeapTrend(heap: { at: number; bytes: number }[], warmupSeconds: number): LiveHeapTrend {
  const samples = heap.map((s) => ({ at: s.at, mib: s.bytes / 1024 / 1024 }));
  return { samples, slopeMiBPerMinute: fitRssTrend(samples, warmupSeconds).slopeMiBPerMinute };
}
