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

/** A reference server (bench/reference-servers.ts) in its own process. */
export interface ReferenceProcess {
  child: ChildProcess;
  url: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a benchmark child and resolves with the first JSON line it prints. */
async function spawnReporting<T>(
  script: string,
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; ready: T }> {
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, script), ...args], {
    env: { ...process.env, ...env },
    // The IPC channel lets the benchmark ask the gateway for its query counts.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as T);
    });
  });
  return { child, ready };
}

/**
 * Starts the gateway child (bench/gateway-child.ts) and waits for its `{"port","token","viewerToken"}` line.
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 */
export async function startGatewayChild(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<GatewayProcess> {
  const { child, ready } = await spawnReporting<{ port: number; token: string; viewerToken: string }>(
    'gateway-child.js',
    [],
    env,
    nodeArgs,
  );
  return { child, url: `http://127.0.0.1:${ready.port}`, token: ready.token, viewerToken: ready.viewerToken };
}

export async function startReferenceServer(
  kind: 'plain' | 'nest-express' | 'nest-fastify',
  rack: { url: string; password: string },
): Promise<ReferenceProcess> {
  const { child, ready } = await spawnReporting<{ port: number }>('reference-servers.js', [kind], {
    RACK_URL: rack.url,
    RACK_TOKEN: rack.password,
  });
  return { child, url: `http://127.0.0.1:${ready.port}` };
}

/** SIGTERM, and wait until the process is gone (its shutdown hooks have run). */
export function stopGatewayChild(gateway: { child: ChildProcess }): Promise<void> {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    gateway.child.once('exit', () => resolve());
    gateway.child.kill('SIGTERM');
  });
}
