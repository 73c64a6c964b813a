import type { CpuPerRequest } from './cpu-accounting';
import type { GatewayBenchmarkResults } from './gateway-benchmarks';
import type { LoadResult } from './load-generator';

const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const pct = (ratio: number) => `${f(ratio * 100, 1)} %`;

/**
 * An adapter switch is worth its cost (23 Express-typed files, passport, cookies, static files, streaming,
 * upgrades) only if the saving it measures is at least this share of the gateway's CPU per request.
 */
export const ADAPTER_SWITCH_THRESHOLD = 0.1;

type Paths = GatewayBenchmarkResults['capacity'];
const NAMES: [keyof GatewayBenchmarkResults['capacityCpu'], string][] = [
  ['direct', 'direct to the mock rack'],
  ['plainProxy', 'plain Node `http` proxy (reference)'],
  ['nestExpress', 'minimal Nest on Express (reference)'],
  ['nestFastify', 'minimal Nest on Fastify (reference)'],
  ['gateway', 'rack-gateway (token, RBAC, audit)'],
];

/**
 * CPU ms per request of each party during the 32-client runs, read from /proc before and after each run:
 * the server process (gateway or reference), PostgreSQL (postmaster and its backends), and the benchmark
 * process (load generator and mock rack). On 2 cores the sum bounds what the machine can serve.
 */
export function renderCpuSection(cpu: GatewayBenchmarkResults['capacityCpu'], capacity: Paths): string[] {
  const row = (name: string, c: CpuPerRequest | undefined, load: LoadResult | undefined) =>
    c && load
      ? `| ${name} | ${f(load.requestsPerSecond, 0)} | ${f(c.serverMs)} | ${f(c.postgresMs)} | ${f(c.benchMs)} | ${f(c.totalMs)} | ${f(2000 / c.totalMs, 0)} | ${c.serverMs > 0 ? f(1000 / c.serverMs, 0) : '—'} |`
      : `| ${name} | not measured | | | | | | |`;
  const gateway = cpu.gateway;
  const plain = cpu.plainProxy;
  return [
    `## CPU per request, by party (${capacity.concurrency} clients)`,
    '',
    'CPU time (user + system, from `/proc/<pid>/stat`) each party used during the closed-loop run above,',
    'divided by the requests it answered. “server” is the process serving the path (the gateway or the',
    'reference); PostgreSQL counts the postmaster and all its backends; “bench” is this benchmark’s own process',
    '(the load generator and the mock rack). Two cores give 2,000 CPU ms per second to share, so',
    '2,000 ÷ total is what the machine could serve if nothing else ran; a server process is one thread of',
    'JavaScript, so 1,000 ÷ server is its own ceiling.',
    '',
    '| path | req/s | server ms | PostgreSQL ms | bench ms | total ms | 2 cores ÷ total | 1 core ÷ server |',
    '|---|---|---|---|---|---|---|---|',
    ...NAMES.map(([key, name]) => row(name, cpu[key], capacity[key])),
    '',
    `The gateway process spends ${f(gateway.serverMs)} ms of CPU per request where the plain proxy spends ` +
      `${f(plain.serverMs)} ms (${f(gateway.serverMs / plain.serverMs, 1)}×), and PostgreSQL ` +
      `${f(gateway.postgresMs)} ms more; the gateway’s throughput share of the plain proxy cannot exceed ` +
      `${pct(plain.totalMs / gateway.totalMs)} while the machine is the limit (total CPU per request) and ` +
      `${pct(plain.serverMs / gateway.serverMs)} once the server process is (one core each). ` +
      `PostgreSQL’s share alone is ${f(gateway.postgresMs / plain.totalMs, 1)}× the plain proxy’s whole ` +
      `path (${f(plain.totalMs)} ms, load generator and rack included): with the audit write as it is, 50 % ` +
      `of the plain proxy would need the gateway’s total to be ${f(2 * plain.totalMs)} ms per request.`,
    '',
  ];
}

