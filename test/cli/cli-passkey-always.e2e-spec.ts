import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextCommit, startApprovalsStack, type ApprovalsStack } from '../approvals/approvals-fixture';
import { SoftAuthenticator } from '../mfa/soft-authenticator';
import { runOnTerminal } from './cli-on-terminal';
import { buildBinaries } from '../harness/built-binaries';
import { CliRunner } from './cli-runner';

/**
 * A passkey-only approver on an `always` action from our CLI: `deploy-approval approve` is refused for MFA,
 * the person presses Enter, approves in the browser with the passkey, and the CLI's poll (with a verifier
 * only it holds) brings back a single-use proof that the one retried approve spends.
 */
describe('rack-gateway deploy-approval approve by a passkey-only approver (browser step-up for an always action)', () => {
  const approverEmail = 'second-admin@example.com';
  let env: ApprovalsStack;
  let root: string;
  let approver: CliRunner;
  let key: SoftAuthenticator;
  let rpId: string;
  let opened: string;

  beforeAll(async () => {
    buildBinaries();
    env = await startApprovalsStack();
    root = mkdtempSync(join(tmpdir(), 'cli-passkey-always-'));
    approver = new CliRunner(join(root, 'approver'));
    mkdirSync(approver.configDir, { recursive: true });
    writeFileSync(
      join(approver.configDir, 'config.json'),
      JSON.stringify({
        current: 'dev',
        racks: { dev: { url: env.stack.gateway.url, token: env.sessions.secondAdmin } },
      }),
    );
    // The browser the CLI opens: records the page it was asked to show (no real browser starts).
    opened = join(approver.binDir, 'opened.log');
    writeFileSync(
      join(approver.binDir, 'www-browser'),
      `#!/bin/sh\necho "$1" >> ${JSON.stringify(opened)}\n`,
    );
    chmodSync(join(approver.binDir, 'www-browser'), 0o755);

    key = new SoftAuthenticator(env.stack.gateway.url);
    rpId = new URL(env.stack.gateway.url).hostname;
    const enrolling = await env.session(approverEmail);
    const options = await env.call(enrolling, 'POST', '/mfa/webauthn/registration-options');
    const registered = await env.call(enrolling, 'POST', '/mfa/webauthn/registrations', {
      response: key.register(options.body as { challenge: string; rp: { id: string } }),
      label: 'laptop passkey',
    });
    if (registered.status !== 201) throw new Error(JSON.stringify(registered.body));
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The browser leg: once the CLI has asked, the same person approves its pending request with the passkey. */
  const approveInBrowser = async () => {
    let approval: string | undefined;
    for (let i = 0; i < 200 && !approval; i++) {
      const pending = await env.db.query<{ id: string }>(
        "SELECT id FROM mfa_cli_approvals WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1",
      );
      approval = pending.rows[0]?.id;
      if (!approval) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!approval) throw new Error('the CLI never asked for a browser approval');
    const browser = await env.session(approverEmail);
    const options = await env.call(browser, 'POST', '/mfa/webauthn/authentication-options', {});
    const approved = await env.call(browser, 'POST', `/mfa/cli-approvals/${approval}/approve`, {
      webauthn: key.assert((options.body as { challenge: string }).challenge, rpId),
    });
    expect(approved.status).toBe(200);
    return approval;
  };

  const requestDeploy = async (message: string) => {
    const asked = await env.call(env.ci.secret, 'POST', '/deploy-approval-requests', {
      app: 'myapp',
      gitCommit: nextCommit(),
      message,
    });
    expect(asked.status).toBe(201);
    return (asked.body as { id: string }).id;
  };
  const approveOnTerminal = async (id: string) => {
    const run = runOnTerminal(
      approver,
      ['deploy-approval', 'approve', id],
      /Enter MFA code/,
      () => '',
      30_000,
    );
    const approval = await approveInBrowser();
    return { ...(await run), approval };
  };
  const expectApprovedWithOneProof = async (id: string) => {
    const row = await env.db.query<{ status: string; approved_by_email: string }>(
      'SELECT status, approved_by_email FROM deploy_approval_requests WHERE id = $1',
      [id],
    );
    expect(row.rows[0]).toEqual({ status: 'approved', approved_by_email: approverEmail });
    await env.auditSettled();
    const events = await env.db.query<{ action: string; rule: string }>(
      `SELECT action, rule FROM audit_events
        WHERE actor_email = $1 AND action IN ('mfa:action_proof_issue', 'mfa:action_proof_use')
        ORDER BY chain_index`,
      [approverEmail],
    );
    expect(events.rows.slice(-2)).toEqual([
      { action: 'mfa:action_proof_issue', rule: 'cli_approval' },
      { action: 'mfa:action_proof_use', rule: 'webauthn' },
    ]);
    const left = await env.db.query('SELECT 1 FROM mfa_action_proofs');
    expect(left.rowCount).toBe(0);
  };

  it('a verified session: the always refusal, Enter, the passkey in the browser, and the retry spends the proof', async () => {
    // This CLI session passed its login check earlier (with the passkey); only the action's own check is owed.
    const options = await env.call(
      env.sessions.secondAdmin,
      'POST',
      '/mfa/webauthn/authentication-options',
      {},
    );
    const verified = await env.call(env.sessions.secondAdmin, 'POST', '/mfa/verify', {
      webauthn: key.assert((options.body as { challenge: string }).challenge, rpId),
    });
    expect(verified.status).toBe(200);
    const id = await requestDeploy('ship the passkey change');
    const done = await approveOnTerminal(id);
    expect(`${done.code} ${done.screen}`).toMatch(/^0 /);
    expect(done.screen).toMatch(/Multi-factor authentication required \(always\)/);
    expect(done.screen).toMatch(/your passkey in the browser \(your preferred method\)/);
    expect(done.screen).toContain(`/api/v1/mfa/cli-approvals/${done.approval}`);
    expect(done.screen).toMatch(/Approved deploy approval request .* now approved/);
    if (existsSync(opened)) expect(readFileSync(opened, 'utf8')).toContain(done.approval);
    await expectApprovedWithOneProof(id);
  });

  it('a session that never verified: one browser approval covers both the login check and the action', async () => {
    await env.db.query(
      'UPDATE mfa_session_states SET verified_at = NULL, step_up_at = NULL WHERE session_id IN (SELECT id FROM user_sessions WHERE user_id = (SELECT id FROM users WHERE email = $1))',
      [approverEmail],
    );
    const id = await requestDeploy('ship it from a fresh login');
    const done = await approveOnTerminal(id);
    expect(`${done.code} ${done.screen}`).toMatch(/^0 /);
    expect(done.screen).toMatch(/Multi-factor authentication required \(login\)/);
    expect(done.screen.match(/Enter MFA code/g)).toHaveLength(1);
    await expectApprovedWithOneProof(id);
  });
});
