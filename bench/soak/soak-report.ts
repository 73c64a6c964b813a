import { cpus } from 'node:os';
import { SOAK_HEADING } from '../report-sections';
import type { SoakResults } from './soak-benchmark';

/**
 * A slope under this (MiB per minute after warm-up) is flat: not rising. A fit over minutes of a garbage-collected
 * process cannot resolve much less; the live heap is the finer leak indicator.
 */
export const FLAT_MIB_PER_MINUTE = 0.5;

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

/** About a dozen samples, evenly spread, the last included: enough to see the shape in a table cell. */
function thinned<T>(samples: T[]): T[] {
  const every = Math.max(1, Math.ceil(samples.length / 12));
  return samples.filter((_s, i) => i % every === 0 || i === samples.length - 1);
}

export function renderSoakSection(r: SoakResults, date = new Date()): string {
  const { workload, rss, heap, audit } = r;
  const fitted = rss.samples.filter((s) => s.at >= rss.warmupSeconds);
  const first = fitted[0]?.mib ?? NaN;
  const last = fitted[fitted.length - 1]?.mib ?? NaN;
  const peak = Math.max(...rss.samples.map((s) => s.mib));
  const liveAfterWarmup = heap.samples.filter((s) => s.at >= rss.warmupSeconds);
  const heapFirst = liveAfterWarmup[0]?.mib ?? NaN;
  const heapLast = liveAfterWarmup[liveAfterWarmup.length - 1]?.mib ?? NaN;
  // One-sided: memory given back is not a leak.
  const flat = rss.slopeMiBPerMinute < FLAT_MIB_PER_MINUTE;
  const shown = thinned(rss.samples);
  return [
    SOAK_HEADING,
    '',
    `Measured ${date.toISOString()} by \`npm run bench -- --soak\` (\`bench/soak/\`), ${f(r.seconds / 60, 1)} minutes`,
    `(${r.seconds} s${r.seconds < 600 ? '; the default is 10 minutes, this run was shortened with `--soak-seconds`' : ''}).`,
    'One gateway process under a steady mix, each kind in its own loop: reads (4 loops, one call per 100 ms each),',
    'an env change every 3 s, a logs websocket every 2 s (alternately 256 KiB read to the EOF and a following',
    'stream the client leaves after 1.5 s), `exec echo` every 2 s, a 2 MiB upload every 4 s, and refusals — a',
    "viewer's env change every second (403), a viewer's exec every 5 s (refused in-band, 4403) and an unknown",
    'token every 2 s (401). Then SIGTERM (the gateway drains), and the audit trail is counted and verified.',
    `The one-minute load average was ${f(r.loadAverage.before, 2)} before and ${f(r.loadAverage.after, 2)} after (${cpus().length} cores, shared`,
    'with other work).',
    '',
    '| check | measured | held |',
    '|---|---|---|',
    `| no unexpected outcome | ${workload.unexpected} of ${workload.calls} calls | ${yes(workload.unexpected === 0)} |`,
    `| RSS flat after warm-up (slope < ${FLAT_MIB_PER_MINUTE} MiB/min) | ${f(rss.slopeMiBPerMinute, 3)} MiB/min (r² ${f(rss.r2, 2)}), ${f(first)} → ${f(last)} MiB, peak ${f(peak)} MiB | ${yes(flat)} |`,
    `| live heap flat after warm-up (after a full collection every 15 s) | ${f(heap.slopeMiBPerMinute, 3)} MiB/min, ${f(heapFirst)} → ${f(heapLast)} MiB | ${yes(heap.slopeMiBPerMinute < FLAT_MIB_PER_MINUTE)} |`,
    `| audit calls = calls sent | ${audit.calls} = ${workload.calls} (${audit.rows} rows; refusal floods fold) | ${yes(audit.calls === workload.calls)} |`,
    `| no audit event left open | ${audit.open} | ${yes(audit.open === 0 && audit.chain.open === 0)} |`,
    `| audit chain verifies | ${audit.chain.checked} events checked${audit.chain.problem ? `: ${audit.chain.problem}` : ''} | ${yes(audit.chain.ok)} |`,
    `| exits 0 after SIGTERM | ${r.exitCode} | ${yes(r.exitCode === 0)} |`,
    '',
    '| kind | calls | unexpected |',
    '|---|---|---|',
    ...Object.entries(workload.byKind).map(([kind, t]) => `| ${kind} | ${t.sent} | ${t.unexpected} |`),
    '',
    `RSS samples (every ${f(rss.samples[1]?.at ?? 5, 0)} s; the first ${f(rss.warmupSeconds, 0)} s are warm-up and not fitted):`,
    shown.map((s) => `${f(s.at, 0)} s ${f(s.mib)} MiB`).join(' · '),
    '',
    'Live heap (the gateway runs with `--expose-gc` and reports its heap in use after a full collection every 15 s):',
    thinned(heap.samples)
      .map((s) => `${f(s.at, 0)} s ${f(s.mib)} MiB`)
      .join(' · '),
    ...(workload.samples.length > 0
      ? ['', 'Unexpected outcomes (first ten):', ...workload.samples.map((s) => `- ${s}`)]
      : []),
    '',
  ].join('\n');
}
