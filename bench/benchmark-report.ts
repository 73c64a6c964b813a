import { cpus, totalmem } from 'node:os';
import type { AuditWriteCost } from './audit/audit-write-cost';
import type { FloodResults } from './flood-benchmark';
import { renderFloodSection } from './flood-report';
import type { GatewayBenchmarkResults } from './gateway-benchmarks';
import type { LoadResult } from './load-generator';
import { renderAdapterDecision, renderCpuSection } from './cpu-report';
import { renderProfileSection } from './profile-report';

export interface BenchmarkResults extends GatewayBenchmarkResults {
  audit?: { benchmark: string; events: number; medianMs: number; maxMs: number }[];
  flood?: FloodResults;
  auditWriteCost?: AuditWriteCost;
}

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const pct = (ratio: number) => `${f(ratio * 100)} %`;
const pass = (ok: boolean) => (ok ? 'met' : '**missed**');
const MB = 1e6;

/** The targets, each as measured in this run. */
function targetRows(r: BenchmarkResults): string[] {
  const { capacity, oneClient, fixedRate, upload, logs, commit } = r;
  const share = capacity.gateway.requestsPerSecond / capacity.plainProxy.requestsPerSecond;
  const addedP50 = oneClient.gateway.p50Ms - oneClient.direct.p50Ms;
  const p50Budget = commit.commitMs + 1;
  const achieved = fixedRate.gateway.requestsPerSecond;
  const allAchieved = fixedRate.gateway.errors === 0 && achieved >= fixedRate.perSecond * 0.99;
  const addedP99 = fixedRate.gateway.p99Ms - fixedRate.direct.p99Ms;
  const uploadShare = upload.gateway.mibPerSecond / upload.direct.mibPerSecond;
  const rssGrowth = upload.gateway.rssGrowthMiB * 1024 ** 2;
  const logsShare = logs.gateway.mibPerSecond / logs.direct.mibPerSecond;
  return [
    '| target | measured | result |',
    '|---|---|---|',
    `| ${capacity.concurrency} clients: gateway ≥ 50 % of the plain Node proxy | ${pct(share)} (${f(capacity.gateway.requestsPerSecond, 0)} vs ${f(capacity.plainProxy.requestsPerSecond, 0)} req/s) | ${pass(share >= 0.5)} |`,
    `| one client: added p50 ≤ one durable commit + 1 ms | ${f(addedP50, 2)} ms vs ${f(p50Budget, 2)} ms | ${pass(addedP50 <= p50Budget)} |`,
    `| offered ${fixedRate.perSecond} req/s: all achieved (≥ 99 %, no errors) | ${f(achieved, 0)} req/s, ${fixedRate.gateway.errors} errors | ${pass(allAchieved)} |`,
    `| offered ${fixedRate.perSecond} req/s: added p99 ≤ 10 ms | ${f(addedP99, 2)} ms | ${pass(addedP99 <= 10)} |`,
    `| ${sizeOf(upload.direct.bytes)} upload ≥ 80 % of direct | ${pct(uploadShare)} | ${pass(uploadShare >= 0.8)} |`,
    `| gateway RSS growth during the upload < 64 MB | ${f(rssGrowth / MB)} MB | ${pass(rssGrowth < 64 * MB)} |`,
    `| logs websocket ≥ 80 % of direct | ${pct(logsShare)} | ${pass(logsShare >= 0.8)} |`,
    `| after the load and shutdown: chain verifies, 0 open events | ${r.auditAfterLoad.events} events, verifies: ${r.auditAfterLoad.ok}, open: ${r.auditAfterLoad.open} | ${pass(r.auditAfterLoad.ok && r.auditAfterLoad.open === 0)} |`,
    ...(r.auditAfterLoad.openEvents.length > 0
      ? ['', 'Events left open (first five):', ...r.auditAfterLoad.openEvents.map((e) => `- \`${e}\``)]
      : []),
  ];
}

/**
 * What the gateway waited on PostgreSQL per request with one client (the unprofiled one-client run), by
 * statement — the audit append, with any outcome riding along, among them — against one durable commit:
 * the part of the one-client p50 that is the audit write.
 */
function oneClientWaitLines(r: BenchmarkResults): string[] {
  const waits = r.oneClientPostgresMs;
  if (waits.length === 0) return [];
  const total = waits.reduce((sum, [, ms]) => sum + ms, 0);
  const named = waits
    .slice(0, 4)
    .map(([statement, ms]) => `\`${statement}\` ${f(ms, 2)} ms`)
    .join(', ');
  return [
    `With one client the gateway’s queries took ${f(total, 2)} ms per request on average, from send to ` +
      `answer (${named}; background polls included), against ${f(r.commit.commitMs, 2)} ms for one durable ` +
      'single-row commit.',
    '',
  ];
}

