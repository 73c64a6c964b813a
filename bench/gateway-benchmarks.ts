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
import { closedLoop, openLoop, type LoadResult, type LoadTarget } from './load-generator';
import { measureCommit, type CommitCost } from './postgres-commit';
import { perRequest, queryCountsOf } from './query-counter';
import { logsThrough, uploadThrough, type StreamResult, type UploadResult } from './stream-benchmarks';

const CONCURRENCY = 32;
const SECONDS = 8;
const ONE_CLIENT_SECONDS = 4;
const PROFILE_SECONDS = 6;
const FIXED_RATE = 500;
const UPLOAD_BYTES = 1024 ** 3;
const LOG_BYTES = 100 * 1024 ** 2;

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
  fixedRate: Omit<PathResults<LoadResult>, 'nestExpress' | 'nestFastify'> & { perSecond: number };
  upload: { direct: UploadResult; gateway: UploadResult };
  logs: { direct: StreamResult; gateway: StreamResult };
  /** Queries the gateway sent per proxied request in the 32-client run, by statement and table. */
  queriesPerRequest: [string, number][];
  profile: ProfileSummary & { requestsPerSecond: number };
  /** `audit:verify` once both gateways of this run have shut down: every event completed, chain intact. */
  auditAfterLoad: { events: number; ok: boolean; open: number };
  loadAverage: { before: number; after: number };
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
    return { events: verification.checked, ok: verification.ok, open: verification.open.count };
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
): Promise<GatewayBenchmarkResults> {
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

    log(`closed loop, ${CONCURRENCY} clients, ${SECONDS}s each`);
    const each = async (clients: number, seconds: number) => ({
      direct: await closedLoop(targets.direct, clients, seconds),
      plainProxy: await closedLoop(targets.plainProxy, clients, seconds),
      nestExpress: await closedLoop(targets.nestExpress, clients, seconds),
      nestFastify: await closedLoop(targets.nestFastify, clients, seconds),
      gateway: await closedLoop(targets.gateway, clients, seconds),
    });
    const before = await queryCountsOf(gateway.child);
    const capacity = { concurrency: CONCURRENCY, ...(await each(CONCURRENCY, SECONDS)) };
    const after = await queryCountsOf(gateway.child);
    const queriesPerRequest = perRequest(before, after, capacity.gateway.requests);
    log(`closed loop, one client, ${ONE_CLIENT_SECONDS}s each`);
    const oneClient = await each(1, ONE_CLIENT_SECONDS);

    log(`open loop, ${FIXED_RATE} req/s, ${SECONDS}s each`);
    const fixedRate = {
      perSecond: FIXED_RATE,
      direct: await openLoop(targets.direct, FIXED_RATE, SECONDS),
      plainProxy: await openLoop(targets.plainProxy, FIXED_RATE, SECONDS),
      gateway: await openLoop(targets.gateway, FIXED_RATE, SECONDS),
    };
    rack.clearRequests();
    log('1 GiB upload, direct and through the gateway');
    const uploadPath = '/apps/myapp/objects/tmp/bench-upload.tgz?';
    const upload = {
      direct: await uploadThrough(`${rack.url}${uploadPath}`, basic(password), UPLOAD_BYTES),
      gateway: await uploadThrough(
        `${gateway.url}/api/v1/rack-proxy${uploadPath}`,
        basic(gateway.token),
        UPLOAD_BYTES,
        gateway.child.pid!,
      ),
    };
    log('100 MB logs websocket, direct and through the gateway');
    const logs = {
      direct: await logsThrough(
        `${rack.url.replace('http', 'ws')}/apps/myapp/logs`,
        basic(password),
        LOG_BYTES,
      ),
      gateway: await logsThrough(
        `${gateway.url.replace('http', 'ws')}/api/v1/rack-proxy/apps/myapp/logs`,
        basic(gateway.token),
        LOG_BYTES,
      ),
    };
    await stopGatewayChild(gateway);
    gateway = undefined;
    log(`CPU profile of the gateway, ${CONCURRENCY} clients, ${PROFILE_SECONDS}s`);
    const profile = await profileGateway(databaseUrl, rack, password);
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
      profile,
      loadAverage: { before: loadBefore, after: loadavg()[0] },
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
    const load = await closedLoop(target, CONCURRENCY, PROFILE_SECONDS);
    const toMicros = micros();
    await new Promise((resolve) => {
      gateway.child.once('exit', resolve);
      gateway.child.send('exit');
    });
    return {
      ...summarizeCpuProfile(dir, { fromMicros, toMicros }),
      requestsPerSecond: load.requestsPerSecond,
    };
  } finally {
    await stopGatewayChild(gateway);
    rmSync(dir, { recursive: true, force: true });
  }
}
