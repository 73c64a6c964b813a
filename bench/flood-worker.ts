import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/** What the flood sends: `clients` connections in a closed loop, each from one of `addresses`. */
export interface FloodPlan {
  url: string;
  clients: number;
  seconds: number;
  addresses: string[];
}

export interface FloodTally {
  requests: number;
  seconds: number;
  byStatus: Record<string, number>;
}

/**
 * Runs in a worker thread, so the flood's own event loop never delays the legitimate client measured on the
 * main thread. Half the clients send no credential at all, half send bad API tokens: every other request a
 * new random one (a guess) and otherwise the client's own stale one (a broken CI job retrying).
 */
async function flood(plan: FloodPlan): Promise<FloodTally> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.clients });
  const byStatus: Record<string, number> = {};
  let requests = 0;
  const deadline = Date.now() + plan.seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: plan.clients }, async (_, client) => {
      const address = plan.addresses[client % plan.addresses.length];
      const stale = `rgw_${randomBytes(32).toString('base64url')}`;
      for (let n = 0; Date.now() < deadline; n += 1) {
        const headers: Record<string, string> = { 'x-forwarded-for': address };
        if (client % 2 === 1) {
          const token = n % 2 === 0 ? `rgw_${randomBytes(32).toString('base64url')}` : stale;
          headers.authorization = `Basic ${Buffer.from(`convox:${token}`).toString('base64')}`;
        }
        const status = await send(agent, plan.url, headers);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        requests += 1;
      }
    }),
  );
  agent.destroy();
  return { requests, seconds: Number(process.hrtime.bigint() - started) / 1e9, byStatus };
}

function send(agent: Agent, url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(String(res.statusCode)));
    });
    req.once('error', () => resolve('error'));
    req.end();
  });
}

if (parentPort && workerData) {
  void flood(workerData as FloodPlan).then((tally) => parentPort?.postMessage(tally));
}
