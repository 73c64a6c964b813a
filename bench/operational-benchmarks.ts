import { readFileSync, writeFileSync } from 'node:fs';
import { REPLICAS_HEADING, replaceSection, SOAK_HEADING } from './report-sections';
import { renderReplicaSection, runReplicaBenchmark } from './replicas-benchmark';
import { renderSoakSection } from './soak/soak-report';
import { runSoak } from './soak/soak-benchmark';

const DEFAULT_SOAK_SECONDS = 600;

/**
 * `npm run bench -- --replicas` and `npm run bench -- --soak [--soak-seconds N]`: each runs alone and
 * replaces only its own section of docs/BENCHMARKS.md. False when neither flag was given.
 */
export async function runOperationalBenchmarks(
  argv: string[],
  databaseUrl: string,
  rack: { url: string; password: string },
  report: string,
  log: (line: string) => void,
): Promise<boolean> {
  const replicas = argv.includes('--replicas');
  const soak = argv.includes('--soak') || argv.includes('--soak-seconds');
  if (!replicas && !soak) return false;
  if (replicas) {
    const section = renderReplicaSection(await runReplicaBenchmark(databaseUrl, rack, log));
    writeFileSync(report, replaceSection(readFileSync(report, 'utf8'), REPLICAS_HEADING, section));
    log(section);
  }
  if (soak) {
    const given = argv[argv.indexOf('--soak-seconds') + 1];
    const seconds = argv.includes('--soak-seconds') ? Number(given) : DEFAULT_SOAK_SECONDS;
    if (!Number.isFinite(seconds) || seconds < 30)
      throw new Error('--soak-seconds wants a number of seconds ≥ 30');
    const section = renderSoakSection(await runSoak(databaseUrl, rack, seconds, log));
    writeFileSync(report, replaceSection(readFileSync(report, 'utf8'), SOAK_HEADING, section));
    log(section);
  }
  return true;
}
