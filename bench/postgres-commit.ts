import { Client } from 'pg';

export interface CommitCost {
  /** Median of single-row INSERT transactions, each committed durably (fsync of the WAL). */
  commitMs: number;
  /** Their 99th percentile: how long a durable commit can take on this disk now and then. */
  commitP99Ms: number;
  /** Median round trip of `SELECT 1`: what any query costs at least. */
  roundTripMs: number;
  samples: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * What one durable commit costs on this machine, in the same PostgreSQL the gateway uses: the floor under
 * any request that must make its audit event durable before it is forwarded.
 */
export async function measureCommit(databaseUrl: string, samples = 200): Promise<CommitCost> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const settings = await client.query<{ fsync: string; synchronous_commit: string }>(
      "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit",
    );
    const { fsync, synchronous_commit: synchronousCommit } = settings.rows[0];
    if (fsync !== 'on' || synchronousCommit !== 'on')
      throw new Error(
        `commits are not durable here (fsync=${fsync}, synchronous_commit=${synchronousCommit})`,
      );
    await client.query('CREATE TABLE IF NOT EXISTS bench_commit (n integer)');
    const commits: number[] = [];
    const trips: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      commits.push(await timed(() => client.query('INSERT INTO bench_commit VALUES ($1)', [i])));
      trips.push(await timed(() => client.query('SELECT 1')));
    }
    await client.query('DROP TABLE bench_commit');
    const sorted = [...commits].sort((a, b) => a - b);
    return {
      commitMs: median(commits),
      commitP99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))],
      roundTripMs: median(trips),
      samples,
    };
  } finally {
    await client.end();
  }
}
