import type { Page } from 'playwright-core';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { accessibilityProblems, consoleFetch, launchConsoleBrowser, signIn } from './console-browser';
import { currentTotpCode } from './totp-codes';
import { issueCicdToken } from '../approvals/cicd-token';

/**
 * A deploy approval end to end: CI (a `cicd` token) asks, an admin with an authenticator app approves in
 * the console with a fresh code (the MFA dialog, then the action again), and CI sees the approval.
 */
describe('web console: deploy approvals', () => {
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  let page: Page;
  let ciToken: string;
  let requestId: string;
  let secret: string;
  const commit = 'c0ffee'.padEnd(40, '7');

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startFullStack(), launchConsoleBrowser()]);
    ciToken = await issueCicdToken(stack.proxy.gateway.app, 'deployer@example.com', 'circleci');
    page = await signIn(await browser.browser.newContext(), stack.url, 'admin@example.com', '/app/approvals');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const ci = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${stack.url}/api/v1/deploy-approval-requests${path}`, {
      method,
      headers: { authorization: `Bearer ${ciToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };

  const freshCode = () => currentTotpCode(stack.db, 'admin@example.com', secret);

  it('lists the request CI made, with a pending badge for the approver, and filters it', async () => {
    const asked = await ci('POST', '', {
      app: 'myapp',
      gitCommit: commit,
      gitBranch: 'main',
      message: 'Ship the new checkout',
    });
    expect(asked.status).toBe(201);
    requestId = String(asked.body.id);

    await page.reload();
    await expect(page.getByTestId('pending-approvals').textContent()).resolves.toBe('1');
    const table = page.getByRole('table', { name: 'deploy approval requests' });
    await table.getByRole('row', { name: /Ship the new checkout/ }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('textbox', { name: 'Branch' }).fill('release');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No deploy approval requests match.').waitFor();
    expect(new URL(page.url()).searchParams.get('branch')).toBe('release');
    await page.getByRole('textbox', { name: 'Branch' }).fill('main');
    await page.getByRole('button', { name: 'Filter' }).click();
    await table
      .getByRole('row', { name: /Ship the new checkout/ })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { name: 'Deploy approval request' }).waitFor();
    await page.getByText(commit).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('approves with notes behind a fresh code, and CI sees the approval', async () => {
    // The approver's authenticator app, enrolled through the API in this browser session.
    const started = (await consoleFetch(page, '/api/v1/mfa/totp', { method: 'POST', body: {} })).body as {
      methodId: string;
      secret: string;
    };
    secret = started.secret;
    const confirmed = await consoleFetch(page, `/api/v1/mfa/totp/${started.methodId}/confirm`, {
      method: 'POST',
      body: { code: await freshCode() },
    });
    expect(confirmed.status).toBe(200);

    await page.getByLabel('Notes').fill('Reviewed in PR 42');
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.getByText('This action needs a fresh code on the request itself').waitFor();
    // Cancelled: the server's refusal stands and nothing is approved.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'needs a multi-factor code on this very request' })
      .waitFor();
    await expect(ci('GET', `/${requestId}`)).resolves.toMatchObject({ body: { status: 'pending' } });

    await page.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByLabel('Authentication code').fill(await freshCode());
    await dialog.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('approval-status').getByText('approved').waitFor();
    await page.getByText('Reviewed in PR 42').waitFor();
    await page
      .getByRole('table', { name: 'request timeline' })
      .getByRole('row', { name: /gateway:deploy_approval:approve .*allow 200/ })
      .waitFor();

    // What `rack-gateway deploy-approval request --wait` polls for.
    const seen = await ci('GET', `/${requestId}`);
    expect(seen.body).toMatchObject({
      status: 'approved',
      approvedBy: 'admin@example.com',
      approvalNotes: 'Reviewed in PR 42',
    });
    await expect(page.getByTestId('pending-approvals').count()).resolves.toBe(0);
  });
});
