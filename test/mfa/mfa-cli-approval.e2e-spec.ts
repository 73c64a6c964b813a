import { randomBytes } from 'node:crypto';
import { codeChallengeFor } from '../../src/access-control/pkce';
import { cliAuth } from '../proxy/proxy-stack';
import { SoftAuthenticator } from './soft-authenticator';
import { startMfaStack, type MfaStack } from './mfa-stack';
import { issueCicdToken } from '../approvals/cicd-token';

describe('CLI step-up approved in the browser with a passkey (passkey-only person)', () => {
  let stack: MfaStack;
  let key: SoftAuthenticator;
  let rpId: string;

  beforeAll(async () => {
    stack = await startMfaStack();
    key = new SoftAuthenticator(stack.gateway.url);
    rpId = new URL(stack.gateway.url).hostname;
    const enrolling = await stack.session('deployer', 'web');
    const options = (await (
      await stack.api('/api/v1/mfa/webauthn/registration-options', enrolling, { method: 'POST' })
    ).json()) as { challenge: string; rp: { id: string } };
    const registered = await stack.api('/api/v1/mfa/webauthn/registrations', enrolling, {
      method: 'POST',
      body: JSON.stringify({ response: key.register(options), label: 'laptop passkey' }),
    });
    if (registered.status !== 201) throw new Error(await registered.text());
  }, 60_000);
  afterAll(() => stack?.close());

  /** The browser leg: a web session of the same person asks for options and approves with the passkey. */
  const approveInBrowser = async (approvalId: string) => {
    const browser = await stack.session('deployer', 'web');
    const page = await stack.api(`/api/v1/mfa/cli-approvals/${approvalId}`, browser);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/v1/mfa/cli-approvals/approval.js');
    const options = (await (
      await stack.api('/api/v1/mfa/webauthn/authentication-options', browser, { method: 'POST', body: '{}' })
    ).json()) as { challenge: string };
    return stack.api(`/api/v1/mfa/cli-approvals/${approvalId}/approve`, browser, {
      method: 'POST',
      body: JSON.stringify({ webauthn: key.assert(options.challenge, rpId) }),
    });
  };

  it('verifies the CLI session once the same person approves, and only the CLI holding the verifier can claim it', async () => {
    const cli = await stack.session('deployer');
    expect((await fetch(`${stack.proxyUrl}/apps`, { headers: { authorization: cliAuth(cli) } })).status).toBe(
      401,
    );
    const verifier = randomBytes(32).toString('base64url');
    const started = await stack.api('/api/v1/mfa/cli-approvals', cli, {
      method: 'POST',
      body: JSON.stringify({ codeChallenge: codeChallengeFor(verifier) }),
    });
    expect(started.status).toBe(201);
    const { id, browserUrl } = (await started.json()) as { id: string; browserUrl: string };
    expect(browserUrl).toBe(`${stack.gateway.url}/api/v1/mfa/cli-approvals/${id}`);
    const poll = (token: string, codeVerifier: string) =>
      stack.api(`/api/v1/mfa/cli-approvals/${id}/complete`, token, {
        method: 'POST',
        body: JSON.stringify({ codeVerifier }),
      });
    expect((await poll(cli, verifier)).status).toBe(202);
    expect((await approveInBrowser(id)).status).toBe(200);
    expect((await poll(cli, randomBytes(32).toString('base64url'))).status).toBe(404);
    expect((await poll(await stack.session('deployer'), verifier)).status).toBe(404);
    const done = await poll(cli, verifier);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({
      status: 'verified',
      proof: expect.stringMatching(/^rgw_mfap_/) as string,
      proofExpiresAt: expect.any(String) as string,
    });
    expect((await poll(cli, verifier)).status).toBe(409);
    expect((await fetch(`${stack.proxyUrl}/apps`, { headers: { authorization: cliAuth(cli) } })).status).toBe(
      200,
    );
  });

  it('hands the polling CLI a single-use proof that covers one always action (approving a deploy)', async () => {
    const cli = await stack.session('admin');
    const adminKey = new SoftAuthenticator(stack.gateway.url);
    const enrolling = await stack.session('admin', 'web');
    const options = (await (
      await stack.api('/api/v1/mfa/webauthn/registration-options', enrolling, { method: 'POST' })
    ).json()) as { challenge: string; rp: { id: string } };
    await stack.api('/api/v1/mfa/webauthn/registrations', enrolling, {
      method: 'POST',
      body: JSON.stringify({ response: adminKey.register(options), label: 'admin passkey' }),
    });
    const ciToken = await issueCicdToken(stack.gateway.app, 'deployer@example.com', 'ci');
    const asked = await stack.api('/api/v1/deploy-approval-requests', ciToken, {
      method: 'POST',
      body: JSON.stringify({
        app: 'myapp',
        gitCommit: 'a'.repeat(40),
        gitBranch: 'main',
        message: 'ship it',
      }),
    });
    expect(asked.status).toBe(201);
    const { id: requestId } = (await asked.json()) as { id: string };
    const approveDeploy = (proof?: string) =>
      stack.api(`/api/v1/deploy-approval-requests/${requestId}/approve`, cli, {
        method: 'POST',
        body: JSON.stringify({ notes: 'looks right' }),
        headers: proof ? { 'x-mfa-proof': proof } : {},
      });
    const refused = await approveDeploy();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-mfa-required')).toBe('login');

    const verifier = randomBytes(32).toString('base64url');
    const started = await stack.api('/api/v1/mfa/cli-approvals', cli, {
      method: 'POST',
      body: JSON.stringify({ codeChallenge: codeChallengeFor(verifier) }),
    });
    const { id } = (await started.json()) as { id: string };
    const browser = await stack.session('admin', 'web');
    const challenge = (await (
      await stack.api('/api/v1/mfa/webauthn/authentication-options', browser, { method: 'POST', body: '{}' })
    ).json()) as { challenge: string };
    const approved = await stack.api(`/api/v1/mfa/cli-approvals/${id}/approve`, browser, {
      method: 'POST',
      body: JSON.stringify({ webauthn: adminKey.assert(challenge.challenge, rpId) }),
    });
    expect(approved.status).toBe(200);
    const done = await stack.api(`/api/v1/mfa/cli-approvals/${id}/complete`, cli, {
      method: 'POST',
      body: JSON.stringify({ codeVerifier: verifier }),
    });
    const { proof } = (await done.json()) as { proof: string };
    // Verified now (login and step-up), but an always action still needs the proof on the request.
    const withoutProof = await approveDeploy();
    expect(withoutProof.headers.get('x-mfa-required')).toBe('always');
    expect((await approveDeploy(proof)).status).toBe(200);
    const row = await stack.db.query<{ status: string; approved_by_email: string }>(
      'SELECT status, approved_by_email FROM deploy_approval_requests WHERE id = $1',
      [requestId],
    );
    expect(row.rows[0]).toEqual({ status: 'approved', approved_by_email: 'admin@example.com' });
  });

  it('shows the approval page only to the same person', async () => {
    const cli = await stack.session('deployer');
    const started = await stack.api('/api/v1/mfa/cli-approvals', cli, {
      method: 'POST',
      body: JSON.stringify({ codeChallenge: codeChallengeFor(randomBytes(32).toString('base64url')) }),
    });
    const { id } = (await started.json()) as { id: string };
    const other = await stack.session('viewer', 'web');
    expect((await stack.api(`/api/v1/mfa/cli-approvals/${id}`, other)).status).toBe(404);
  });

  it('serves the page script from the gateway (scripts are allowed from self only)', async () => {
    const script = await fetch(`${stack.gateway.url}/api/v1/mfa/cli-approvals/approval.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('navigator.credentials.get');
  });
});
