import type { Page } from 'playwright-core';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { freePort } from '../harness/free-port';
import { accessibilityProblems, consoleFetch, launchConsoleBrowser, signIn } from './console-browser';
import { currentTotpCode } from './totp-codes';
import { addVirtualAuthenticator } from './virtual-authenticator';
import { ciDeployRequests } from '../approvals/ci-deploy-request';
import { issueCicdToken } from '../approvals/cicd-token';

/**
 * A passkey-only approver in the console: the approve action (MFA `always`) raises the dialog, which opens
 * on the passkey; Chromium's virtual authenticator (CDP) signs an action challenge, the gateway hands back
 * a single-use proof and the approve goes again with it. Then the preferred method is changed on the
 * Account security page with the keyboard, and the next dialog opens on the code instead.
 * WebAuthn needs a secure origin with a domain name, so the public address is `http://localhost:<port>`.
 */
describe('web console: a passkey approves an always-level action; the preferred method', () => {
  const email = 'admin@example.com';
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  let page: Page;
  let deploys: ReturnType<typeof ciDeployRequests>;

  beforeAll(async () => {
    const port = await freePort();
    [stack, browser] = await Promise.all([
      startFullStack({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}` }),
      launchConsoleBrowser(['--host-resolver-rules=MAP localhost 127.0.0.1']),
    ]);
    const ciToken = await issueCicdToken(stack.proxy.gateway.app, 'deployer@example.com', 'ci');
    deploys = ciDeployRequests(stack.url, ciToken, stack.db, 'b');
    page = await signIn(await browser.browser.newContext(), stack.url, email, '/app/account/security');
    await addVirtualAuthenticator(page);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** What has the keyboard focus in the page: its accessible text or label. */
  const focused = () =>
    page.evaluate(() => {
      // Runs in the page (no DOM types here).
      type Focused = { getAttribute(name: string): string | null; innerText: string } | null;
      const element = (globalThis as unknown as { document: { activeElement: Focused } }).document
        .activeElement;
      return (
        element?.getAttribute('aria-label') ?? element?.getAttribute('autocomplete') ?? element?.innerText
      );
    });
  const openApproveDialog = async (id: string) => {
    await page.goto(`${stack.url}/app/approvals/${id}`);
    await page.getByRole('heading', { name: 'Deploy approval request' }).waitFor();
    await page.getByLabel('Notes').fill('checked');
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    return dialog;
  };

  it('registers a passkey as the only factor, which becomes the preferred method', async () => {
    await page.getByRole('button', { name: 'Add passkey' }).click();
    await page.getByLabel('Name').fill('Laptop passkey');
    await page.getByRole('button', { name: 'Register passkey' }).click();
    await expect(page.getByTestId('backup-codes').textContent()).resolves.toMatch(/^[A-Z0-9]{5}-/);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    const row = page
      .getByRole('table', { name: 'second factors' })
      .getByRole('row', { name: /Laptop passkey/ });
    await row.getByTestId('preferred-method').waitFor();
  });

  it('approves a deploy with the passkey: the dialog opens on it and the approve goes again with the proof', async () => {
    const id = await deploys.request('ship the passkey approval');
    const dialog = await openApproveDialog(id);
    await dialog.getByText('use your passkey, or enter the current code').waitFor();
    expect(await focused()).toBe('Use a passkey');
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByTestId('approval-status').getByText('approved').waitFor();
    expect(await deploys.statusOf(id)).toEqual({ status: 'approved', approved_by_email: email });
    const events = await stack.db.query<{ action: string; decision: string }>(
      `SELECT action, decision FROM audit_events WHERE actor_email = $1
          AND action IN ('mfa:action_proof_issue', 'mfa:action_proof_use', 'gateway:deploy_approval:approve')
        ORDER BY chain_index`,
      [email],
    );
    // The first approve was refused for MFA; the proof was made, spent by the retry, which was allowed.
    expect(events.rows.map((r) => `${r.action} ${r.decision}`)).toEqual([
      'gateway:deploy_approval:approve deny',
      'mfa:action_proof_issue allow',
      'mfa:action_proof_use allow',
      'gateway:deploy_approval:approve allow',
    ]);
  });

  it('opens the sign-in check on the preferred passkey too', async () => {
    await stack.db.query(
      `UPDATE mfa_session_states SET verified_at = NULL, step_up_at = NULL
        WHERE session_id IN (SELECT id FROM user_sessions WHERE user_id = (SELECT id FROM users WHERE email = $1))`,
      [email],
    );
    await page.goto(`${stack.url}/app/account/security`);
    await page.getByRole('heading', { name: 'Verify it is you' }).waitFor();
    expect(await focused()).toBe('Use a passkey');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Account security' }).waitFor();
  });

  it('chooses the authenticator app as preferred with the keyboard; the next dialog opens on the code', async () => {
    const started = (
      await consoleFetch(page, '/api/v1/mfa/totp', { method: 'POST', body: { label: 'Phone app' } })
    ).body as { methodId: string; secret: string };
    const confirmed = await consoleFetch(page, `/api/v1/mfa/totp/${started.methodId}/confirm`, {
      method: 'POST',
      body: { code: await currentTotpCode(stack.db, email, started.secret) },
    });
    expect(confirmed.status).toBe(200);

    await page.goto(`${stack.url}/app/account/security`);
    const table = page.getByRole('table', { name: 'second factors' });
    await table.getByRole('row', { name: /Phone app/ }).waitFor();
    await table.getByRole('button', { name: 'Make Phone app preferred' }).focus();
    await page.keyboard.press('Enter');
    await table
      .getByRole('row', { name: /Phone app/ })
      .getByTestId('preferred-method')
      .waitFor();
    await expect(table.getByTestId('preferred-method').count()).resolves.toBe(1);
    await expect(table.getByRole('button', { name: 'Make Laptop passkey preferred' }).count()).resolves.toBe(
      1,
    );
    expect(await accessibilityProblems(page)).toEqual([]);
    const me = (await consoleFetch(page, '/api/v1/me')).body as { mfa: { preferredMethod: string } };
    expect(me.mfa.preferredMethod).toBe('totp');
    const audited = await stack.db.query(
      "SELECT 1 FROM audit_events WHERE action = 'mfa:preferred_method_set' AND actor_email = $1",
      [email],
    );
    expect(audited.rowCount).toBe(1);

    const id = await deploys.request('ship with the code');
    const dialog = await openApproveDialog(id);
    expect(await focused()).toBe('one-time-code');
    await dialog
      .getByLabel('Authentication code')
      .fill(await currentTotpCode(stack.db, email, started.secret));
    await dialog.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('approval-status').getByText('approved').waitFor();
    expect(await deploys.statusOf(id)).toEqual({ status: 'approved', approved_by_email: email });
  });
});
