import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** An admin's API token with every convox permission. */
  token: string;
  /** A viewer's API token: the legitimate user of the flood benchmark. */
  viewerToken: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the gateway child (bench/gateway-child.ts) and waits for its `{"port","token","viewerToken"}` line. */
export async function startGatewayChild(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'gateway-child.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ port: number; token: string; viewerToken: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{'))
        resolve(JSON.parse(line) as { port: number; token: string; viewerToken: string });
    });
  });
  return { child, url: `http://127.0.0.1:${ready.port}`, token: ready.token, viewerToken: ready.viewerToken };
}

/** SIGTERM, and wait until the process is gone (its shutdown hooks have run). */
export function stopGatewayChild(gateway: GatewayProcess): Promise<void> {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    gateway.child.once('exit', () => resolve());
    gateway.child.kill('SIGTERM');
  });
}
