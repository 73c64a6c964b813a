import { LogCapture } from '../harness/log-capture';
import {
  AuthStack,
  bearer,
  browserLogin,
  csrfHeaders,
  databaseTextDump,
  gatewayHost,
  startAuthStack,
} from './auth-fixture';

describe('credentials are never stored or logged in clear', () => {
  let stack: AuthStack;
  const logs = new LogCapture();

  beforeAll(async () => {
    // `debug` is more than production runs with, so anything a handler logs about a request shows up here.
    stack = await startAuthStack({ LOG_LEVEL: 'debug' }, { logDestination: logs });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('keeps a session token, its CSRF token and an API token out of every log line and table', async () => {
    const { browser } = await browserLogin(stack, 'deployer@example.com');
    const host = gatewayHost(stack);
    const sessionToken = browser.cookie(host, 'rgw_session')!;
    const csrfToken = browser.cookie(host, 'rgw_csrf')!;
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = `rgw_session=${sessionToken}`;

    const created = await fetch(`${stack.gateway.url}/api/v1/api-tokens`, {
      method: 'POST',
      headers: { ...csrfHeaders(stack, browser), cookie },
      body: JSON.stringify({ name: 'ci', role: 'cicd', expiresInDays: 7 }),
    });
    expect(created.status).toBe(201);
    const { token: apiToken, id: tokenId } = (await created.json()) as { token: string; id: string };

    // Use both credentials every way they are accepted, including in a query string by mistake.
    const basic = `Basic ${Buffer.from(`convox:${apiToken}`).toString('base64')}`;
    for (const headers of [bearer(apiToken), { authorization: basic }, bearer(sessionToken), { cookie }]) {
      expect((await fetch(`${stack.gateway.url}/api/v1/me`, { headers })).status).toBe(200);
    }
    const leaky = await fetch(`${stack.gateway.url}/api/v1/me?token=${apiToken}`, { headers: { cookie } });
    expect(leaky.status).toBe(200);
    // A refusal logs a warning and writes an audit event: neither may carry the credential.
    const revoke = await fetch(`${stack.gateway.url}/api/v1/api-tokens/${tokenId}`, {
      method: 'DELETE',
      headers: { ...csrfHeaders(stack, browser), cookie },
    });
    expect(revoke.status).toBe(200);
    expect((await fetch(`${stack.gateway.url}/api/v1/me`, { headers: bearer(apiToken) })).status).toBe(401);
    const logout = await fetch(`${stack.gateway.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { ...csrfHeaders(stack, browser), cookie },
    });
    expect(logout.status).toBe(200);
    expect((await fetch(`${stack.gateway.url}/api/v1/me`, { headers: { cookie } })).status).toBe(401);

    // The capture must really hold the requests above, or the absence checks below prove nothing.
    const logged = logs.text();
    expect(logged).toContain('"url":"/api/v1/me"');
    expect(logged).toContain('"statusCode":401');
    const secrets = [apiToken, apiToken.slice(4), sessionToken, csrfToken];
    for (const secret of secrets) expect(logged).not.toContain(secret);
    for (const row of await databaseTextDump(stack)) {
      for (const secret of secrets) expect(row).not.toContain(secret);
    }
  });
});