const sizeOf = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${f(bytes / 1024 ** 3, 0)} GiB` : `${f(bytes / 1024 ** 2, 0)} MiB`;

function loadRows(r: BenchmarkResults['capacity'] | BenchmarkResults['oneClient'], plain: number): string[] {
  const row = (name: string, x: LoadResult | undefined) =>
    x
      ? `| ${name} | ${x.requests} | ${x.errors} | ${f(x.requestsPerSecond, 0)} | ${pct(x.requestsPerSecond / plain)} | ${f(x.p50Ms, 2)} | ${f(x.p99Ms, 2)} |`
      : `| ${name} | not measured | | | | | |`;
  return [
    '| path | requests | errors | req/s | of plain proxy | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|',
    row('direct to the mock rack', r.direct),
    row('plain Node `http` proxy (reference)', r.plainProxy),
    row('minimal Nest on Express (reference)', r.nestExpress),
    row('minimal Nest on Fastify (reference)', r.nestFastify),
    row('rack-gateway (token, RBAC, audit)', r.gateway),
  ];
}

/** docs/BENCHMARKS.md: the machine, the date, each figure and whether it meets its target. */
export function renderBenchmarkReport(results: BenchmarkResults, date = new Date()): string {
  const { capacity, oneClient, fixedRate, upload, logs, commit, loadAverage } = results;
  const openRow = (name: string, x: LoadResult) =>
    `| ${name} | ${x.requests} | ${x.errors} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms, 2)} | ${f(x.p99Ms, 2)} | ${f(x.p99Ms - fixedRate.direct.p99Ms, 2)} |`;
  const lines = [
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (`bench/run-benchmarks.ts`); rerun it to refresh this file (`npm run bench --',
    '--flood` refreshes only the flood section, which carries its own date; `-- --quick` runs the HTTP and',
    'stream scenarios shorter and smaller, for comparing a change on a busy machine, and keeps the audit-query',
    'and flood sections as they were). Everything runs on',
    'loopback: the mock rack and the load generator in the benchmark process; the gateway and each reference',
    'server in a child process of its own (so the gateway’s memory is measured alone, from `/proc/<pid>/status`);',
    'PostgreSQL embedded, with durable commits (fsync on). Every request through the gateway is authenticated',
    'with an API token, authorized, and audited (its event durable before forwarding). The references show',
    'what the same request costs without the gateway’s work: a pass-through proxy on Node’s `http` alone, and',
    'the smallest NestJS app with the gateway’s shape (one global guard reading a header, one controller piping',
    'to the rack, no database) on each adapter.',
    '',
    `- Date: ${date.toISOString()}`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${f(totalmem() / 1024 ** 3)} GiB memory`,
    `- Node: ${process.version}`,
    results.scale.name === 'full'
      ? `- Scale: full (${results.scale.seconds} s per load, ${sizeOf(upload.direct.bytes)} upload)`
      : `- Scale: **quick** (\`--quick\`: ${results.scale.seconds} s per load, ${sizeOf(upload.direct.bytes)} upload; compare ratios only, the targets are stated for the full run)`,
    `- One-minute load average before / after the HTTP runs: ${f(loadAverage.before, 2)} / ${f(loadAverage.after, 2)} (2 cores; anything above ~0.3 before means other work shared the machine and every figure is pessimistic)`,
    `- One durable PostgreSQL commit (single-row INSERT, median of ${commit.samples}): ${f(commit.commitMs, 2)} ms; a \`SELECT 1\` round trip: ${f(commit.roundTripMs, 2)} ms`,
    '',
    '## Targets',
    '',
    ...targetRows(results),
    '',
    `## \`GET /apps\`, closed loop (${capacity.concurrency} concurrent clients, keep-alive)`,
    '',
    ...loadRows(capacity, capacity.plainProxy.requestsPerSecond),
    '',
    '## `GET /apps`, closed loop, one client',
    '',
    ...loadRows(oneClient, oneClient.plainProxy.requestsPerSecond),
    '',
    `Added p50 (path − direct): plain proxy ${f(oneClient.plainProxy.p50Ms - oneClient.direct.p50Ms, 2)} ms, ` +
      `minimal Nest on Express ${f((oneClient.nestExpress?.p50Ms ?? NaN) - oneClient.direct.p50Ms, 2)} ms, ` +
      `on Fastify ${f((oneClient.nestFastify?.p50Ms ?? NaN) - oneClient.direct.p50Ms, 2)} ms, ` +
      `rack-gateway ${f(oneClient.gateway.p50Ms - oneClient.direct.p50Ms, 2)} ms.`,
    '',
    ...oneClientWaitLines(results),
    `## \`GET /apps\`, open loop (offered ${fixedRate.perSecond} req/s)`,
    '',
    '| path | requests | errors | achieved req/s | p50 ms | p99 ms | added p99 ms |',
    '|---|---|---|---|---|---|---|',
    openRow('direct to the mock rack', fixedRate.direct),
    openRow('plain Node `http` proxy (reference)', fixedRate.plainProxy),
    openRow('rack-gateway', fixedRate.gateway),
    '',
    ...appendWaitLines(results),
    '## Streams, direct and through the gateway',
    '',
    '| stream | path | size | seconds | MiB/s | notes |',
    '|---|---|---|---|---|---|',
    `| upload \`POST /apps/myapp/objects/tmp/…\` | direct | ${f(upload.direct.bytes / 1024 ** 2, 0)} MiB | ${f(upload.direct.seconds, 2)} | ${f(upload.direct.mibPerSecond)} | status ${upload.direct.status} |`,
    `| upload \`POST /apps/myapp/objects/tmp/…\` | plain Node \`http\` proxy | ${f(upload.plainProxy.bytes / 1024 ** 2, 0)} MiB | ${f(upload.plainProxy.seconds, 2)} | ${f(upload.plainProxy.mibPerSecond)} | status ${upload.plainProxy.status}; ${pct(upload.plainProxy.mibPerSecond / upload.direct.mibPerSecond)} of direct; proxy RSS ${f(upload.plainProxy.rssBaselineMiB)} → peak ${f(upload.plainProxy.rssPeakMiB)} MiB |`,
    `| upload \`POST /apps/myapp/objects/tmp/…\` | gateway | ${f(upload.gateway.bytes / 1024 ** 2, 0)} MiB | ${f(upload.gateway.seconds, 2)} | ${f(upload.gateway.mibPerSecond)} | status ${upload.gateway.status}; ${pct(upload.gateway.mibPerSecond / upload.direct.mibPerSecond)} of direct; gateway RSS ${f(upload.gateway.rssBaselineMiB)} → peak ${f(upload.gateway.rssPeakMiB)} MiB |`,
    `| logs websocket | direct | ${f(logs.direct.bytes / 1024 ** 2, 0)} MiB | ${f(logs.direct.seconds, 2)} | ${f(logs.direct.mibPerSecond)} | EOF frame received: ${logs.direct.eof} |`,
    `| logs websocket | gateway | ${f(logs.gateway.bytes / 1024 ** 2, 0)} MiB | ${f(logs.gateway.seconds, 2)} | ${f(logs.gateway.mibPerSecond)} | EOF frame received: ${logs.gateway.eof} |`,
    '',
    ...renderCpuSection(results.capacityCpu, capacity),
    ...auditWriteCostLines(results.auditWriteCost),
    ...renderProfileSection(results.profile, results.queriesPerRequest, capacity.concurrency),
    ...renderAdapterDecision(results),
  ];
  if (results.audit?.length) {
    lines.push(
      '## Audit queries (first page of 100, newest first)',
      '',
      '| query | events | median ms | max ms |',
      '|---|---|---|---|',
    );
    for (const a of results.audit)
      lines.push(`| ${a.benchmark} | ${a.events} | ${f(a.medianMs, 2)} | ${f(a.maxMs, 2)} |`);
    lines.push('');
  }
  if (results.flood) lines.push(renderFloodSection(results.flood, date));
  return lines.join('\n');
}

