import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on, for a server a test starts (often in a child process that binds it
 * seconds later). Ports come from a block of their own per Jest worker, below the kernel's ephemeral range:
 * a port the kernel hands out (listen(0), or the local end of any outgoing connection, such as a database
 * client's) could be taken by another worker or connection before the server binds it.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? '0');
  const start = FIRST_PORT + worker * BLOCK;
  if (!Number.isInteger(worker) || start + BLOCK > ephemeralLow()) return kernelPort();
  for (let tries = 0; tries < BLOCK; tries++) {
    const port = start + (cursor++ % BLOCK);
    if (await listenable(port)) return port;
  }
  return kernelPort();
}

const FIRST_PORT = 10_000;
const BLOCK = 1_000;
// Each test file gets a fresh module, so a random start keeps consecutive files in one worker apart.
let cursor = Math.floor(Math.random() * BLOCK);

function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32_768;
  }
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Asks the kernel for an unused loopback port (outside Jest, or when no block fits below the range). */
function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
