import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { throwawayGatewayEnv } from '../../src/dev/throwaway-gateway-env';
import { freePort } from '../harness/free-port';

// The built entry point (build before running): a real second process sharing only the database.
const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface ChildGateway {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `dist/src/main.js` on a free port with `env` over a throwaway configuration; waits for /healthz. */
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
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`second gateway exited: ${stderr}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`second gateway did not start: ${stderr}`);
}
