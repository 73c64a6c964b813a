import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { verifyAuditChain } from '../src/audit/audit-chain-verifier';
import { dataSourceOptions } from '../src/database/data-source-options';
import type { startMockRack } from '../src/dev/mock-rack';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile-summary';
import {
  freePort,
  startGatewayChild,
  startReferenceServer,
  stopGatewayChild,
  type GatewayProcess,
  type ReferenceProcess,
} from './gateway-process';
import { cpuPerRequest, cpuSnapshot, type CpuPerRequest } from './cpu-accounting';
import { closedLoop, openLoop, type LoadResult, type LoadTarget } from './load-generator';
import { measureCommit, type CommitCost } from './postgres-commit';
import { appendWaitsOf, perRequest, queryCountsOf, queryStatsOf, type AppendWaits } from './query-counter';
import { logsThrough, uploadThrough, type StreamResult, type UploadResult } from './stream-benchmarks';

const CONCURRENCY = 32;
const FIXED_RATE = 500;

/** How long each load runs and how big the streams are. */
export interface BenchScale {
  name: 'full' | 'quick';
  seconds: number;
  oneClientSeconds: number;
  profileSeconds: number;
  uploadBytes: number;
  logBytes: number;
}

/** What the targets are stated for (`npm run bench`). */
export const FULL_SCALE: BenchScale = {
  name: 'full',
  seconds: 8,
  oneClientSeconds: 4,
  profileSeconds: 6,
  uploadBytes: 1024 ** 3,
  logBytes: 100 * 1024 ** 2,
};

/**
 * `npm run bench -- --quick`: the same scenarios, shorter and smaller (a 256 MiB upload), for comparing a
 * change's ratios on a busy machine; its figures are not the targets' (the report says which scale ran).
 */
export const QUICK_SCALE: BenchScale = {
  name: 'quick',
  seconds: 4,
  oneClientSeconds: 2,
  profileSeconds: 4,
  uploadBytes: 256 * 1024 ** 2,
  logBytes: 32 * 1024 ** 2,
};

/** The same request on every path measured: direct, the references and the gateway. */
export interface PathResults<T> {
  direct: T;
  plainProxy: T;
  nestExpress?: T;
  nestFastify?: T;
  gateway: T;
}

export interface GatewayBenchmarkResults {
  commit: CommitCost;
  capacity: PathResults<LoadResult> & { concurrency: number };
  oneClient: PathResults<LoadResult>;
  fixedRate: Omit<PathResults<LoadResult>, 'nestExpress' | 'nestFastify'> & {
    perSecond: number;
    /** The audit appends during the gateway's open-loop run: each request waits for one to commit. */
    gatewayAppendWaits?: AppendWaits;
  };
  /** The plain proxy's upload shows what any Node proxy hop costs here (its RSS is sampled too). */
  upload: { direct: UploadResult; plainProxy: UploadResult; gateway: UploadResult };
  logs: { direct: StreamResult; gateway: StreamResult };
  /** Queries the gateway sent per proxied request in the 32-client run, by statement and table. */
  queriesPerRequest: [string, number][];
  /** With one client: ms per request the gateway waited on PostgreSQL, by statement (busiest first). */
  oneClientPostgresMs: [string, number][];
  profile: ProfileSummary & { requestsPerSecond: number };
  /** `audit:verify` once both gateways of this run have shut down: every event completed, chain intact. */
  auditAfterLoad: { events: number; ok: boolean; open: number; openEvents: string[] };
  /** CPU ms per request by party (server process, PostgreSQL, bench process) over the 32-client runs. */
  capacityCpu: PathResults<CpuPerRequest>;
  loadAverage: { before: number; after: number };
  scale: BenchScale;
}

const basic = (secret: string) => `Basic ${Buffer.from(`convox:${secret}`).toString('base64')}`;

type Rack = Awaited<ReturnType<typeof startMockRack>>;

// Both gateways of the run chain their events under one key, so the chain can be verified afterwards.
const AUDIT_KEY = randomBytes(32).toString('hex');

function gatewayEnv(databaseUrl: string, rack: Rack, password: string): Promise<Record<string, string>> {
  return freePort().then((port) => ({
    BENCH_GATEWAY_PORT: String(port),
    DATABASE_URL: databaseUrl,
    RACK_URL: rack.url,
    RACK_TOKEN: password,
    BENCH_GATEWAY_ENV: JSON.stringify({ AUDIT_HMAC_SECRET: AUDIT_KEY }),
  }));
}

