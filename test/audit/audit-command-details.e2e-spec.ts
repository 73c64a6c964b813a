import { Client } from 'pg';
import WebSocket from 'ws';
import { cliAuth, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

const SECRETS = [
  'envsecret1',
  'urlpassword2',
  'flagpassword3',
  'shortflag4',
  'curlpassword5',
  'envmapvalue6',
];
const COMMAND =
  'FOO=envsecret1 psql postgres://app:urlpassword2@db/app --password=flagpassword3 && ' +
  'mysql -u root -p shortflag4 && curl -u admin:curlpassword5 https://example.com';
const REDACTED_COMMAND =
  'FOO=[REDACTED] psql postgres://app:[REDACTED]@db/app --password=[REDACTED] && ' +
  'mysql -u root -p [REDACTED] && curl -u admin:[REDACTED] https://example.com';

interface Row {
  action: string;
  details: string;
  result: string;
}

/** The exec websocket as `convox exec`/`convox run` opens it; resolves with the request id at the end. */
function exec(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, skipUTF8Validation: true });
    let requestId = '';
    ws.on('upgrade', (res) => (requestId = String(res.headers['x-request-id'] ?? '')));
    ws.on('message', (_data, isBinary) => {
      if (isBinary) ws.close(1000);
    });
    ws.on('close', () => resolve(requestId));
    ws.on('error', reject);
  });
}

describe('the audit trail records what `convox run` and `convox exec` ran, with secrets cut out', () => {
  let stack: ProxyStack;
  let db: Client;

  beforeAll(async () => {
    stack = await startProxyStack();
    db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  async function eventOf(requestId: string): Promise<Row> {
    expect(requestId).not.toBe('');
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const { rows } = await db.query<Row>('SELECT * FROM audit_events WHERE request_id = $1', [requestId]);
      if (rows.length > 0 && rows[0].result !== 'open') return rows[0];
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no finished audit event for ${requestId}`);
  }

  it('records the command and environment names of `convox run` (detached POST)', async () => {
    const res = await fetch(`${stack.proxyUrl}/apps/myapp/services/web/processes?`, {
      method: 'POST',
      headers: {
        authorization: cliAuth(stack.tokens.deployer),
        Command: COMMAND,
        Environment: 'FOO=envmapvalue6&BAR=envmapvalue6',
        Height: '40',
        Width: '120',
      },
    });
    expect(res.status).toBe(200);
    const event = await eventOf(res.headers.get('x-request-id') ?? '');
    expect(event.action).toBe('convox:process:start');
    expect(JSON.parse(event.details)).toMatchObject({
      command: REDACTED_COMMAND,
      environmentKeys: ['BAR', 'FOO'],
    });
    for (const secret of SECRETS) expect(event.details).not.toContain(secret);
  });

  it('records the command of `convox exec` (websocket) the same way', async () => {
    const url = `${stack.proxyUrl.replace(/^http/, 'ws')}/apps/myapp/processes/web/exec`;
    const requestId = await exec(url, { authorization: cliAuth(stack.tokens.ops), Command: COMMAND });
    const event = await eventOf(requestId);
    expect(event.action).toBe('convox:process:exec');
    expect(JSON.parse(event.details)).toMatchObject({ command: REDACTED_COMMAND, websocket: true });
    for (const secret of SECRETS) expect(event.details).not.toContain(secret);
  });
});
