import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { freePort } from './gateway-process';
import { REPLICAS_HEADING } from './report-sections';
import { tallyAudit, type AuditTally } from './replicas-audit';
import { roundRobin, type RoundRobinResult } from './replicas-load';
import { startReplica, stopReplica, type Replica } from './replicas-process';
import { timeRevocations, type RevocationTiming } from './replicas-revocation';

const CONCURRENCY = 32;
const SECONDS = 10;
const PROBES = 10;

export interface ReplicaResults {
  load: RoundRobinResult;
  revocation: RevocationTiming;
  audit: AuditTally;
  exitCodes: (number | null)[];
  loadAverage: { before: number; after: number };
}

const basic = (secret: string) => `Basic ${Buffer.from(`convox:${secret}`).toString('base64')}`;

/**
 * Two gateway processes on one PostgreSQL behind a round-robin load generator: both serve, every call is
 * in the audit trail and the chain verifies, and a token revoked through one is refused by the other.
 */
export async function runReplicaBenchmark(
  databaseUrl: string,
  rack: { url: string; password: string },
  log: (line: string) => void,
): Promise<ReplicaResults> {
  const secrets = {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    AUDIT_HMAC_SECRET: randomBytes(32).toString('hex'),
  };
  const env = (port: number) => ({
    ...secrets,
    BENCH_GATEWAY_PORT: String(port),
    DATABASE_URL: databaseUrl,
    RACK_URL: rack.url,
    RACK_TOKEN: rack.password,
  });
  const replicas: Replica[] = [];
  try {
    replicas.push(await startReplica(env(await freePort()), PROBES));
    replicas.push(await startReplica(env(await freePort())));
    const [a, b] = replicas;
    const headers = { authorization: basic(a.tokens!.load) };
    const urls = replicas.map((r) => r.url);
    log('two replicas: warming up');
    await roundRobin(urls, '/api/v1/rack-proxy/apps', { authorization: basic(a.tokens!.viewer) }, 8, 2);
    const loadAverageBefore = loadavg()[0];
    const since = new Date();
    log(`two replicas: round robin, ${CONCURRENCY} clients, ${SECONDS}s`);
    const load = await roundRobin(urls, '/api/v1/rack-proxy/apps', headers, CONCURRENCY, SECONDS);
    log(`two replicas: revoking ${PROBES} tokens on one, timing the other`);
    const revocation = await timeRevocations(a.url, b.url, a.tokens!.probes);
    const loadAverageAfter = loadavg()[0];
    const exitCodes: (number | null)[] = [];
    for (const replica of replicas.splice(0)) exitCodes.push(await stopReplica(replica));
    const audit = await tallyAudit(databaseUrl, secrets.AUDIT_HMAC_SECRET, since, 'bench-load');
    return {
      load,
      revocation,
      audit,
      exitCodes,
      loadAverage: { before: loadAverageBefore, after: loadAverageAfter },
    };
  } finally {
    for (const replica of replicas) await stopReplica(replica);
  }
}

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

export function renderReplicaSection(r: ReplicaResults, date = new Date()): string {
  const delays = [...r.revocation.delaysMs].sort((x, y) => x - y);
  const median = delays[Math.floor(delays.length / 2)] ?? NaN;
  const worst = delays[delays.length - 1] ?? NaN;
  const loadCalls = r.load.requests;
  const honoured = r.revocation.notHonoured === 0 && worst <= 1000;
  return [
    REPLICAS_HEADING,
    '',
    `Measured ${date.toISOString()} by \`npm run bench -- --replicas\` (\`bench/replicas-benchmark.ts\`): two gateway`,
    'processes (the production app, shared secrets) on one PostgreSQL, an authorized `GET /apps` sent round robin',
    `to them by ${CONCURRENCY} keep-alive clients for ${SECONDS} s; then ${r.revocation.delaysMs.length + r.revocation.notHonoured} API tokens, each served by`,
    "replica B first, revoked one by one through replica A's admin API while B is asked back to back with the",
    "same token; the delay runs from A's answer to B's first 401. Both replicas are then stopped with SIGTERM",
    '(they drain) and the audit trail is counted and verified.',
    `The one-minute load average was ${f(r.loadAverage.before, 2)} before and ${f(r.loadAverage.after, 2)} after (${cpus().length} cores,`,
    'shared with other work), which weighs on every figure here.',
    '',
    '| check | measured | held |',
    '|---|---|---|',
    `| both replicas serve | A ${r.load.byReplica[0]}, B ${r.load.byReplica[1]} answers | ${yes(r.load.byReplica.every((n) => n > 0))} |`,
    `| every answer is 200 | ${JSON.stringify(r.load.byStatus)}, ${r.load.failed} without answer | ${yes(r.load.failed === 0 && (r.load.byStatus['200'] ?? 0) === loadCalls)} |`,
    `| audit calls of the load token = requests | ${r.audit.callsByToken} = ${loadCalls} | ${yes(r.audit.callsByToken === loadCalls)} |`,
    `| no audit event left open | ${r.audit.open} open | ${yes(r.audit.open === 0 && r.audit.chain.open === 0)} |`,
    `| audit chain verifies | ${r.audit.chain.checked} events checked${r.audit.chain.problem ? `: ${r.audit.chain.problem}` : ''} | ${yes(r.audit.chain.ok)} |`,
    `| revocation on A honoured by B within 1 s | median ${f(median)} ms, worst ${f(worst)} ms, ${r.revocation.notHonoured} not honoured | ${yes(honoured)} |`,
    `| both exit 0 after SIGTERM | ${r.exitCodes.join(', ')} | ${yes(r.exitCodes.every((c) => c === 0))} |`,
    '',
    `Throughput across both: ${f(r.load.requestsPerSecond, 0)} req/s, p50 ${f(r.load.p50Ms, 2)} ms, p99 ${f(r.load.p99Ms, 2)} ms`,
    '(two gateway processes, the load generator and PostgreSQL share the same cores, so this is not twice one).',
    '',
  ].join('\n');
}
