import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { LogCapture } from '../harness/log-capture';
import { cliAuth, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

/**
 * Every request header the convox CLI sends on any route or websocket (its common headers, `convox run`'s
 * options on the POST, the exec/logs/shell/console options, the form-or-header parameters a rack also reads
 * from headers, console mode's `Rack`/`Session`), the usual credential carriers and made-up `X-*` headers.
 * Each gets a value of its own, so a log line that shows one names the header that leaked.
 */
const CLI_HEADERS = [
  'Command',
  'Environment',
  'Cpu',
  'Cpu-Limit',
  'Gpu',
  'Gpu-Vendor',
  'Height',
  'Width',
  'Image',
  'Memory',
  'Memory-Limit',
  'Release',
  'Volumes',
  'Use-Service-Volume',
  'Privileged',
  'Node-Labels',
  'System-Critical',
  'Entrypoint',
  'Tty',
  'Disable-Stdin',
  'Follow',
  'Since',
  'Filter',
  'Tail',
  'Prefix',
  'Previous',
  'Maxlogrequests',
  'Private-Key',
  'Public',
  'Timeout',
  'Terminal',
  'Version',
  'X-Convox-Actor',
  'Convox-Actor',
  'Convox-Tid',
  'X-Convox-Tid',
  'Rack',
  'Session',
  'X-Host',
  'X-Port',
  'Name',
  'Value',
  'Url',
  'Kind',
  'Pub',
  'Key',
  'Domains',
  'Role',
  'DurationInHour',
  'Server',
  'Username',
  'Password',
  'Referer',
];
const CREDENTIAL_HEADERS = [
  'Cookie',
  'Proxy-Authorization',
  'X-Csrf-Token',
  'X-Api-Key',
  'X-Auth-Token',
  'X-Amz-Security-Token',
  'X-Goog-Api-Key',
  'X-Vault-Token',
];
const ARBITRARY_X_HEADERS = [
  'X-Debug-Dump',
  'X-Tenant-Secretless',
  'X-Anything',
  'X-A',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Real-Ip',
  'X-Original-Url',
];

/** `{header: canary}` for every header above; canaries look like nothing the redactor knows. */
function canaries(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...CLI_HEADERS, ...CREDENTIAL_HEADERS, ...ARBITRARY_X_HEADERS]) {
    out[name] = `canary${randomBytes(6).toString('hex')}`;
  }
  return out;
}

/** The header the canary of `text` was sent in, for a failure message that names it. */
function leaked(text: string, sent: Record<string, string>[]): string[] {
  return sent.flatMap((headers) =>
    Object.entries(headers)
      .filter(([, canary]) => text.includes(canary))
      .map(([name]) => name),
  );
}

function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, skipUTF8Validation: true });
    let status = 0;
    let text = '';
    ws.on('upgrade', (res) => (status = res.statusCode ?? 0));
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) ws.close(1000);
      else text += data.toString('utf8');
    });
    ws.on('close', () => resolve({ status, text }));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, text: '' });
    });
    ws.on('error', reject);
  });
}

describe('the stdout request log shows allow-listed headers only', () => {
  let stack: ProxyStack;
  const logs = new LogCapture();
  const stdout: string[] = [];
  const sent: Record<string, string>[] = [];
  const realWrite = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    // Audit lines go to process.stdout beside the request log: both are what an operator ships to a log store.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
    stack = await startProxyStack({ LOG_LEVEL: 'debug', AUDIT_STDOUT: 'true' }, undefined, {
      logDestination: logs,
    });
  });
  afterAll(async () => {
    process.stdout.write = realWrite;
    await stack?.close();
  });

  const withCanaries = (credential: Record<string, string>) => {
    const headers = canaries();
    sent.push(headers);
    return { ...headers, ...credential };
  };

  it('keeps the canaries of `convox run` and every other header out of a proxied call', async () => {
    const res = await fetch(`${stack.proxyUrl}/apps/myapp/services/web/processes?`, {
      method: 'POST',
      headers: withCanaries({ authorization: cliAuth(stack.tokens.deployer) }),
    });
    // The call went through the gateway to the rack (which refuses the made-up release).
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.status).toBeLessThan(500);
  });

  it('keeps them out of an admin API call, an allowed one and a refused one', async () => {
    const me = await fetch(`${stack.gateway.url}/api/v1/me`, {
      headers: withCanaries({ authorization: `Bearer ${stack.tokens.viewer}` }),
    });
    expect(me.status).toBe(200);
    const refused = await fetch(`${stack.gateway.url}/api/v1/users`, {
      method: 'POST',
      headers: withCanaries({ authorization: 'Bearer rgw_not-a-real-token-at-all' }),
    });
    expect(refused.status).toBe(401);
  });

  it('keeps them out of a websocket session and a refused upgrade', async () => {
    const ws = stack.proxyUrl.replace(/^http/, 'ws');
    const session = await upgrade(
      `${ws}/apps/myapp/processes/web/exec`,
      withCanaries({ authorization: cliAuth(stack.tokens.ops) }),
    );
    expect(session.status).toBe(101);
    const refused = await upgrade(`${ws}/apps/myapp/logs`, withCanaries({}));
    // Refused before the upgrade (401) or in-band after it, as a rack does (101 + `ERROR:` frame).
    expect(refused.status === 401 || /^ERROR: /.test(refused.text)).toBe(true);
  });

  it('logged the calls above, with the allowed headers, and not one canary', async () => {
    // Outcome lines are written when responses close, a moment after the client has them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const logged = logs.text();
    // The capture holds the requests, or the absence check proves nothing.
    expect(logged).toContain('"url":"/api/v1/rack-proxy/apps/myapp/services/web/processes?"');
    expect(logged).toContain('"url":"/api/v1/me"');
    expect(logged).toMatch(/"user-agent":"node"/);
    expect(logged).toContain('"x-request-id"');
    expect(logged).toContain('"clientIp":"127.0.0.1"');
    const everything = `${logged}\n${stdout.join('')}`;
    expect(leaked(everything, sent)).toEqual([]);
    for (const token of Object.values(stack.tokens)) expect(everything).not.toContain(token);
  });
});