async function verifyAfterLoad(databaseUrl: string): Promise<GatewayBenchmarkResults['auditAfterLoad']> {
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    const verification = await verifyAuditChain(dataSource, AUDIT_KEY);
    // Which calls were left open says where an outcome was lost (the report lists them).
    const open = (await dataSource.query(
      `SELECT action, method, path, rule, details FROM audit_events WHERE result = 'open' ORDER BY chain_index LIMIT 5`,
    )) as { action: string; method: string; path: string; rule: string; details: string }[];
    return {
      events: verification.checked,
      ok: verification.ok,
      open: verification.open.count,
      openEvents: open.map((e) => `${e.action} ${e.method} ${e.path} (${e.rule}) ${e.details}`),
    };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * `GET /apps` on every path (closed loop with 32 clients and with one, open loop at 500 req/s), the 1 GiB
 * upload and the logs websocket direct and through the gateway, a durable commit, the gateway's queries per
 * request, and a CPU profile of the gateway under the 32-client load.
 */
export async function runGatewayBenchmarks(
  databaseUrl: string,
  rack: Rack,
  password: string,
  log: (line: string) => void,
  scale: BenchScale = FULL_SCALE,
  postmasterPid?: number,
): Promise<GatewayBenchmarkResults> {
  const { seconds, oneClientSeconds, profileSeconds, uploadBytes, logBytes } = scale;
  const loadBefore = loadavg()[0];
  const references: ReferenceProcess[] = [];
  let gateway: GatewayProcess | undefined;
  try {
    const rackRef = { url: rack.url, password };
    const [plain, nestExpress, nestFastify] = await Promise.all([
      startReferenceServer('plain', rackRef),
      startReferenceServer('nest-express', rackRef),
      startReferenceServer('nest-fastify', rackRef),
    ]);
    references.push(plain, nestExpress, nestFastify);
    gateway = await startGatewayChild(await gatewayEnv(databaseUrl, rack, password));
    log('one durable PostgreSQL commit');
    const commit = await measureCommit(databaseUrl);

    const apps = (base: string, secret: string): LoadTarget => ({
      url: `${base}/api/v1/rack-proxy/apps?`,
      headers: { authorization: basic(secret) },
    });
    const targets = {
      direct: { url: `${rack.url}/apps?`, headers: { authorization: basic(password) } },
      plainProxy: apps(plain.url, password),
      nestExpress: apps(nestExpress.url, password),
      nestFastify: apps(nestFastify.url, password),
      gateway: apps(gateway.url, gateway.token),
    };
    log('warming up');
    for (const target of Object.values(targets)) await closedLoop(target, 8, 1);

    log(`closed loop, ${CONCURRENCY} clients, ${seconds}s each`);
    const servers = {
      direct: undefined,
      plainProxy: plain.child.pid,
      nestExpress: nestExpress.child.pid,
      nestFastify: nestFastify.child.pid,
      gateway: gateway.child.pid,
    };
    const cpu = {} as PathResults<CpuPerRequest>;
    const measured = async (path: keyof typeof targets, clients: number, duration: number) => {
      const parties = { serverPid: servers[path], postmasterPid };
      const start = cpuSnapshot(parties);
      const result = await closedLoop(targets[path], clients, duration);
      cpu[path] = cpuPerRequest(start, cpuSnapshot(parties), result.requests);
      return result;
    };
    const each = async (clients: number, duration: number) => ({
      direct: await measured('direct', clients, duration),
      plainProxy: await measured('plainProxy', clients, duration),
      nestExpress: await measured('nestExpress', clients, duration),
      nestFastify: await measured('nestFastify', clients, duration),
      gateway: await measured('gateway', clients, duration),
    });
    const before = await queryCountsOf(gateway.child);
    const capacity = { concurrency: CONCURRENCY, ...(await each(CONCURRENCY, seconds)) };
    const after = await queryCountsOf(gateway.child);
    const capacityCpu = { ...cpu };
    const queriesPerRequest = perRequest(before, after, capacity.gateway.requests);
    log(`closed loop, one client, ${oneClientSeconds}s each`);
    const waitsBefore = await queryStatsOf(gateway.child);
    const oneClient = await each(1, oneClientSeconds);
    const waitsAfter = await queryStatsOf(gateway.child);
    const oneClientPostgresMs = perRequest(waitsBefore.millis, waitsAfter.millis, oneClient.gateway.requests);

    log(`open loop, ${FIXED_RATE} req/s, ${seconds}s each`);
    const direct = await openLoop(targets.direct, FIXED_RATE, seconds);
    const plainProxy = await openLoop(targets.plainProxy, FIXED_RATE, seconds);
    await appendWaitsOf(gateway.child);
    const fixedRate = {
      perSecond: FIXED_RATE,
      direct,
      plainProxy,
      gateway: await openLoop(targets.gateway, FIXED_RATE, seconds),
      gatewayAppendWaits: await appendWaitsOf(gateway.child),
    };
    rack.clearRequests();
    log(`${uploadBytes / 1024 ** 2} MiB upload, direct and through the gateway`);
    const uploadPath = '/apps/myapp/objects/tmp/bench-upload.tgz?';
    const upload = {
      direct: await uploadThrough(`${rack.url}${uploadPath}`, basic(password), uploadBytes),
      plainProxy: await uploadThrough(
        `${plain.url}/api/v1/rack-proxy${uploadPath}`,
        basic(password),
        uploadBytes,
        plain.child.pid!,
      ),
      gateway: await uploadThrough(
        `${gateway.url}/api/v1/rack-proxy${uploadPath}`,
        basic(gateway.token),
        uploadBytes,
        gateway.child.pid!,
      ),
    };
    log(`${logBytes / 1024 ** 2} MiB logs websocket, direct and through the gateway`);
    const logs = {
      direct: await logsThrough(
        `${rack.url.replace('http', 'ws')}/apps/myapp/logs`,
        basic(password),
        logBytes,
      ),
      gateway: await logsThrough(
        `${gateway.url.replace('http', 'ws')}/api/v1/rack-proxy/apps/myapp/logs`,
        basic(gateway.token),
        logBytes,
      ),
    };
    await stopGatewayChild(gateway);
    gateway = undefined;
    log(`CPU profile of the gateway, ${CONCURRENCY} clients, ${profileSeconds}s`);
    const profile = await profileGateway(databaseUrl, rack, password, profileSeconds);
    log('audit chain after the load');
    const auditAfterLoad = await verifyAfterLoad(databaseUrl);
    return {
      auditAfterLoad,
      commit,
      capacity,
      oneClient,
      fixedRate,
      upload,
      logs,
      queriesPerRequest,
      oneClientPostgresMs,
      profile,
      capacityCpu,
      loadAverage: { before: loadBefore, after: loadavg()[0] },
      scale,
    };
  } finally {
    if (gateway) await stopGatewayChild(gateway);
    await Promise.all(references.map((reference) => stopGatewayChild(reference)));
  }
}

/** A fresh gateway child under `node --cpu-prof`, loaded like the capacity run; the profile is written on exit. */
export async function profileGateway(
  databaseUrl: string,
  rack: Rack,
  password: string,
  seconds = FULL_SCALE.profileSeconds,
): Promise<ProfileSummary & { requestsPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rgw-bench-profile-'));
  const gateway = await startGatewayChild(await gatewayEnv(databaseUrl, rack, password), [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  try {
    const target = {
      url: `${gateway.url}/api/v1/rack-proxy/apps?`,
      headers: { authorization: basic(gateway.token) },
    };
    await closedLoop(target, 8, 1);
    const micros = () => Number(process.hrtime.bigint() / 1000n);
    const fromMicros = micros();
    const load = await closedLoop(target, CONCURRENCY, seconds);
    const toMicros = micros();
    // SIGTERM: the gateway drains as in production (its audit outcomes flushed) and exits by itself, which
    // is when `--cpu-prof` writes the profile.
    await stopGatewayChild(gateway);
    return {
      ...summarizeCpuProfile(dir, { fromMicros, toMicros }),
      requestsPerSecond: load.requestsPerSecond,
    };
  } finally {
    await stopGatewayChild(gateway);
    rmSync(dir, { recursive: true, force: true });
  }
}
