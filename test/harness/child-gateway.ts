import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { throwawayGatewayEnv } from '../../src/dev/throwaway-gateway-env';
import { freePort } from './free-port';

// The built entry point (npm test builds before running Jest): a real second process, sharing nothing
// with the first but the database.
const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** Secrets two gateway processes of one deployment share; pass them to both. */
export function sharedGatewaySecrets(): Record<string, string> {
  return {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    AUDIT_HMAC_SECRET: randomBytes(32).toString('hex'),
  };
}

export interface ChildGateway {
  url: string;
  child: ChildProcess;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A second gateway process on the same database and rack, started from the build and ready to serve. */
export async function startChildGateway(
  databaseUrl: string,
  env: Record<string, string>,
): Promise<ChildGateway> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      ...throwawayGatewayEnv(port, databaseUrl, env),
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`second gateway exited: ${stderr}`);
    const ready = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, child, stop };
    await pause(100);
  }
  await stop();
  throw new Error(`second gateway did not start: ${stderr}`);
}
