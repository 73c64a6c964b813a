import { readFileSync } from 'node:fs';

/** VmRSS / VmHWM of a process in bytes, from /proc/<pid>/status (Linux). */
export function processMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Samples a process's RSS every `intervalMs` until stopped; reports the baseline and the peak seen. */
export function sampleRss(pid: number, intervalMs = 25): () => { baseline: number; peak: number } {
  const baseline = processMemory(pid).rss;
  let peak = baseline;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, processMemory(pid).rss);
    } catch {
      // The process ended; keep what we have.
    }
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return { baseline, peak };
  };
}
