import { SoftAuthenticator } from './soft-authenticator';
import { enrolTotp, freshCode, startMfaStack, type MfaStack } from './mfa-stack';

interface Status {
  preferredMethodId?: string;
  preferredMethod?: string;
  methods: { id: string; kind: string; preferred: boolean }[];
}

/** The preferred MFA method: exactly one per enrolled person, chosen by them, moved when it is removed. */
describe('MFA: the preferred method', () => {
  let stack: MfaStack;
  let token: string;
  let secret: string;
  let totpId: string;
  let passkeyId: string;

  beforeAll(async () => {
    stack = await startMfaStack();
    token = await stack.session('deployer', 'web');
  }, 60_000);
  afterAll(() => stack?.close());

  const status = async (as = token) => (await (await stack.api('/api/v1/mfa', as)).json()) as Status;
  const choose = (body: unknown, as = token) =>
    stack.api('/api/v1/mfa/preferred-method', as, { method: 'PUT', body: JSON.stringify(body) });

  it('makes the first confirmed method the preferred one, and keeps it when another is added', async () => {
    ({ secret, methodId: totpId } = await enrolTotp(stack, token));
    expect(await status()).toMatchObject({ preferredMethodId: totpId, preferredMethod: 'totp' });

    const key = new SoftAuthenticator(stack.gateway.url);
    const options = (await (
      await stack.api('/api/v1/mfa/webauthn/registration-options', token, { method: 'POST' })
    ).json()) as { challenge: string; rp: { id: string } };
    const registered = await stack.api('/api/v1/mfa/webauthn/registrations', token, {
      method: 'POST',
      body: JSON.stringify({ response: key.register(options), label: 'passkey' }),
    });
    passkeyId = ((await registered.json()) as { methodId: string }).methodId;
    const both = await status();
    expect(both.preferredMethodId).toBe(totpId);
    expect(both.methods.filter((m) => m.preferred).map((m) => m.id)).toEqual([totpId]);
  });

  it('lets the person choose another of their methods; /me shows it; the change is audited', async () => {
    const chosen = await choose({ methodId: passkeyId });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toMatchObject({ id: passkeyId, kind: 'webauthn', preferred: true });
    const me = (await (await stack.api('/api/v1/me', token)).json()) as { mfa: Status };
    expect(me.mfa).toMatchObject({ preferredMethodId: passkeyId, preferredMethod: 'webauthn' });
    expect(me.mfa.methods.filter((m) => m.preferred).map((m) => m.id)).toEqual([passkeyId]);
    const audit = await stack.db.query<{ details: string; outcome_details: string | null; decision: string }>(
      "SELECT details, outcome_details, decision FROM audit_events WHERE action = 'mfa:preferred_method_set'",
    );
    expect(audit.rows).toHaveLength(1);
    const recorded = `${audit.rows[0].details} ${audit.rows[0].outcome_details ?? ''}`;
    expect(recorded).toContain(totpId);
    expect(recorded).toContain(passkeyId);
  });

  it('answers bad input with a 400 naming the field, and never touches the preference', async () => {
    for (const body of [{}, { methodId: 'totp' }, { methodId: 42 }]) {
      const refused = await choose(body);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toMatch(/methodId/);
    }
    expect((await status()).preferredMethodId).toBe(passkeyId);
  });

  it('refuses another person’s method and an unknown id with a 404', async () => {
    const other = await stack.session('admin', 'web');
    const { methodId: adminMethod } = await enrolTotp(stack, other);
    const stolen = await choose({ methodId: adminMethod });
    expect(stolen.status).toBe(404);
    expect(((await stolen.json()) as { error: string }).error).toBe('method_not_found');
    expect((await choose({ methodId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await status(other)).preferredMethodId).toBe(adminMethod);
    expect((await status()).preferredMethodId).toBe(passkeyId);
  });

  it('keeps exactly one preferred method when two choices race', async () => {
    const answers = await Promise.all([choose({ methodId: totpId }), choose({ methodId: passkeyId })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const preferred = (await status()).methods.filter((m) => m.preferred);
    expect(preferred).toHaveLength(1);
  });

  it('moves the preference to the remaining method when the preferred one is removed', async () => {
    expect((await choose({ methodId: passkeyId })).status).toBe(200);
    const removed = await stack.api(`/api/v1/mfa/methods/${passkeyId}`, token, {
      method: 'DELETE',
      code: await freshCode(stack, 'deployer', secret),
    });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ remaining: 1, preferredMethodId: totpId });
    expect(await status()).toMatchObject({ preferredMethodId: totpId, preferredMethod: 'totp' });
  });

  it('needs a recent verification to change it', async () => {
    await stack.db.query("UPDATE mfa_session_states SET step_up_at = now() - interval '1 day'");
    const stale = await choose({ methodId: totpId });
    expect(stale.status).toBe(401);
    expect(stale.headers.get('x-mfa-required')).toBe('step_up');
  });
});
