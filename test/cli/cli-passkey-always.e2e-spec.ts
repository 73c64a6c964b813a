import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import { ciDeployRequests } from '../approvals/ci-deploy-request';
import { issueCicdToken } from '../approvals/cicd-token';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { auditSettled } from '../harness/audit-settled';
import { buildBinaries } from '../harness/built-binaries';
import { freePort } from '../harness/free-port';
import { accessibilityProblems, launchConsoleBrowser, signIn } from '../web/console-browser';
import {
  addVirtualAuthenticator,
  syncPasskeys,
  type VirtualAuthenticator,
} from '../web/virtual-authenticator';
import { runOnTerminal, type TerminalRun } from './cli-on-terminal';
import { CliRunner } from './cli-runner';

/**
 * A passkey-only approver on an `always` action from our CLI, with a real browser: `deploy-approval
 * approve` is refused for MFA, the person presses Enter, the CLI points at the console's page, and there
 * the person approves with the passkey (Chromium's virtual authenticator, over CDP) or denies. The CLI's
 * poll (with a verifier only it holds) brings back a single-use proof that the one retried approve spends.
 * WebAuthn needs a secure origin with a domain name, so the public address is `http://localhost:<port>`.
 */
describe('rack-gateway deploy-approval approve by a passkey-only approver (browser step-up on the console page)', () => {
  const approverEmail = 'admin@example.com';
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  /** The approver's browser where the passkey was registered (signed in, verified). */
  let page: Page;
  let passkey: VirtualAuthenticator;
  let root: string;
  let approver: CliRunner;
  let deploys: ReturnType<typeof ciDeployRequests>;

  beforeAll(async () => {
    buildBinaries();
    const port = await freePort();
    [stack, browser] = await Promise.all([
      startFullStack({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}` }),
      launchConsoleBrowser(['--host-resolver-rules=MAP localhost 127.0.0.1']),
    ]);
    const app = stack.proxy.gateway.app;
    const ciToken = await issueCicdToken(app, 'deployer@example.com', 'ci');
    deploys = ciDeployRequests(stack.url, ciToken, stack.db, 'c');

    // The passkey, registered on the console's Account security page: the person's only factor.
    page = await signIn(
      await browser.browser.newContext(),
      stack.url,
      approverEmail,
      '/app/account/security',
    );
    passkey = await addVirtualAuthenticator(page);
    await page.getByRole('button', { name: 'Add passkey' }).click();
    await page.getByLabel('Name').fill('Laptop passkey');
    await page.getByRole('button', { name: 'Register passkey' }).click();
    await page.getByTestId('backup-codes').waitFor();
    await page.getByRole('button', { name: 'I have saved them' }).click();

    // The approver's CLI, logged in before the passkey existed: its session has never verified.
    const admin = await app.get(UsersService).getByEmail(approverEmail);
    const cli = await app.get(SessionsService).create(admin.id, 'cli', { deviceName: 'build-laptop' });
    root = mkdtempSync(join(tmpdir(), 'cli-passkey-always-'));
    approver = new CliRunner(join(root, 'approver'));
    mkdirSync(approver.configDir, { recursive: true });
    writeFileSync(
      join(approver.configDir, 'config.json'),
      JSON.stringify({ current: 'dev', racks: { dev: { url: stack.url, token: cli.token } } }),
    );
    // No browser starts from the CLI: the test's Chromium plays the person's browser.
    writeFileSync(join(approver.binDir, 'www-browser'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(approver.binDir, 'www-browser'), 0o755);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The approval the CLI asked for, once it has (the CLI prints its console link at the same moment). */
  const pendingApproval = async () => {
    for (let i = 0; i < 400; i++) {
      const pending = await stack.db.query<{ id: string }>(
        "SELECT id FROM mfa_cli_approvals WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1",
      );
      if (pending.rows[0]) return pending.rows[0].id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the CLI never asked for a browser approval');
  };
  /** `deploy-approval approve <id>` at a terminal, pressing Enter at the MFA prompt; `browse` plays the browser. */
  const approveOnTerminal = async (id: string, browse: (approval: string) => Promise<void>) => {
    const run = runOnTerminal(
      approver,
      ['deploy-approval', 'approve', id],
      /Enter MFA code/,
      () => '',
      60_000,
    );
    const approval = await pendingApproval();
    await browse(approval);
    return { ...(await run), approval };
  };
  const expectOneProofSpent = async () => {
    await auditSettled(stack.db);
    const events = await stack.db.query<{ action: string; rule: string }>(
      `SELECT action, rule FROM audit_events
        WHERE actor_email = $1 AND action IN ('mfa:action_proof_issue', 'mfa:action_proof_use')
        ORDER BY chain_index`,
      [approverEmail],
    );
    expect(events.rows.slice(-2)).toEqual([
      { action: 'mfa:action_proof_issue', rule: 'cli_approval' },
      { action: 'mfa:action_proof_use', rule: 'webauthn' },
    ]);
    expect((await stack.db.query('SELECT 1 FROM mfa_action_proofs')).rowCount).toBe(0);
  };
  const expectConsoleLink = (done: TerminalRun & { approval: string }) =>
    expect(done.screen.replace(/\r?\n/g, '')).toContain(`${stack.url}/app/cli-mfa/${done.approval}`);

  it('a browser not signed in yet: sign-in and back to the page, which shows the CLI session; one passkey approval covers the login check and the action', async () => {
    const id = await deploys.request('ship it from a fresh login');
    let focusedAfter: string | undefined;
    const done = await approveOnTerminal(id, async (approval) => {
      // Another browser profile of the same person (its passkey synced): not signed in to the gateway.
      const fresh = await signIn(
        await browser.browser.newContext(),
        stack.url,
        approverEmail,
        `/app/cli-mfa/${approval}`,
      );
      expect(new URL(fresh.url()).pathname).toBe(`/app/cli-mfa/${approval}`);
      const synced = await addVirtualAuthenticator(fresh);
      expect(await syncPasskeys(passkey, synced)).toBe(1);
      await fresh.getByRole('heading', { name: 'Approve a CLI action' }).waitFor();
      await fresh.getByText('build-laptop').waitFor();
      await fresh.getByText(approverEmail, { exact: true }).waitFor();
      expect(await accessibilityProblems(fresh)).toEqual([]);
      // By keyboard: the passkey button is a real button; the outcome takes the focus so it is read out.
      await fresh.getByRole('button', { name: 'Approve with my passkey' }).focus();
      await fresh.keyboard.press('Enter');
      await fresh.getByRole('heading', { name: 'CLI action approved' }).waitFor();
      focusedAfter = await fresh.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document
            .activeElement?.textContent,
      );
      expect(await accessibilityProblems(fresh)).toEqual([]);
      await syncPasskeys(synced, passkey);
      await fresh.context().close();
    });
    expect(`${done.code} ${done.screen}`).toMatch(/^0 /);
    expect(focusedAfter).toBe('CLI action approved');
    expect(done.screen).toMatch(/Multi-factor authentication required \(login\)/);
    expect(done.screen.match(/Enter MFA code/g)).toHaveLength(1);
    expectConsoleLink(done);
    expect(done.screen).toMatch(/Approved deploy approval request .* now approved/);
    expect(await deploys.statusOf(id)).toEqual({ status: 'approved', approved_by_email: approverEmail });
    await expectOneProofSpent();
  });

  it('a verified session, through the link older CLIs printed: the always refusal, the passkey, and the retry spends the proof', async () => {
    const id = await deploys.request('ship the passkey change');
    const done = await approveOnTerminal(id, async (approval) => {
      await page.goto(`${stack.url}/api/v1/mfa/cli-approvals/${approval}`);
      await page.waitForURL(`${stack.url}/app/cli-mfa/${approval}`);
      await page.getByRole('button', { name: 'Approve with my passkey' }).click();
      await page.getByRole('heading', { name: 'CLI action approved' }).waitFor();
    });
    expect(`${done.code} ${done.screen}`).toMatch(/^0 /);
    expect(done.screen).toMatch(/Multi-factor authentication required \(always\)/);
    expect(done.screen).toMatch(/your passkey in the browser \(your preferred method\)/);
    expectConsoleLink(done);
    expect(await deploys.statusOf(id)).toEqual({ status: 'approved', approved_by_email: approverEmail });
    await expectOneProofSpent();
  });

  it('denied in the browser: the CLI stops saying so, and the deploy stays pending', async () => {
    const id = await deploys.request('not mine');
    const done = await approveOnTerminal(id, async (approval) => {
      await page.goto(`${stack.url}/app/cli-mfa/${approval}`);
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.getByRole('heading', { name: 'CLI action denied' }).waitFor();
      // The link again: the page says it was decided, and what to do.
      await page.reload();
      await page.getByRole('alert').filter({ hasText: 'Already decided' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'already denied' }).waitFor();
    });
    expect(done.code).not.toBe(0);
    expect(done.screen).toContain('denied in the browser: the command was not run');
    expect(await deploys.statusOf(id)).toEqual({ status: 'pending', approved_by_email: null });
    await auditSettled(stack.db);
    const denied = await stack.db.query(
      "SELECT 1 FROM audit_events WHERE action = 'mfa:cli_approval_deny' AND resource_name = $1 AND status = 200",
      [done.approval],
    );
    expect(denied.rowCount).toBe(1);
  });
});
