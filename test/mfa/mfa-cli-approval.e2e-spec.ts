import { randomBytes } from 'node:crypto';
import { codeChallengeFor } from '../../src/access-control/pkce';
import { cliAuth } from '../proxy/proxy-stack';
import { SoftAuthenticator } from './soft-authenticator';
import { startMfaStack, type MfaStack } from './mfa-stack';
import { issueCicdToken } from '../approvals/cicd-token';
import { consoleSession } from './cli-approval-browser';

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

  /** The browser leg: the console page of the same person reads the approval and approves with the passkey. */
  const approveInBrowser = async (approvalId: string) => {
    const browser = await consoleSession(stack.gateway, 'deployer@example.com');
    const details = await browser.call('GET', `/${approvalId}/details`);
    expect(details.status).toBe(200);
    const options = (await (
      await fetch(`${stack.gateway.url}/api/v1/mfa/webauthn/authentication-options`, {
        method: 'POST',
        headers: browser.headers,
        body: '{}',
      })
    ).json()) as { challenge: string };
    return browser.call('POST', `/${approvalId}/approve`, {
      webauthn: key.assert(options.challenge, rpId),
    });
  };

  /** A CLI session of `role` asking for a browser approval; resolves to the approval's id and verifier. */
  const startApproval = async (role: 'deployer' | 'admin' | 'viewer' = 'deployer') => {
    const cli = await stack.session(role);
    const verifier = randomBytes(32).toString('base64url');
    const started = await stack.api('/api/v1/mfa/cli-approvals', cli, {
      method: 'POST',
      body: JSON.stringify({ codeChallenge: codeChallengeFor(verifier) }),
    });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const poll = () =>
      stack.api(`/api/v1/mfa/cli-approvals/${id}/complete`, cli, {
        method: 'POST',
        body: JSON.stringify({ codeVerifier: verifier }),
      });
    return { id, cli, poll };
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
    expect(browserUrl).toBe(`${stack.gateway.url}/app/cli-mfa/${id}`);
    const poll = (token: string, codeVerifier: string) =>
      stack.api(`/api/v1/mfa/cli-approvals/${id}/complete`, token, {
        method: 'POST',
        body: JSON.stringify({ codeVerifier }),
      });
    expect((await poll(cli, verifier)).status).toBe(202);
    expect(await approveInBrowser(id)).toEqual({ status: 200, body: { id, status: 'approved' } });
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
    const browser = await consoleSession(stack.gateway, 'admin@example.com');
    const challenge = (await (
      await fetch(`${stack.gateway.url}/api/v1/mfa/webauthn/authentication-options`, {
        method: 'POST',
        headers: browser.headers,
        body: '{}',
      })
    ).json()) as { challenge: string };
    const approved = await browser.call('POST', `/${id}/approve`, {
      webauthn: adminKey.assert(challenge.challenge, rpId),
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

  it('answers the console page what the CLI asked: which CLI session, when, until when', async () => {
    const { id } = await startApproval();
    const cliSession = await stack.db.query<{ created_at: Date }>(
      'SELECT s.created_at FROM user_sessions s JOIN mfa_cli_approvals a ON a.session_id = s.id WHERE a.id = $1',
      [id],
    );
    const read = await (
      await consoleSession(stack.gateway, 'deployer@example.com')
    ).call('GET', `/${id}/details`);
    expect(read).toEqual({
      status: 200,
      body: {
        id,
        status: 'pending',
        email: 'deployer@example.com',
        cliSession: {
          deviceName: null,
          ipAddress: null,
          signedInAt: cliSession.rows[0].created_at.toISOString(),
        },
        requestedAt: expect.any(String) as string,
        expiresAt: expect.any(String) as string,
      },
    });
    const body = read.body as { requestedAt: string; expiresAt: string };
    expect(Date.parse(body.expiresAt) - Date.parse(body.requestedAt)).toBe(5 * 60_000);
  });

  it('sends the link older CLIs open to the console page, signed in or not', async () => {
    const { id } = await startApproval();
    const opened = await fetch(`${stack.gateway.url}/api/v1/mfa/cli-approvals/${id}`, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe(`/app/cli-mfa/${id}`);
    const script = await fetch(`${stack.gateway.url}/api/v1/mfa/cli-approvals/approval.js`, {
      redirect: 'manual',
    });
    // The page's hand-written script is gone: its old address is just another (malformed) approval link.
    expect(script.status).toBe(302);
    expect(script.headers.get('location')).toBe('/app/cli-mfa/approval.js');
  });

  it("answers another person's approval exactly like an unknown one (404), and refuses to decide it", async () => {
    const { id, poll } = await startApproval('deployer');
    const other = await consoleSession(stack.gateway, 'viewer@example.com');
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['GET', `/${id}/details`],
      ['GET', `/${unknown}/details`],
      ['POST', `/${id}/deny`],
      ['POST', `/${unknown}/deny`],
    ]) {
      const answer = await other.call(method, path);
      expect({ path, ...answer }).toEqual({
        path,
        status: 404,
        body: expect.objectContaining({ error: 'approval_not_found' }) as unknown,
      });
    }
    const approve = await other.call('POST', `/${id}/approve`, { webauthn: { id: 'x' } });
    expect(approve.body).toEqual(expect.objectContaining({ error: 'approval_not_found' }));
    expect((await poll()).status).toBe(202);
    await stack.auditSettled();
    const refused = await stack.db.query<{ status: number; resource_name: string }>(
      `SELECT status, resource_name FROM audit_events
        WHERE action = 'mfa:cli_approval_deny' AND actor_email = 'viewer@example.com' ORDER BY chain_index`,
    );
    expect(refused.rows.map((row) => row.resource_name)).toEqual([id, unknown]);
    expect(refused.rows.map((row) => row.status)).toEqual([404, 404]);
  });

  it('refuses a malformed id (400 with the reason), no session (401), a token or CLI session (403), a forged page (403)', async () => {
    const browser = await consoleSession(stack.gateway, 'deployer@example.com');
    const malformed = await browser.call('GET', '/not-a-uuid/details');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('id must be a CLI approval id');
    expect((await browser.call('POST', '/not-a-uuid/deny')).status).toBe(400);

    const { id } = await startApproval();
    const anonymous = await fetch(`${stack.gateway.url}/api/v1/mfa/cli-approvals/${id}/details`);
    expect(anonymous.status).toBe(401);
    for (const token of [await stack.session('deployer'), await stack.session('deployer', 'web')]) {
      const read = await stack.api(`/api/v1/mfa/cli-approvals/${id}/details`, token);
      expect(read.status).toBe(403);
      expect(((await read.json()) as { error: string }).error).toBe('browser_session_required');
      const deny = await stack.api(`/api/v1/mfa/cli-approvals/${id}/deny`, token, { method: 'POST' });
      expect(deny.status).toBe(403);
    }
    const { 'x-csrf-token': _, ...withoutCsrf } = browser.headers;
    const forged = await browser.call('POST', `/${id}/deny`, undefined, withoutCsrf);
    expect(forged).toEqual({
      status: 403,
      body: expect.objectContaining({ error: 'csrf_failed' }) as unknown,
    });
    expect((await browser.call('GET', `/${id}/details`)).status).toBe(200);
  });

  it('says an approval expired (410) and the CLI poll says the same', async () => {
    const { id, poll } = await startApproval();
    await stack.db.query(
      "UPDATE mfa_cli_approvals SET expires_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    const browser = await consoleSession(stack.gateway, 'deployer@example.com');
    const read = await browser.call('GET', `/${id}/details`);
    expect(read.status).toBe(410);
    expect(read.body).toEqual(
      expect.objectContaining({
        error: 'approval_expired',
        message: expect.stringContaining('run the command again'),
      }),
    );
    expect((await browser.call('POST', `/${id}/deny`)).body.error).toBe('approval_expired');
    expect((await poll()).status).toBe(410);
  });

  it('lets the person deny a request they did not start: audited, and the CLI poll ends with approval_denied', async () => {
    const { id, cli, poll } = await startApproval();
    const browser = await consoleSession(stack.gateway, 'deployer@example.com');
    expect(await browser.call('POST', `/${id}/deny`)).toEqual({
      status: 200,
      body: { id, status: 'denied' },
    });
    const ended = await poll();
    expect(ended.status).toBe(403);
    expect(await ended.json()).toEqual(
      expect.objectContaining({
        error: 'approval_denied',
        message: expect.stringContaining('denied in the browser'),
      }),
    );
    // Nothing was verified: the CLI session still owes its check.
    expect((await fetch(`${stack.proxyUrl}/apps`, { headers: { authorization: cliAuth(cli) } })).status).toBe(
      401,
    );
    const again = await browser.call('POST', `/${id}/deny`);
    expect(again).toEqual({
      status: 410,
      body: expect.objectContaining({
        error: 'approval_decided',
        message: expect.stringContaining('denied'),
      }) as unknown,
    });
    expect((await browser.call('GET', `/${id}/details`)).body.error).toBe('approval_decided');
    const approve = await browser.call('POST', `/${id}/approve`, { webauthn: { id: 'x' } });
    expect(approve.body.error).toBe('approval_decided');
    await stack.auditSettled();
    const events = await stack.db.query<{ status: number; outcome_details: string | null }>(
      `SELECT status, outcome_details FROM audit_events
        WHERE action = 'mfa:cli_approval_deny' AND resource_name = $1 ORDER BY chain_index`,
      [id],
    );
    expect(events.rows.map((row) => row.status)).toEqual([200, 410]);
    expect(JSON.parse(events.rows[0].outcome_details ?? '{}')).toEqual({
      cliSessionId: expect.any(String) as string,
      deviceName: null,
    });
  });
});
