import { enrolTotp, startMfaStack, type MfaStack } from './mfa-stack';

interface ReviewRow {
  kind: string;
  email: string;
  mfa: string;
}

describe('the access review reports MFA enrolment from the MFA module', () => {
  let stack: MfaStack;
  beforeAll(async () => {
    stack = await startMfaStack();
  }, 60_000);
  afterAll(() => stack?.close());

  const reviewRowOf = async (email: string): Promise<ReviewRow> => {
    const adminSession = await stack.session('admin');
    const res = await stack.api('/api/v1/reports/access-review?format=json', adminSession);
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: ReviewRow[] };
    const row = rows.find((r) => r.kind === 'user' && r.email === email);
    if (!row) throw new Error(`no review row for ${email}`);
    return row;
  };

  it('says not_enrolled before a factor is confirmed and enrolled after, never unknown', async () => {
    expect((await reviewRowOf('ops@example.com')).mfa).toBe('not_enrolled');
    // An enrolment that was started but not confirmed protects nothing.
    const opsSession = await stack.session('ops');
    const started = await stack.api('/api/v1/mfa/totp', opsSession, { method: 'POST', body: '{}' });
    expect(started.status).toBe(201);
    expect((await reviewRowOf('ops@example.com')).mfa).toBe('not_enrolled');
    await enrolTotp(stack, await stack.session('ops'));
    expect((await reviewRowOf('ops@example.com')).mfa).toBe('enrolled');
  });
});
