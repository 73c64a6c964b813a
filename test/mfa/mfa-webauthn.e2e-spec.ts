import WebSocket from 'ws';
import { cliAuth } from '../proxy/proxy-stack';
import { SoftAuthenticator } from './soft-authenticator';
import { startMfaStack, type MfaStack } from './mfa-stack';

interface Options {
  challenge: string;
  rp: { id: string };
}

describe('MFA with WebAuthn and trusted devices, end to end', () => {
  let stack: MfaStack;
  let key: SoftAuthenticator;
  let rpId: string;

  beforeAll(async () => {
    stack = await startMfaStack();
    key = new SoftAuthenticator(stack.gateway.url);
    rpId = new URL(stack.gateway.url).hostname;
  }, 60_000);
  afterAll(() => stack?.close());

  const registrationOptions = async (token: string) => {
    const r = await stack.api('/api/v1/mfa/webauthn/registration-options', token, { method: 'POST' });
    expect(r.status).toBe(200);
    return (await r.json()) as Options;
  };
  const assertionChallenge = async (token: string) => {
    const r = await stack.api('/api/v1/mfa/webauthn/authentication-options', token, {
      method: 'POST',
      body: '{}',
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { challenge: string }).challenge;
  };
  const verify = (token: string, webauthn: unknown, extra: Record<string, unknown> = {}) =>
    stack.api('/api/v1/mfa/verify', token, { method: 'POST', body: JSON.stringify({ webauthn, ...extra }) });

  it('registers a software security key with attestation none and verifies an assertion', async () => {
    const token = await stack.session('deployer');
    const options = await registrationOptions(token);
    expect(options.rp.id).toBe(rpId);
    const registered = await stack.api('/api/v1/mfa/webauthn/registrations', token, {
      method: 'POST',
      body: JSON.stringify({ response: key.register(options), label: 'soft key', cliCapable: true }),
    });
    expect(registered.status).toBe(201);
    expect(((await registered.json()) as { backupCodes: string[] }).backupCodes).toHaveLength(10);

    const fresh = await stack.session('deployer');
    expect((await stack.api('/api/v1/users', fresh)).status).not.toBe(200);
    const ok = await verify(fresh, key.assert(await assertionChallenge(fresh), rpId));
    expect(ok.status).toBe(200);
    const me = (await (await stack.api('/api/v1/me', fresh)).json()) as {
      mfa: { verified: boolean; stepUpExpiresAt?: string; methods: { kind: string; label: string }[] };
    };
    expect(me.mfa.verified).toBe(true);
    expect(me.mfa.stepUpExpiresAt).toBeDefined();
    expect(me.mfa.methods).toEqual([expect.objectContaining({ kind: 'webauthn', label: 'soft key' })]);
  });

  it('uses a challenge once: a replayed assertion is refused', async () => {
    const token = await stack.session('deployer');
    const assertion = key.assert(await assertionChallenge(token), rpId);
    expect((await verify(token, assertion)).status).toBe(200);
    const replay = await verify(token, assertion);
    expect(replay.status).toBe(401);
  });

  it('binds a challenge to the session that asked for it', async () => {
    const asker = await stack.session('deployer');
    const thief = await stack.session('deployer');
    const assertion = key.assert(await assertionChallenge(asker), rpId);
    expect((await verify(thief, assertion)).status).toBe(401);
  });

  it('refuses an expired challenge', async () => {
    const token = await stack.session('deployer');
    const challenge = await assertionChallenge(token);
    await stack.db.query("UPDATE mfa_challenges SET expires_at = now() - interval '1 second'");
    expect((await verify(token, key.assert(challenge, rpId))).status).toBe(401);
  });

  it('refuses a signature counter that goes backwards and a wrong origin', async () => {
    // Earlier refusals count towards the lockout; start this case with a clean slate.
    await stack.db.query('DELETE FROM mfa_attempts');
    const token = await stack.session('deployer');
    const stale = key.assert(await assertionChallenge(token), rpId, { counter: 1 });
    expect((await verify(token, stale)).status).toBe(401);
    const other = key.assert(await assertionChallenge(token), rpId, { origin: 'https://evil.example' });
    expect((await verify(token, other)).status).toBe(401);
    const reasons = await stack.db.query<{ reason: string }>(
      'SELECT reason FROM mfa_attempts WHERE success = false ORDER BY id DESC LIMIT 2',
    );
    expect(reasons.rows.map((r) => r.reason)).toContain('sign_counter_regressed');
    await stack.db.query('DELETE FROM mfa_attempts');
  });

  it('trusts a browser at verification: the next web session skips the login challenge but not a step-up', async () => {
    const web = await stack.session('deployer', 'web');
    const trusted = await stack.api('/api/v1/mfa/verify', web, {
      method: 'POST',
      body: JSON.stringify({ webauthn: key.assert(await assertionChallenge(web), rpId), trustDevice: true }),
    });
    expect(trusted.status).toBe(200);
    const cookie = /rgw_trusted_device=([^;]+)/.exec(trusted.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    const stored = await stack.db.query<{ token_hash: string }>('SELECT token_hash FROM mfa_trusted_devices');
    expect(stored.rows[0].token_hash).not.toContain(cookie!);

    const next = await stack.session('deployer', 'web');
    const withCookie = { cookie: `rgw_trusted_device=${cookie}` };
    expect((await stack.api('/api/v1/api-tokens', next, { headers: withCookie })).status).toBe(200);
    const stepUp = await stack.api('/api/v1/api-tokens', next, {
      method: 'POST',
      headers: withCookie,
      body: JSON.stringify({ name: 'needs-step-up', permissions: ['convox:app:list'] }),
    });
    expect(stepUp.status).toBe(401);
    expect(stepUp.headers.get('x-mfa-required')).toBe('step_up');

    const list = (await (await stack.api('/api/v1/mfa/trusted-devices', next)).json()) as { id: string }[];
    expect(list).toHaveLength(1);
    const fresh = await stack.session('deployer', 'web');
    await verify(fresh, key.assert(await assertionChallenge(fresh), rpId));
    const revoked = await stack.api(`/api/v1/mfa/trusted-devices/${list[0].id}`, fresh, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    const after = await stack.session('deployer', 'web');
    expect((await stack.api('/api/v1/api-tokens', after, { headers: withCookie })).status).toBe(401);
    const audit = await stack.db.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE action LIKE 'mfa:trusted_device%'",
    );
    expect(audit.rows.map((r) => r.action).sort()).toEqual([
      'mfa:trusted_device_add',
      'mfa:trusted_device_revoke',
    ]);
  });

  it('refuses a websocket upgrade from a session that has not passed MFA, naming the requirement', async () => {
    const token = await stack.session('deployer');
    const ws = new WebSocket(`${stack.proxyUrl.replace('http', 'ws')}/apps/myapp/processes/web-1/exec`, {
      headers: { authorization: cliAuth(token) },
    });
    const response = await new Promise<{ status?: number; header?: string }>((resolve) => {
      ws.on('unexpected-response', (_req, res) =>
        resolve({ status: res.statusCode, header: res.headers['x-mfa-required'] as string }),
      );
      ws.on('open', () => resolve({}));
      ws.on('error', () => undefined);
    });
    ws.terminate();
    expect(response).toEqual({ status: 401, header: 'login' });
  });
});
