import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { startMockRack } from '../src/dev/mock-rack';
import { measureAuditWriteCost } from './audit/audit-write-cost';
import { renderBenchmarkReport, type BenchmarkResults } from './benchmark-report';
import { runFloodBenchmark } from './flood-benchmark';
import { renderFloodSection, replaceFloodSection } from './flood-report';
import { freePort } from './gateway-process';
import { postmasterOn } from './cpu-accounting';
import { FULL_SCALE, QUICK_SCALE, runGatewayBenchmarks } from './gateway-benchmarks';
import { runOperationalBenchmarks } from './operational-benchmarks';
import { keepOperationalSections } from './report-sections';

const RACK_PASSWORD = 'bench-rack-password';
const log = (line: string) => process.stdout.write(`${line}\n`);
const REPORT = join(__dirname, '..', '..', 'docs', 'BENCHMARKS.md');

/** What every scenario gets: one embedded PostgreSQL and one mock rack for the whole run. */
interface BenchContext {
  databaseUrl: string;
  postgresPort: number;
  rack: Awaited<ReturnType<typeof startMockRack>>;
  rackPassword: string;
}

/**
 * `npm run bench` runs everything into docs/BENCHMARKS.md; `-- --flood` runs only the flood scenario and
 * replaces only its section; the operational scenarios (`--soak`, replicas) dispatch themselves in
 * bench/operational-benchmarks.ts. Each scenario's code lives in its own file.
 */
const SCENARIOS: Record<string, (context: BenchContext) => Promise<void>> = {
  '--flood': async ({ databaseUrl, rack, rackPassword }) => {
    const flood = await runFloodBenchmark(databaseUrl, { url: rack.url, password: rackPassword }, log);
    const section = renderFloodSection(flood);
    writeFileSync(REPORT, replaceFloodSection(readFileSync(REPORT, 'utf8'), section));
    log(section);
  },
};

/**
 * Everything, into docs/BENCHMARKS.md. With `--quick` the HTTP and stream scenarios run shorter and smaller
 * and the audit-query and flood scenarios are skipped (their sections are kept from the file as it was).
 */
async function runEverything({ databaseUrl, postgresPort, rack, rackPassword }: BenchContext): Promise<void> {
  const rackAccess = { url: rack.url, password: rackPassword };
  if (await runOperationalBenchmarks(process.argv, databaseUrl, rackAccess, REPORT, log)) return;
  const quick = process.argv.includes('--quick');
  const results: BenchmarkResults = await runGatewayBenchmarks(
    databaseUrl,
    rack,
    rackPassword,
    log,
    quick ? QUICK_SCALE : FULL_SCALE,
    postmasterOn(postgresPort),
  );
  log("PostgreSQL's share of the audit write, taken apart");
  results.auditWriteCost = await measureAuditWriteCost(databaseUrl, quick ? 800 : 3200);
  const auditBench = join(__dirname, 'audit', 'audit-query.bench.js');
  if (quick) {
    const report = renderBenchmarkReport(results);
    writeFileSync(REPORT, keepOperationalSections(readFileSync(REPORT, 'utf8'), report));
    log(report);
    return;
  }
  if (existsSync(auditBench)) {
    log('audit query benchmark');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runAuditQueryBenchmark } = require(auditBench) as typeof import('./audit/audit-query.bench');
    results.audit = await runAuditQueryBenchmark();
  }
  log('flood benchmark');
  results.flood = await runFloodBenchmark(databaseUrl, rackAccess, log);
  const report = renderBenchmarkReport(results);
  writeFileSync(REPORT, keepOperationalSections(readFileSync(REPORT, 'utf8'), report));
  log(report);
}

async function main(): Promise<void> {
  const scenario = Object.keys(SCENARIOS).find((flag) => process.argv.includes(flag));
  const postgresPort = await freePort();
  const pg = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'rgw-bench-pg-')),
    port: postgresPort,
    persistent: false,
  });
  const rack = await startMockRack({ port: 0, password: RACK_PASSWORD });
  try {
    const context = { databaseUrl: pg.databaseUrl, postgresPort, rack, rackPassword: RACK_PASSWORD };
    await (scenario ? SCENARIOS[scenario] : runEverything)(context);
  } finally {
    await rack.close();
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