/**
 * The adapter question of issue 10, answered from this run's figures: what the minimal Nest app costs on
 * Express and on Fastify against the plain proxy, and how much of the gateway's own CPU the framework is.
 */
export function renderAdapterDecision(r: GatewayBenchmarkResults): string[] {
  const { capacity, oneClient, capacityCpu: cpu, profile } = r;
  const express = cpu.nestExpress;
  const fastify = cpu.nestFastify;
  if (!express || !fastify || !capacity.nestExpress || !capacity.nestFastify) return [];
  const plainRps = capacity.plainProxy.requestsPerSecond;
  const saving = express.serverMs - fastify.serverMs;
  const gatewayFrameworkMs = profile.frameworkShare * cpu.gateway.serverMs;
  const savingShare = saving / cpu.gateway.serverMs;
  const pays = savingShare >= ADAPTER_SWITCH_THRESHOLD;
  const addedP50 = (x: LoadResult | undefined) => f((x?.p50Ms ?? NaN) - oneClient.direct.p50Ms);
  return [
    '## Adapter decision',
    '',
    'Issue 10 asks for `@nestjs/platform-fastify` unless a better way to cut the framework’s share is measured.',
    'Figures of this run (the minimal Nest apps have the gateway’s shape: one global guard, one piping',
    'controller, no database):',
    '',
    '| | of plain proxy (32 clients) | server CPU ms / request | added p50, one client (ms) |',
    '|---|---|---|---|',
    `| plain Node \`http\` proxy | 100.0 % | ${f(cpu.plainProxy.serverMs)} | ${addedP50(oneClient.plainProxy)} |`,
    `| minimal Nest on Express | ${pct(capacity.nestExpress.requestsPerSecond / plainRps)} | ${f(express.serverMs)} | ${addedP50(oneClient.nestExpress)} |`,
    `| minimal Nest on Fastify | ${pct(capacity.nestFastify.requestsPerSecond / plainRps)} | ${f(fastify.serverMs)} | ${addedP50(oneClient.nestFastify)} |`,
    `| rack-gateway (Express) | ${pct(capacity.gateway.requestsPerSecond / plainRps)} | ${f(cpu.gateway.serverMs)} | ${addedP50(oneClient.gateway)} |`,
    '',
    `In the gateway’s profile the framework (Nest, Express, rxjs, reflect-metadata) is ` +
      `${pct(profile.frameworkShare)} of its CPU, about ${f(gatewayFrameworkMs)} ms per request; with no ` +
      `framework at all the gateway would still use ${f(cpu.gateway.serverMs - gatewayFrameworkMs)} ms, ` +
      `${f((cpu.gateway.serverMs - gatewayFrameworkMs) / cpu.plainProxy.serverMs, 1)}× the plain proxy’s ` +
      `${f(cpu.plainProxy.serverMs)} ms. The minimal app used ${f(fastify.serverMs)} ms of CPU per request on ` +
      `Fastify and ${f(express.serverMs)} ms on Express: the switch ${saving >= 0 ? 'saves' : 'costs'} ` +
      `${f(Math.abs(saving))} ms per request, ${pct(Math.abs(savingShare))} of the gateway’s ` +
      `${f(cpu.gateway.serverMs)} ms.`,
    '',
    pays
      ? `Conclusion: the adapter saves at least ${pct(ADAPTER_SWITCH_THRESHOLD)} of the gateway’s CPU per ` +
        'request in this run, so the switch to Fastify pays; it is the next step for issue 10.'
      : `Conclusion: stay on Express. The adapter’s measured saving is below ${pct(ADAPTER_SWITCH_THRESHOLD)} ` +
        `of the gateway’s CPU per request (the framework’s whole share is ${f(gatewayFrameworkMs)} ms of ` +
        `${f(cpu.gateway.serverMs)}), so a migration touching every Express-typed file would not move the ` +
        'targets; the rest is the gateway’s own work (authentication, the access chain, building and writing ' +
        'the audit event), the socket work of its three connections (client, rack, PostgreSQL) and ' +
        'PostgreSQL’s share (the CPU section above).',
    '',
  ];
}