/**
 * Every request through the gateway waits for its audit event's durable commit, so the slowest commits of
 * the open-loop run set its tail: shown beside the bare commit's own median and 99th percentile.
 */
function appendWaitLines({ fixedRate, commit }: BenchmarkResults): string[] {
  const waits = fixedRate.gatewayAppendWaits;
  if (!waits) return [];
  return [
    `During the gateway's run its audit appends (${waits.count} transactions, each one durable commit that ` +
      `the requests in it wait for) took p50 ${f(waits.p50Ms, 2)} ms, p99 ${f(waits.p99Ms, 2)} ms, ` +
      `slowest ${f(waits.maxMs, 2)} ms, from send to answer; a bare single-row commit measured ` +
      `${f(commit.commitMs, 2)} ms median, ${f(commit.commitP99Ms, 2)} ms p99.`,
    '',
  ];
}

/** PostgreSQL's share of the CPU section, taken apart by how the audit events are written. */
function auditWriteCostLines(cost: AuditWriteCost | undefined): string[] {
  if (!cost) return [];
  return [
    "## PostgreSQL's share, taken apart",
    '',
    `The audit write alone, in a database of its own on the same server: ${cost.requests} \`GET /apps\` events`,
    "appended the way the gateway's one-trip path does (chain lock, INSERT at the expected head, the previous",
    "batch's outcomes riding along, one durable commit), CPU of the PostgreSQL backend per event, median of",
    `${cost.rounds} interleaved rounds.`,
    '',
    '| how the events are written | backend CPU ms per request |',
    '|---|---|',
    ...cost.variants.map(({ name, msPerRequest }) => `| ${name} | ${f(msPerRequest, 3)} |`),
    '',
  ];
}
