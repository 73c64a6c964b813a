import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { basicAuth, rackRequest, rackSocket } from './rack-client';

describe('mock rack authentication', () => {
  // Characters Go percent-escapes in userinfo, so the CLI sends them encoded (spec §1.3).
  const password = 'p@ss/w:rd?';
  let rack: MockRack;

  beforeAll(async () => {
    rack = await startMockRack({ port: 0, password });
  });

  afterAll(() => rack.close());
  beforeEach(() => rack.clearRequests());

  it('refuses a missing password with the Basic challenge and a text reason, and records nothing', async () => {
    const response = await rackRequest(rack, 'GET', '/apps?', { headers: { Authorization: '' } });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="convox"');
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.text).toBe('invalid authentication\n');
    expect(rack.requests).toHaveLength(0);
  });

  it('refuses a wrong password, in JSON when asked for JSON', async () => {
    const response = await rackRequest(rack, 'GET', '/apps?', {
      headers: { Authorization: basicAuth('wrong'), Accept: 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ error: 'invalid authentication' });
  });

  it('accepts the percent-escaped password the CLI sends, whatever the username', async () => {
    const escaped = encodeURIComponent(password);
    const response = await rackRequest(rack, 'GET', '/apps?', {
      headers: { Authorization: basicAuth(escaped, 'anyone') },
    });
    expect(response.status).toBe(200);
    expect(rack.requests).toHaveLength(1);
    expect(rack.requests[0]).toMatchObject({ method: 'GET', path: '/apps', query: '', websocket: false });
  });

  it('serves /check without credentials', async () => {
    const response = await rackRequest(rack, 'GET', '/check', { headers: { Authorization: '' } });
    expect(response.status).toBe(200);
    expect(response.text).toBe('ok');
  });

  it('reports a bad password on a websocket in-band after upgrading, then EOF', async () => {
    const transcript = await rackSocket(rack, '/apps/myapp/logs', {
      headers: { Authorization: basicAuth('wrong'), Follow: 'false' },
    });
    expect(transcript.text).toBe('ERROR: invalid authentication\n');
    expect(transcript.eof).toBe(true);
    expect(rack.requests).toHaveLength(0);
  });

  it('accepts read JWTs for GETs only and refuses exec to them in-band', async () => {
    const minted = await rackRequest(rack, 'POST', '/system/jwt/token?', {
      form: { role: 'read', durationInHour: '1' },
    });
    const { token } = JSON.parse(minted.text) as { token: string };
    const jwtAuth = { Authorization: basicAuth(token, 'jwt') };
    expect((await rackRequest(rack, 'GET', '/apps?', { headers: jwtAuth })).status).toBe(200);
    const write = await rackRequest(rack, 'POST', '/apps?', { headers: jwtAuth, form: { name: 'nope' } });
    expect(write.status).toBe(401);
    expect(write.text).toBe('you are unauthorized to access this\n');
    const exec = await rackSocket(rack, '/apps/myapp/processes/web/exec', {
      headers: { ...jwtAuth, Command: 'echo hi' },
    });
    expect(exec.text).toBe('ERROR: this action requires write access\n');
    const forged = await rackRequest(rack, 'GET', '/apps?', {
      headers: { Authorization: basicAuth(`${token}x`, 'jwt') },
    });
    expect(forged.status).toBe(401);
    expect(forged.text).toBe('invalid authentication: signature is invalid\n');
  });

  it('refuses a websocket whose Origin is another host before upgrading', async () => {
    await expect(
      rackSocket(rack, '/apps/myapp/logs', {
        headers: { Origin: 'https://evil.example.com', Follow: 'false' },
      }),
    ).rejects.toThrow('bad handshake: 403');
  });
});
