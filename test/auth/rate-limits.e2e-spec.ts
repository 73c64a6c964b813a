import { createHash, randomBytes } from 'node:crypto';
import { permissionsForRoles } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import { AuthStack, bearer, startAuthStack } from './auth-fixture';

const LIMIT = 3;
// CLI polling gets four times the budget: the CLI polls every couple of seconds while the person logs in.
const POLL_LIMIT = LIMIT * 4;

/**
 * Every client here is 127.0.0.1, so the gateway is told to trust one proxy hop and each test speaks
 * from its own X-Forwarded-For address: that is how the per-IP limits can be told apart on loopback.
 */
describe('rate limits on login, CLI polling and rejected credentials', () => {
  let stack: AuthStack;
  let nextAddress = 1;
  const freshIp = () => `198.51.100.${nextAddress++}`;

  async function send(method: string, path: string, ip: string, init: RequestInit = {}) {
    const res = await fetch(`${stack.gateway.url}${path}`, {
      ...init,
      method,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...init.headers },
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HTML pages and redirects have no JSON body.
    }
    return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
  }

  const cliStart = (ip: string) =>
    send('POST', '/api/v1/auth/cli/start', ip, {
      body: JSON.stringify({
        codeChallenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      }),
    });
  const cliPoll = (ip: string, loginId: string) =>
    send('POST', '/api/v1/auth/cli/complete', ip, {
      body: JSON.stringify({ loginId, codeVerifier: randomBytes(32).toString('base64url') }),
    });

  async function tokenOf(email: string): Promise<{ token: string; id: string }> {
    const user = await stack.gateway.app.get(UsersService).getByEmail(email);
    const grantor = { email, permissions: permissionsForRoles(user.roles) };
    const created = await stack.gateway.app
      .get(ApiTokensService)
      .create(user, { name: `t-${randomBytes(3).toString('hex')}`, role: 'viewer' }, grantor);
    return { token: created.token, id: created.entity.id };
  }

  async function revokedTokenOf(email: string): Promise<string> {
    const { token, id } = await tokenOf(email);
    await stack.gateway.app.get(ApiTokensService).revoke(id, 'admin@example.com');
    return token;
  }

  function expectLimited(
    res: { status: number; body: { error: string; message: string }; retryAfter: string | null },
    reason: RegExp,
  ) {
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('rate_limited');
    expect(res.body.message).toMatch(reason);
    expect(res.body.message).toMatch(/try again in \d+ s/);
    expect(res.retryAfter).toMatch(/^\d+$/);
  }

  beforeAll(async () => {
    stack = await startAuthStack({
      LOG_LEVEL: 'error',
      AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT),
      TRUST_PROXY_HOPS: '1',
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('limits browser login starts per IP and leaves another IP alone', async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMIT; i += 1) {
      expect((await send('GET', '/api/v1/auth/web/login', ip)).status).toBe(302);
    }
    expectLimited(
      await send('GET', '/api/v1/auth/web/login', ip),
      /too many login attempts from this address/,
    );
    expect((await send('GET', '/api/v1/auth/web/login', freshIp())).status).toBe(302);
  });

  it('limits CLI login starts per IP and leaves another IP alone', async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMIT; i += 1) expect((await cliStart(ip)).status).toBe(200);
    expectLimited(await cliStart(ip), /too many login attempts from this address/);
    expect((await cliStart(freshIp())).status).toBe(200);
  });

  it('limits CLI polling per IP and per pending login', async () => {
    const ip = freshIp();
    const first = (await cliStart(freshIp())).body.loginId as string;
    const second = (await cliStart(freshIp())).body.loginId as string;
    for (let i = 0; i < POLL_LIMIT; i += 1) expect((await cliPoll(ip, first)).status).toBe(400);
    expectLimited(await cliPoll(ip, first), /too many CLI login polls/);
    // The same login polled from elsewhere stays blocked: the budget follows the login, not only the IP.
    expectLimited(await cliPoll(freshIp(), first), /too many CLI login polls for this login/);
    // Another login from another address is unaffected.
    expect((await cliPoll(freshIp(), second)).status).toBe(400);
  });

  it('limits an IP that keeps presenting bad tokens, and still lets its good token through', async () => {
    const ip = freshIp();
    const { token } = await tokenOf('viewer@example.com');
    for (let i = 0; i < LIMIT; i += 1) {
      const res = await send('GET', '/api/v1/me', ip, {
        headers: bearer(`rgw_${randomBytes(32).toString('base64url')}`),
      });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_credentials');
    }
    expectLimited(
      await send('GET', '/api/v1/me', ip, { headers: bearer('rgw_still-guessing') }),
      /too many rejected credentials from this address/,
    );
    // A shared address (NAT, CI runners) with one broken client must not lock out the others.
    expect((await send('GET', '/api/v1/me', ip, { headers: bearer(token) })).status).toBe(200);
    expect((await send('GET', '/api/v1/me', freshIp(), { headers: bearer(token) })).status).toBe(200);
  });

  it('counts rejected credentials per account across addresses, without touching another account', async () => {
    const opsRevoked = await revokedTokenOf('ops@example.com');
    for (let i = 0; i < LIMIT; i += 1) {
      const res = await send('GET', '/api/v1/me', freshIp(), { headers: bearer(opsRevoked) });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('token_revoked');
    }
    expectLimited(
      await send('GET', '/api/v1/me', freshIp(), { headers: bearer(opsRevoked) }),
      /too many rejected credentials for this account/,
    );
    // The other account's stale token is still just refused, and the limit never stops a valid credential.
    const deployerRevoked = await revokedTokenOf('deployer@example.com');
    const other = await send('GET', '/api/v1/me', freshIp(), { headers: bearer(deployerRevoked) });
    expect(other.status).toBe(401);
    expect(other.body.error).toBe('token_revoked');
    const { token: opsValid } = await tokenOf('ops@example.com');
    expect((await send('GET', '/api/v1/me', freshIp(), { headers: bearer(opsValid) })).status).toBe(200);
  });
});
