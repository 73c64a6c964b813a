import { Client } from 'pg';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { spawnMockOAuth, type SpawnedMockOAuth } from '../../src/dev/mock-oauth/spawn';
import { CALLBACK_PATH, CLIENT_ID, CLIENT_SECRET } from '../auth/auth-fixture';
import { CookieJarClient } from '../harness/cookie-jar-client';
import { freePort } from '../harness/free-port';
import { startServers } from '../harness/started-servers';
import { RACK_PASSWORD, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

/** The real gateway with real auth and proxy, a mock rack, a mock Google login and a database client. */
export interface FullStack {
  proxy: ProxyStack;
  rack: MockRack;
  oauth: SpawnedMockOAuth;
  db: Client;
  url: string;
  close(): Promise<void>;
}

/** `env` adds gateway settings (e.g. PORT and PUBLIC_URL on `localhost`, which WebAuthn needs). */
export async function startFullStack(env: Record<string, string> = {}): Promise<FullStack> {
  const oauthPort = await freePort();
  return startServers(async (servers) => {
    // The rack is ours (not the stack's) so a test can take it down and see the gateway answer 502;
    // closing it again then fails, which is expected.
    const rack = servers.own(
      await startMockRack({ port: 0, password: RACK_PASSWORD, promoteDelayMs: 50 }),
      (started) => started.close().catch(() => undefined),
    );
    const proxy = servers.own(
      await startProxyStack(
        {
          GOOGLE_ISSUER: `http://127.0.0.1:${oauthPort}`,
          GOOGLE_CLIENT_ID: CLIENT_ID,
          GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
          GOOGLE_ALLOWED_DOMAIN: 'example.com',
          ...env,
        },
        rack,
      ),
      (started) => started.close(),
    );
    const oauth = servers.own(
      await spawnMockOAuth({
        port: oauthPort,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${proxy.gateway.config.http.publicUrl}${CALLBACK_PATH}`],
      }),
      (started) => started.stop(),
    );
    const db = new Client({ connectionString: proxy.gateway.databaseUrl });
    await db.connect();
    servers.own(db, (client) => client.end());
    const url = new URL(proxy.gateway.config.http.publicUrl).origin;
    return { proxy, rack, oauth, db, url, close: () => servers.closeAll() };
  });
}

/** What a browser login left behind: the browser (cookies) and the callback's status and request id. */
export interface BrowserLogin {
  browser: CookieJarClient;
  callbackStatus: number;
  requestId: string;
}

/**
 * A browser login through the mock Google account picker, hop by hop, so the callback's own response —
 * the one the login event belongs to — can be read.
 */
export async function loginAs(stack: FullStack, email: string): Promise<BrowserLogin> {
  const browser = new CookieJarClient();
  const picker = await browser.get(`${stack.url}/api/v1/auth/web/login?returnTo=/api/v1/me`);
  const action = /<form method="post" action="([^"]+\/login)"/.exec(picker.body)?.[1];
  if (!action) throw new Error(`no account picker (${picker.status}): ${picker.body.slice(0, 200)}`);
  let url = new URL(action.replace(/&amp;/g, '&'), picker.url);
  let init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url.origin },
    body: new URLSearchParams({ email }).toString(),
  };
  for (let hop = 0; hop < 15; hop += 1) {
    const page = await browser.request(url, init);
    if (url.pathname === CALLBACK_PATH) {
      return { browser, callbackStatus: page.status, requestId: page.headers.get('x-request-id') ?? '' };
    }
    const location = page.headers.get('location');
    if (!location) break;
    url = new URL(location, url);
    init = { method: 'GET' };
  }
  throw new Error(`the login of ${email} never reached the gateway's callback`);
}

/** Headers of a same-origin script call: the session cookie goes with the browser; Origin and CSRF here. */
export function sameOrigin(stack: FullStack, login: BrowserLogin): Record<string, string> {
  return {
    origin: stack.url,
    'x-csrf-token': login.browser.cookie(new URL(stack.url).host, 'rgw_csrf') ?? '',
    'content-type': 'application/json',
  };
}

export interface AuditRow {
  action: string;
  decision: string;
  rule: string;
  actor_email: string;
  actor_type: string;
  resource_type: string;
  resource_name: string;
  status: number | null;
  result: string;
  details: string;
  outcome_details: string | null;
}

/**
 * Every event with this request id, once none of them is open any more (outcomes are written when the
 * response closes, a moment after the client has it); then read once more, so a late second event shows.
 */
export async function eventsOf(stack: FullStack, requestId: string): Promise<AuditRow[]> {
  expect(requestId).not.toBe('');
  const read = async () =>
    (
      await stack.db.query<AuditRow>(
        'SELECT * FROM audit_events WHERE request_id = $1 ORDER BY chain_index',
        [requestId],
      )
    ).rows;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const rows = await read();
    if (rows.length > 0 && rows.every((r) => r.result !== 'open')) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  return read();
}

/** The one event of a request; fails (showing every action) when there are none or several. */
export async function onlyEventOf(stack: FullStack, requestId: string): Promise<AuditRow> {
  const rows = await eventsOf(stack, requestId);
  expect(rows.map((r) => r.action)).toHaveLength(1);
  return rows[0];
}

export interface SocketEnd {
  requestId: string;
  /** 101 for a session (or a refusal told in-band), else the HTTP refusal's status. */
  status: number;
  text: string;
  /** The close code, when the websocket was upgraded and closed. */
  closeCode?: number;
}

/** A websocket like the convox CLI's: optional stdin, then reads until the rack's EOF frame or the close. */
export function cliWebsocket(url: string, headers: Record<string, string>, stdin: string[] = []) {
  return new Promise<SocketEnd>((resolve, reject) => {
    const ws = new WebSocket(url, { headers, skipUTF8Validation: true });
    const end: SocketEnd = { requestId: '', status: 0, text: '' };
    ws.on('upgrade', (res) => {
      end.status = res.statusCode ?? 0;
      end.requestId = String(res.headers['x-request-id'] ?? '');
    });
    ws.on('open', () => {
      for (const line of stdin) ws.send(line, { binary: false });
      if (stdin.length > 0) ws.send(Buffer.alloc(0), { binary: true });
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) ws.close(1000);
      else end.text += data.toString('utf8');
    });
    ws.on('close', (code) => resolve({ ...end, closeCode: code }));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({
        requestId: String(res.headers['x-request-id'] ?? ''),
        status: res.statusCode ?? 0,
        text: '',
      });
    });
    ws.on('error', reject);
  });
}

/** Starts a download, reads its headers (and request id), then hangs up before the body is through. */
export function abortedDownload(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve(String(res.headers['x-request-id'] ?? ''));
      });
    });
    req.on('error', () => undefined);
    req.end();
    setTimeout(() => reject(new Error('no data from the download')), 5000);
  });
}
