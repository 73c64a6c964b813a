import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { startTestGateway, TestGateway } from '../harness/test-gateway';

/** A stand-in rack that only answers the unauthenticated `/check` probe, as the real rack does. */
function startCheckOnlyRack(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/check') res.end('ok');
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('health and metrics', () => {
  let rack: Server;
  let gateway: TestGateway;

  beforeAll(async () => {
    rack = await startCheckOnlyRack();
    const port = (rack.address() as AddressInfo).port;
    gateway = await startTestGateway({ RACK_URL: `http://127.0.0.1:${port}`, RACK_TOKEN: 'rack-password' });
  });
  afterAll(async () => {
    await gateway?.close();
    rack?.close();
  });

  it('answers /healthz while the process is up', async () => {
    const res = await fetch(`${gateway.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the database and the rack answer', async () => {
    const res = await fetch(`${gateway.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', rack: 'ok' } });
  });

  it('echoes an acceptable X-Request-Id and replaces a hostile one', async () => {
    const kept = await fetch(`${gateway.url}/healthz`, { headers: { 'X-Request-Id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${gateway.url}/healthz`, { headers: { 'X-Request-Id': 'bad id {"x":1}' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes request counts and latency histograms in Prometheus text format', async () => {
    await fetch(`${gateway.url}/healthz`);
    const res = await fetch(`${gateway.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /rack_gateway_http_requests_total\{route_class="health",method="GET",status="200"\} \d+/,
    );
    expect(text).toContain('rack_gateway_http_request_duration_seconds_bucket');
  });

  it('reports not ready and names the rack when the rack is down', async () => {
    const downGateway = await startTestGateway({ RACK_URL: 'http://127.0.0.1:9', RACK_TOKEN: 'x' });
    try {
      const res = await fetch(`${downGateway.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { checks: { database: string; rack: string } };
      expect(body.checks.database).toBe('ok');
      expect(body.checks.rack).toMatch(/^unreachable/);
    } finally {
      await downGateway.close();
    }
  });
});
