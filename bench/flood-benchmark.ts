import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import type { FloodPlan, FloodTally } from './flood-worker';
import { freePort, startGatewayChild, stopGatewayChild } from './gateway-process';
import { closedLoop, type LoadResult, type LoadTarget } from './load-generator';

const FLOOD_CLIENTS = 100;
const FLOOD_ADDRESSES = Array.from({ length: 10 }, (_, i) => `203.0.113.${i + 1}`);
const VIEWER_ADDRESS = '198.51.100.10';
const MEASURE_SECONDS = 8;
/** The flood runs this long before the measurement starts, so every flooding address is over its budget. */
const WARM_UP_SECONDS = 2;

export interface FloodPhase {
  viewer: LoadResult;
  flood: FloodTally;
}

export interface FloodResults {
  clients: number;
  addresses: number;
  rateLimitPerMinute: number;
  idle: LoadResult;
  /** The viewer on an address of its own. */
  ownAddress: FloodPhase;
  /** The viewer behind the same address as part of the flood (NAT, shared CI runners). */
  sharedAddress: FloodPhase;
  /** Audit rows written while both floods ran (the viewer's own calls included). */
  auditRowsDuringFloods: number;
  /** Audit rows from the flooding addresses once the gateway has stopped (its refusal summaries flushed). */
  auditRowsFromFlood: number;
  /** The machine's one-minute load average before and after: other work on the machine skews every figure. */
  loadAverage: { before: number; after: number };
}

const basic = (secret: string) => `Basic ${Buffer.from(`convox:${secret}`).toString('base64')}`;

/**
 * Issue 9's flood: a legitimate viewer's proxied `GET /apps`, idle and then while 100 clients without valid
 * credentials hammer the gateway. The gateway runs with the default rate limit and one trusted proxy hop, so
 * every client can speak from its own address through X-Forwarded-For.
 */
export async function runFloodBenchmark(
  databaseUrl: string,
  rack: { url: string; password: string },
  log: (line: string) => void,
): Promise<FloodResults> {
  const rateLimitPerMinute = 30;
  const loadBefore = loadavg()[0];
  const gateway = await startGatewayChild({
    BENCH_GATEWAY_PORT: String(await freePort()),
    DATABASE_URL: databaseUrl,
    RACK_URL: rack.url,
    RACK_TOKEN: rack.password,
    BENCH_GATEWAY_ENV: JSON.stringify({
      AUTH_RATE_LIMIT_PER_MINUTE: String(rateLimitPerMinute),
      TRUST_PROXY_HOPS: '1',
    }),
  });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const url = `${gateway.url}/api/v1/rack-proxy/apps?`;
    const viewerFrom = (address: string): LoadTarget => ({
      url,
      headers: { authorization: basic(gateway.viewerToken), 'x-forwarded-for': address },
    });
    log('flood: warming up');
    await closedLoop(viewerFrom(VIEWER_ADDRESS), 1, 2);
    log(`flood: idle viewer, ${MEASURE_SECONDS}s`);
    const idle = await closedLoop(viewerFrom(VIEWER_ADDRESS), 1, MEASURE_SECONDS);
    const rowsBefore = await auditRows(db);

    log(`flood: ${FLOOD_CLIENTS} clients, viewer on its own address`);
    const ownAddress = await underFlood(url, viewerFrom(VIEWER_ADDRESS));
    log(`flood: ${FLOOD_CLIENTS} clients, viewer behind a flooding address`);
    const sharedAddress = await underFlood(url, viewerFrom(FLOOD_ADDRESSES[0]));
    const auditRowsDuringFloods = (await auditRows(db)) - rowsBefore;

    await stopGatewayChild(gateway);
    const fromFlood = await db.query<{ n: string }>(
      // Refusals have no actor; the viewer behind a flooding address shares its client_ip but not that.
      "SELECT count(*) AS n FROM audit_events WHERE client_ip = ANY($1) AND actor_email = ''",
      [FLOOD_ADDRESSES],
    );
    return {
      clients: FLOOD_CLIENTS,
      addresses: FLOOD_ADDRESSES.length,
      rateLimitPerMinute,
      idle,
      ownAddress,
      sharedAddress,
      auditRowsDuringFloods,
      auditRowsFromFlood: Number(fromFlood.rows[0].n),
      loadAverage: { before: loadBefore, after: loadavg()[0] },
    };
  } finally {
    await stopGatewayChild(gateway);
    await db.end();
  }
}

async function underFlood(url: string, viewer: LoadTarget): Promise<FloodPhase> {
  const plan: FloodPlan = {
    url,
    clients: FLOOD_CLIENTS,
    seconds: WARM_UP_SECONDS + MEASURE_SECONDS + 1,
    addresses: FLOOD_ADDRESSES,
  };
  const worker = new Worker(join(__dirname, 'flood-worker.js'), { workerData: plan });
  const tally = new Promise<FloodTally>((resolve, reject) => {
    worker.once('message', (message: FloodTally) => resolve(message));
    worker.once('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_SECONDS * 1000));
  const measured = await closedLoop(viewer, 1, MEASURE_SECONDS);
  const flood = await tally;
  await worker.terminate();
  return { viewer: measured, flood };
}

async function auditRows(db: Client): Promise<number> {
  const result = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
  return Number(result.rows[0].n);
}
