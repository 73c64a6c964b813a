import { cpus } from 'node:os';
import type { FloodPhase, FloodResults } from './flood-benchmark';

export const FLOOD_HEADING = '## Flood of requests without valid credentials';

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const pass = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The flood section of docs/BENCHMARKS.md (`npm run bench -- --flood` refreshes only this section). */
export function renderFloodSection(results: FloodResults, date = new Date()): string {
  const { idle } = results;
  const viewerRow = (name: string, r: FloodPhase['viewer']) =>
    `| ${name} | ${r.requests} | ${r.errors} | ${f(r.p50Ms, 2)} | ${f(r.p99Ms, 2)} | ${f(r.p50Ms / idle.p50Ms, 2)}× / ${f(r.p99Ms / idle.p99Ms, 2)}× |`;
  const floodRow = (name: string, p: FloodPhase) => {
    const other = Object.entries(p.flood.byStatus)
      .filter(([status]) => status !== '401' && status !== '429')
      .reduce((sum, [, n]) => sum + n, 0);
    return `| ${name} | ${p.flood.requests} | ${f(p.flood.requests / p.flood.seconds, 0)} | ${p.flood.byStatus['401'] ?? 0} | ${p.flood.byStatus['429'] ?? 0} | ${other} |`;
  };
  const within = (p: FloodPhase) => p.viewer.errors === 0 && p.viewer.p50Ms <= 2 * idle.p50Ms;
  return [
    FLOOD_HEADING,
    '',
    `Measured ${date.toISOString()} by \`bench/flood-benchmark.ts\`. A viewer's proxied \`GET /apps\` (one client, back to`,
    `back), first idle, then while ${results.clients} keep-alive clients from ${results.addresses} addresses send requests`,
    'without valid credentials as fast as they get answers: half with no credential, half with bad API tokens (every',
    'other one a fresh random guess, otherwise the same stale token again). The flood runs in a worker thread of the',
    'benchmark process; the gateway runs with the default limit',
    `(\`AUTH_RATE_LIMIT_PER_MINUTE=${results.rateLimitPerMinute}\`) and \`TRUST_PROXY_HOPS=1\`, so each client's`,
    'X-Forwarded-For address is its own. "Behind a flooding address" puts the viewer on the same address as part of',
    'the flood (a shared NAT or CI runner).',
    `The machine's one-minute load average was ${f(results.loadAverage.before, 2)} before and ${f(results.loadAverage.after, 2)} after`,
    `(${cpus().length} cores, shared with other work), which weighs on every latency here.`,
    '',
    '| target | measured | result |',
    '|---|---|---|',
    `| viewer p50 under flood ≤ 2 × idle (own address) | ${f(results.ownAddress.viewer.p50Ms, 2)} ms vs ${f(idle.p50Ms, 2)} ms | ${pass(within(results.ownAddress))} |`,
    `| viewer p50 under flood ≤ 2 × idle (behind a flooding address) | ${f(results.sharedAddress.viewer.p50Ms, 2)} ms vs ${f(idle.p50Ms, 2)} ms | ${pass(within(results.sharedAddress))} |`,
    '',
    '| viewer | requests | errors | p50 ms | p99 ms | vs idle (p50 / p99) |',
    '|---|---|---|---|---|---|',
    viewerRow('idle', idle),
    viewerRow('under flood, own address', results.ownAddress.viewer),
    viewerRow('under flood, behind a flooding address', results.sharedAddress.viewer),
    '',
    '| flood | requests | req/s | 401 | 429 | other |',
    '|---|---|---|---|---|---|',
    floodRow('while the viewer had its own address', results.ownAddress),
    floodRow('while the viewer shared an address', results.sharedAddress),
    '',
    `Audit rows written while both floods ran: ${results.auditRowsDuringFloods} (the viewer's own calls included).`,
    `Audit rows from the flooding addresses once the gateway stopped and flushed its refusal summaries:`,
    `${results.auditRowsFromFlood} — one per address, reason and minute, however many requests.`,
    '',
  ].join('\n');
}

/** Puts `section` in place of the old flood section of `markdown`, or at its end. */
export function replaceFloodSection(markdown: string, section: string): string {
  const start = markdown.indexOf(FLOOD_HEADING);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}`;
  const next = markdown.indexOf('\n## ', start + FLOOD_HEADING.length);
  return `${markdown.slice(0, start)}${section}${next < 0 ? '' : markdown.slice(next + 1)}`;
}
