import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { startMockRack } from '../src/dev/mock-rack';
import { renderBenchmarkReport, type BenchmarkResults } from './benchmark-report';
import { runFloodBenchmark } from './flood-benchmark';
import { renderFloodSection, replaceFloodSection } from './flood-report';
import { freePort, startGatewayChild, stopGatewayChild, type GatewayProcess } from './gateway-process';
import { closedLoop, openLoop } from './load-generator';
import { logsThrough, uploadThrough } from './stream-benchmarks';
import { runOperationalBenchmarks } from './operational-benchmarks';
import { keepOperationalSections } from './report-sections';

const RACK_PASSWORD = 'bench-rack-password';
const CONCURRENCY = 32;
const SECONDS = 8;
const FIXED_RATE = 500;
const UPLOAD_BYTES = 1024 ** 3;
const LOG_BYTES = 100 * 1024 ** 2;

const basic = (secret: string) => `Basic ${Buffer.from(`convox:${secret}`).toString('base64')}`;
const log = (line: string) => process.stdout.write(`${line}\n`);
const REPORT = join(__dirname, '..', '..', 'docs', 'BENCHMARKS.md');

/**
 * Everything, into docs/BENCHMARKS.md. `npm run bench -- --flood` runs only the flood scenario and replaces
 * only its section of the file.
 */
async function main(): Promise<void> {
  const pg = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'rgw-bench-pg-')),
    port: await freePort(),
    persistent: false,
  });
  const rack = await startMockRack({ port: 0, password: RACK_PASSWORD });
  try {
    if (process.argv.includes('--flood')) {
      const flood = await runFloodBenchmark(pg.databaseUrl, { url: rack.url, password: RACK_PASSWORD }, log);
      const section = renderFloodSection(flood);
      writeFileSync(REPORT, replaceFloodSection(readFileSync(REPORT, 'utf8'), section));
      log(section);
      return;
    }
    const rackAccess = { url: rack.url, password: RACK_PASSWORD };
    if (await runOperationalBenchmarks(process.argv, pg.databaseUrl, rackAccess, REPORT, log)) return;
    const results = await runGatewayBenchmarks(pg.databaseUrl, rack);
    log('flood benchmark');
    results.flood = await runFloodBenchmark(pg.databaseUrl, { url: rack.url, password: RACK_PASSWORD }, log);
    const report = renderBenchmarkReport(results);
    writeFileSync(REPORT, keepOperationalSections(readFileSync(REPORT, 'utf8'), report));
    log(report);
  } finally {
    await rack.close();
    await pg.stop();
  }
}

async function runGatewayBenchmarks(
  databaseUrl: string,
  rack: Awaited<ReturnType<typeof startMockRack>>,
): Promise<BenchmarkResults> {
  let gateway: GatewayProcess | undefined;
  try {
    gateway = await startGatewayChild({
      BENCH_GATEWAY_PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      RACK_URL: rack.url,
      RACK_TOKEN: RACK_PASSWORD,
    });
    const direct = { url: `${rack.url}/apps?`, headers: { authorization: basic(RACK_PASSWORD) } };
    const proxied = {
      url: `${gateway.url}/api/v1/rack-proxy/apps?`,
      headers: { authorization: basic(gateway.token) },
    };
    log('warming up');
    await closedLoop(proxied, 8, 2);
    await closedLoop(direct, 8, 1);

    log(`closed loop, ${CONCURRENCY} clients, ${SECONDS}s each`);
    const capacity = {
      concurrency: CONCURRENCY,
      direct: await closedLoop(direct, CONCURRENCY, SECONDS),
      gateway: await closedLoop(proxied, CONCURRENCY, SECONDS),
    };
    log(`open loop, ${FIXED_RATE} req/s, ${SECONDS}s each`);
    const fixedRate = {
      perSecond: FIXED_RATE,
      direct: await openLoop(direct, FIXED_RATE, SECONDS),
      gateway: await openLoop(proxied, FIXED_RATE, SECONDS),
    };
    rack.clearRequests();
    log('1 GiB upload through the gateway');
    const upload = await uploadThrough(
      `${gateway.url}/api/v1/rack-proxy/apps/myapp/objects/tmp/bench-upload.tgz?`,
      basic(gateway.token),
      UPLOAD_BYTES,
      gateway.child.pid!,
    );
    log('100 MB logs websocket through the gateway');
    const logs = await logsThrough(
      `${gateway.url.replace('http', 'ws')}/api/v1/rack-proxy/apps/myapp/logs`,
      basic(gateway.token),
      LOG_BYTES,
    );
    const results: BenchmarkResults = { capacity, fixedRate, upload, logs };

    const auditBench = join(__dirname, 'audit', 'audit-query.bench.js');
    if (existsSync(auditBench)) {
      log('audit query benchmark');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runAuditQueryBenchmark } = require(auditBench) as typeof import('./audit/audit-query.bench');
      results.audit = await runAuditQueryBenchmark();
    }
    return results;
  } finally {
    if (gateway) await stopGatewayChild(gateway);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
