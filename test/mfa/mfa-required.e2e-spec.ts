import { cliAuth } from '../proxy/proxy-stack';
import { enrolTotp, freshCode, startMfaStack, type MfaStack } from './mfa-stack';

describe('MFA required of everyone (setting mfa.require_all_users), end to end', () => {
  let stack: MfaStack;

  beforeAll(async () => {
    stack = await startMfaStack({ RGW_SETTING_MFA_REQUIRE_ALL_USERS: 'true' });
  }, 60_000);
  afterAll(() => stack?.close());

  it('keeps a person without a factor to /me, the MFA routes and logout, with mfa_enrollment_required', async () => {
    const token = await stack.session('viewer');
    const apps = await fetch(`${stack.proxyUrl}/apps`, { headers: { authorization: cliAuth(token) } });
    expect(apps.status).toBe(403);
    expect(apps.headers.get('x-mfa-required')).toBe('enrollment');
    expect(((await apps.json()) as { error: string }).error).toMatch(
      /^mfa_enrollment_required: .*rack-gateway mfa enroll/,
    );
    const tokens = await stack.api('/api/v1/api-tokens', token);
    expect(tokens.status).toBe(403);
    expect(await tokens.json()).toMatchObject({ error: 'mfa_enrollment_required' });
    const me = (await (await stack.api('/api/v1/me', token)).json()) as { mfa: object };
    expect(me.mfa).toMatchObject({ required: true, enrolled: false });
    // Enrolling is allowed, and passing it opens the gateway to this session.
    await enrolTotp(stack, token);
    expect(
      (await fetch(`${stack.proxyUrl}/apps`, { headers: { authorization: cliAuth(token) } })).status,
    ).toBe(200);
    expect((await stack.api('/api/v1/auth/logout', token, { method: 'POST' })).status).toBeLessThan(300);
  });

  it('never asks an API token for MFA', async () => {
    const apps = await fetch(`${stack.proxyUrl}/apps`, {
      headers: { authorization: cliAuth(stack.tokens.viewer) },
    });
    expect(apps.status).toBe(200);
  });

  it('asks a code on the very request to change a setting (always), and applies the change', async () => {
    const enrolling = await stack.session('admin');
    const { secret } = await enrolTotp(stack, enrolling);
    const token = await stack.session('admin');
    const change = (code?: string) =>
      stack.api('/api/v1/settings/mfa.step_up_window', token, {
        method: 'PUT',
        body: JSON.stringify({ value: '5m' }),
        code,
      });
    const refused = await change();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-mfa-required')).toBe('login');
    const changed = await change(await freshCode(stack, 'admin', secret));
    expect(changed.status).toBe(200);
    const status = (await (await stack.api('/api/v1/mfa', token)).json()) as { stepUpWindowSeconds: number };
    expect(status.stepUpWindowSeconds).toBe(300);
    // Verified now, but an always action still needs its own code.
    const again = await change();
    expect(again.status).toBe(401);
    expect(again.headers.get('x-mfa-required')).toBe('always');
  });
});
