import { createHash } from 'node:crypto';
import { cliAuth } from '../proxy/proxy-stack';
import { SoftAuthenticator } from './soft-authenticator';
import { startMfaStack, type MfaStack } from './mfa-stack';

interface Issued {
  proof: string;
  expiresAt: string;
  stepUpExpiresAt?: string;
}

/**
 * A passkey-only person on `always` actions: an assertion made for an action buys a single-use proof bound
 * to the session, which one following request spends (X-MFA-Proof). Real gateway, PostgreSQL, mock rack.
 */
describe('MFA: a passkey proof for one always-level action', () => {
  let stack: MfaStack;
  let key: SoftAuthenticator;
  let rpId: string;

  beforeAll(async () => {
    // Deleting apps is the proxy's always-level example; the destructive-action switch must allow it at all.
    stack = await startMfaStack({ RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true' });
    key = new SoftAuthenticator(stack.gateway.url);
    rpId = new URL(stack.gateway.url).hostname;
    const enrolling = await stack.session('admin', 'web');
    const options = (await (
      await stack.api('/api/v1/mfa/webauthn/registration-options', enrolling, { method: 'POST' })
    ).json()) as { challenge: string; rp: { id: string } };
    const registered = await stack.api('/api/v1/mfa/webauthn/registrations', enrolling, {
      method: 'POST',
      body: JSON.stringify({ response: key.register(options), label: 'only passkey' }),
    });
    if (registered.status !== 201) throw new Error(await registered.text());
  }, 60_000);
  afterAll(() => stack?.close());

  /** A verified session of the passkey-only admin (the step-up window open, which `always` ignores). */
  const verifiedSession = async (channel: 'cli' | 'web' = 'web') => {
    const token = await stack.session('admin', channel);
    const options = (await (
      await stack.api('/api/v1/mfa/webauthn/authentication-options', token, { method: 'POST', body: '{}' })
    ).json()) as { challenge: string };
    const verified = await stack.api('/api/v1/mfa/verify', token, {
      method: 'POST',
      body: JSON.stringify({ webauthn: key.assert(options.challenge, rpId) }),
    });
    expect(verified.status).toBe(200);
    return token;
  };
  const actionChallenge = async (token: string) => {
    const r = await stack.api('/api/v1/mfa/webauthn/action-options', token, { method: 'POST', body: '{}' });
    expect(r.status).toBe(200);
    return ((await r.json()) as { challenge: string }).challenge;
  };
  const exchange = (token: string, webauthn: unknown) =>
    stack.api('/api/v1/mfa/webauthn/action-proofs', token, {
      method: 'POST',
      body: JSON.stringify({ webauthn }),
    });
  const proofFor = async (token: string): Promise<Issued> => {
    const r = await exchange(token, key.assert(await actionChallenge(token), rpId));
    expect(r.status).toBe(200);
    return (await r.json()) as Issued;
  };
  /** An always-level admin change: the audit retention setting. */
  const changeSetting = (token: string, value: number, proof?: string) =>
    stack.api('/api/v1/settings/audit.retention_days', token, {
      method: 'PUT',
      body: JSON.stringify({ value }),
      headers: proof ? { 'x-mfa-proof': proof } : {},
    });
  const retention = async () =>
    (
      await stack.db.query<{ value: unknown }>(
        "SELECT value FROM gateway_settings WHERE key = 'audit.retention_days'",
      )
    ).rows[0]?.value;
  const auditActions = async (prefix: string) =>
    (
      await stack.db.query<{ action: string; decision: string; rule: string }>(
        'SELECT action, decision, rule FROM audit_events WHERE action LIKE $1 ORDER BY chain_index',
        [`${prefix}%`],
      )
    ).rows;

  it('refuses the action without a proof, spends a proof once, and refuses its replay', async () => {
    const token = await verifiedSession();
    const bare = await changeSetting(token, 400);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('x-mfa-required')).toBe('always');

    const issued = await proofFor(token);
    expect(issued.proof).toMatch(/^rgw_mfap_[A-Za-z0-9_-]{43}$/);
    const lifetime = Date.parse(issued.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(100_000);
    expect(lifetime).toBeLessThanOrEqual(120_000);
    const stored = await stack.db.query<{ proof_hash: string }>('SELECT proof_hash FROM mfa_action_proofs');
    expect(stored.rows).toEqual([{ proof_hash: createHash('sha256').update(issued.proof).digest('hex') }]);

    expect((await changeSetting(token, 400, issued.proof)).status).toBe(200);
    expect(await retention()).toBe(400);
    const replay = await changeSetting(token, 500, issued.proof);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({
      error: 'mfa_verification_failed',
      message: expect.stringMatching(/already used/) as string,
    });
    expect(await retention()).toBe(400);

    const mfaEvents = (await auditActions('mfa:')).filter((e) => e.action !== 'mfa:enroll_webauthn');
    expect(mfaEvents).toEqual(
      expect.arrayContaining([
        { action: 'mfa:verify', decision: 'allow', rule: 'webauthn' },
        { action: 'mfa:action_proof_issue', decision: 'allow', rule: 'passkey' },
        { action: 'mfa:action_proof_use', decision: 'allow', rule: 'webauthn' },
        { action: 'mfa:action_proof_refused', decision: 'deny', rule: 'proof_unknown_used_or_other_session' },
      ]),
    );
    const verified = await stack.db.query<{ details: string }>(
      "SELECT details FROM audit_events WHERE action = 'mfa:verify' ORDER BY chain_index DESC LIMIT 1",
    );
    expect(JSON.parse(verified.rows[0].details)).toMatchObject({ family: 'webauthn', purpose: 'action' });
  });

  it('lets exactly one of two racing requests spend a proof', async () => {
    const token = await verifiedSession();
    const { proof } = await proofFor(token);
    const answers = await Promise.all([changeSetting(token, 401, proof), changeSetting(token, 402, proof)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it('refuses an expired proof', async () => {
    const token = await verifiedSession();
    const { proof } = await proofFor(token);
    await stack.db.query("UPDATE mfa_action_proofs SET expires_at = now() - interval '1 second'");
    const late = await changeSetting(token, 403, proof);
    expect(late.status).toBe(401);
    expect(((await late.json()) as { message: string }).message).toMatch(/expired/);
    expect(await auditActions('mfa:action_proof_refused')).toContainEqual(
      expect.objectContaining({ rule: 'proof_expired' }),
    );
  });

  it('binds a proof to its session: another session of the same person is refused, the owner still spends it', async () => {
    const owner = await verifiedSession();
    const other = await verifiedSession();
    const { proof } = await proofFor(owner);
    expect((await changeSetting(other, 404, proof)).status).toBe(401);
    expect((await changeSetting(owner, 404, proof)).status).toBe(200);
    expect(await retention()).toBe(404);
  });

  it('keeps challenges to their purpose and checks the signature counter', async () => {
    await stack.db.query('DELETE FROM mfa_attempts');
    const token = await verifiedSession();
    const ordinary = (await (
      await stack.api('/api/v1/mfa/webauthn/authentication-options', token, { method: 'POST', body: '{}' })
    ).json()) as { challenge: string };
    expect((await exchange(token, key.assert(ordinary.challenge, rpId))).status).toBe(401);
    const forAction = await actionChallenge(token);
    const asVerify = await stack.api('/api/v1/mfa/verify', token, {
      method: 'POST',
      body: JSON.stringify({ webauthn: key.assert(forAction, rpId) }),
    });
    expect(asVerify.status).toBe(401);
    const counter = key.counter;
    const stale = key.assert(await actionChallenge(token), rpId, { counter: 1 });
    expect((await exchange(token, stale)).status).toBe(401);
    key.counter = counter; // the key itself never went backwards; later cases sign on from here
    const reasons = await stack.db.query<{ reason: string }>(
      'SELECT reason FROM mfa_attempts WHERE success = false ORDER BY id',
    );
    expect(reasons.rows.map((r) => r.reason)).toEqual([
      'challenge_unknown_used_or_expired',
      'challenge_unknown_used_or_expired',
      'sign_counter_regressed',
    ]);
    await stack.db.query('DELETE FROM mfa_attempts');
  });

  it('answers bad input with a 400 and a reason', async () => {
    const token = await verifiedSession();
    const missing = await stack.api('/api/v1/mfa/webauthn/action-proofs', token, {
      method: 'POST',
      body: '{}',
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/webauthn/);
    const garbage = await exchange(token, { id: 'nope', response: {} });
    expect(garbage.status).toBe(401);
  });

  it('covers an always action on the rack proxy too (deleting an app)', async () => {
    const token = await verifiedSession('cli');
    const bare = await fetch(`${stack.proxyUrl}/apps/worker-app`, {
      method: 'DELETE',
      headers: { authorization: cliAuth(token) },
    });
    expect(bare.status).toBe(401);
    const { proof } = await proofFor(token);
    const deleted = await fetch(`${stack.proxyUrl}/apps/worker-app`, {
      method: 'DELETE',
      headers: { authorization: cliAuth(token), 'x-mfa-proof': proof },
    });
    expect(deleted.status).toBe(200);
    const again = await fetch(`${stack.proxyUrl}/apps/api`, {
      method: 'DELETE',
      headers: { authorization: cliAuth(token), 'x-mfa-proof': proof },
    });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toMatch(/already used/);
  });

  it('counts a proof as a fresh verification on a step-up action', async () => {
    const token = await verifiedSession();
    const { proof } = await proofFor(token);
    await stack.db.query("UPDATE mfa_session_states SET step_up_at = now() - interval '1 day'");
    const create = (headers: Record<string, string>) =>
      stack.api('/api/v1/api-tokens', token, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: `after-proof-${Object.keys(headers).length}`,
          permissions: ['convox:app:list'],
        }),
      });
    expect((await create({})).status).toBe(401);
    expect((await create({ 'x-mfa-proof': proof })).status).toBe(201);
    const left = await stack.db.query('SELECT 1 FROM mfa_action_proofs');
    expect(left.rowCount).toBe(0);
  });

  it('never lets an API token do an always action, proof or not, nor make a proof', async () => {
    const owner = await verifiedSession();
    const { proof } = await proofFor(owner);
    const asToken = await fetch(`${stack.proxyUrl}/apps/api`, {
      method: 'DELETE',
      headers: { authorization: cliAuth(stack.tokens.admin), 'x-mfa-proof': proof },
    });
    expect(asToken.status).toBe(403);
    expect(((await asToken.json()) as { error: string }).error).toMatch(/^mfa_not_available_for_tokens: /);
    const mint = await fetch(`${stack.gateway.url}/api/v1/mfa/webauthn/action-options`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.tokens.admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(mint.status).toBe(403);
    expect(((await mint.json()) as { error: string }).error).toBe('mfa_requires_session');
    // The proof was not spent by the refused token request: its own session still can.
    expect((await changeSetting(owner, 405, proof)).status).toBe(200);
  });
});
