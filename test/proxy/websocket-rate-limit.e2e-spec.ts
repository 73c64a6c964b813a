import WebSocket from 'ws';
import { sendRawHttp } from '../harness/raw-http-exchange';
import { startProxyStack, type ProxyStack } from './proxy-stack';

const LIMIT = 3;
const BAD_TOKEN = 'Bearer rgw_not-a-real-token-at-all';

interface Answer {
  /** 101 for an in-band refusal, else the HTTP status. */
  handshake: number;
  retryAfter?: string;
  text: string;
  close?: { code: number; reason: string };
  body?: string;
}

/** Opens a websocket and reads whatever answer comes: an HTTP refusal, or frames until the close. */
function attempt(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const answer: Answer = { handshake: 0, text: '' };
    ws.on('upgrade', (res) => (answer.handshake = res.statusCode ?? 0));
    ws.on('message', (data: Buffer) => (answer.text += data.toString('utf8')));
    ws.on('close', (code, reason) => resolve({ ...answer, close: { code, reason: reason.toString() } }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({
          handshake: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'],
          text: '',
          body,
        }),
      );
    });
    ws.on('error', reject);
  });
}

/** The delay a 429's message names (`…; try again in N s`). */
function delayIn(message: string): number {
  const match = /; try again in (\d+) s\n?$/.exec(message);
  expect(match).not.toBeNull();
  return Number(match![1]);
}

/**
 * Websocket upgrades refused for the failed-credential limit say when to come back, like a 429 on a plain
 * request: in the in-band `ERROR:` line and close reason on a websocket route, and as `Retry-After` when the
 * refusal is answered as plain HTTP. Every client here is 127.0.0.1, so the gateway trusts one proxy hop and
 * each test speaks from its own X-Forwarded-For address.
 */
describe('websocket upgrades over the failed-credential limit', () => {
  let stack: ProxyStack;
  let wsBase: string;
  let nextAddress = 1;
  const freshIp = () => `198.51.100.${nextAddress++}`;

  /** Spends the address's budget on bad tokens over a websocket route; returns its first in-band 429. */
  async function exhaust(ip: string): Promise<Answer> {
    for (let sent = 0; sent <= LIMIT + 2; sent += 1) {
      const answer = await attempt(`${wsBase}/apps/myapp/logs`, {
        authorization: BAD_TOKEN,
        'x-forwarded-for': ip,
      });
      if (answer.close?.code !== 4401) return answer;
    }
    throw new Error(`no 429 after ${LIMIT + 3} bad tokens`);
  }

  beforeAll(async () => {
    stack = await startProxyStack({ AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY_HOPS: '1' });
    wsBase = stack.proxyUrl.replace(/^http/, 'ws');
  });
  afterAll(() => stack?.close());

  it('tells a websocket route in-band when to try again, in the ERROR line and the close reason', async () => {
    const answer = await exhaust(freshIp());
    expect(answer.handshake).toBe(101);
    expect(answer.text).toMatch(
      /^ERROR: too many rejected credentials from this address; try again in \d+ s\n$/,
    );
    const delay = delayIn(answer.text);
    expect(delay).toBeGreaterThanOrEqual(1);
    expect(delay).toBeLessThanOrEqual(60);
    expect(answer.close).toEqual({ code: 4429, reason: answer.text.slice('ERROR: '.length, -1) });
  });

  it('answers a refusal that is not told in-band with 429 and a Retry-After the message agrees with', async () => {
    const ip = freshIp();
    await exhaust(ip);
    // Not a websocket route: refused as plain HTTP, never upgraded.
    const answer = await attempt(`${wsBase}/apps`, { authorization: BAD_TOKEN, 'x-forwarded-for': ip });
    expect(answer.handshake).toBe(429);
    const { error } = JSON.parse(answer.body ?? '{}') as { error: string };
    expect(error).toMatch(/^too many rejected credentials from this address; try again in \d+ s$/);
    expect(Number(answer.retryAfter)).toBe(delayIn(error));
  });

  it('sends Retry-After on a websocket route when the handshake cannot be completed in-band', async () => {
    const ip = freshIp();
    await exhaust(ip);
    const port = Number(new URL(stack.proxyUrl).port);
    // No Sec-WebSocket-Key: `ws` could not answer 101, so the refusal is plain HTTP.
    const answer = await sendRawHttp(port, {
      method: 'GET',
      target: `${new URL(stack.proxyUrl).pathname}/apps/myapp/logs`,
      headers: [
        ['Host', `127.0.0.1:${port}`],
        ['Authorization', BAD_TOKEN],
        ['X-Forwarded-For', ip],
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
      ],
    });
    expect(answer.status).toBe(429);
    const retryAfter = /\r\nretry-after: (\d+)\r\n/i.exec(answer.raw);
    expect(retryAfter).not.toBeNull();
    const { error } = JSON.parse(answer.body) as { error: string };
    expect(Number(retryAfter![1])).toBe(delayIn(error));
  });
});
