import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { codeChallengeFor } from '../../src/access-control/pkce';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { accessibilityProblems, launchConsoleBrowser, signIn } from './console-browser';

/**
 * The console's CLI step-up page in each state a link can be in: pending (here for a person with no
 * passkey, who can only deny), denied, already decided, expired, another person's, unknown, malformed.
 * Each says what happened and what to do, by keyboard and with no serious axe finding. The passkey
 * approval itself, with a real CLI waiting, is test/cli/cli-passkey-always.e2e-spec.ts.
 */
describe('web console: the CLI step-up page', () => {
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startFullStack(), launchConsoleBrowser()]);
    page = await signIn(await browser.browser.newContext(), stack.url, 'viewer@example.com', '/app/');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A CLI session of `email` asking for a browser approval, as `rack-gateway` does; resolves to its id. */
  const cliAsks = async (email: string, deviceName = 'ci-box') => {
    const app = stack.proxy.gateway.app;
    const user = await app.get(UsersService).getByEmail(email);
    const cli = await app.get(SessionsService).create(user.id, 'cli', { deviceName });
    const answer = await fetch(`${stack.url}/api/v1/mfa/cli-approvals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cli.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ codeChallenge: codeChallengeFor(randomBytes(32).toString('base64url')) }),
    });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { id: string }).id;
  };
  const focusedText = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document
          .activeElement?.textContent,
    );
  const expectRefusal = async (path: string, title: string, reason: string) => {
    await page.goto(`${stack.url}${path}`);
    const alert = page.getByRole('alert').filter({ hasText: title });
    await alert.waitFor();
    await alert.getByText(reason).waitFor();
    await expect(page.getByRole('button', { name: /Approve|Deny/ }).count()).resolves.toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
  };

  it('shows a pending request with its CLI session; without a passkey only Deny, by keyboard, and the outcome is read out', async () => {
    const id = await cliAsks('viewer@example.com', 'night-shift-laptop');
    await page.goto(`${stack.url}/app/cli-mfa/${id}`);
    await page.getByRole('heading', { name: 'Approve a CLI action' }).waitFor();
    await page.getByText('night-shift-laptop').waitFor();
    await page.getByText('viewer@example.com', { exact: true }).first().waitFor();
    await page.getByRole('alert').filter({ hasText: 'No passkey on this account' }).waitFor();
    await expect(page.getByRole('button', { name: 'Approve with my passkey' }).count()).resolves.toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Deny' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'CLI action denied' }).waitFor();
    expect(await focusedText()).toBe('CLI action denied');
    expect(await accessibilityProblems(page)).toEqual([]);
    const row = await stack.db.query<{ status: string }>(
      'SELECT status FROM mfa_cli_approvals WHERE id = $1',
      [id],
    );
    expect(row.rows[0].status).toBe('denied');

    await expectRefusal(`/app/cli-mfa/${id}`, 'Already decided', 'already denied');
  });

  it('says what happened when the request expires while the page is open, instead of the stale details', async () => {
    const id = await cliAsks('viewer@example.com');
    await page.goto(`${stack.url}/app/cli-mfa/${id}`);
    await page.getByRole('button', { name: 'Deny' }).waitFor();
    await stack.db.query(
      "UPDATE mfa_cli_approvals SET expires_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('alert').filter({ hasText: 'Approval expired' }).waitFor();
    await expect(page.getByRole('button', { name: 'Deny' }).count()).resolves.toBe(0);
    const row = await stack.db.query<{ status: string }>(
      'SELECT status FROM mfa_cli_approvals WHERE id = $1',
      [id],
    );
    expect(row.rows[0].status).toBe('pending');
  });

  it('says an approval already used, expired, of another person, unknown or malformed is not there to approve', async () => {
    const used = await cliAsks('viewer@example.com');
    await stack.db.query("UPDATE mfa_cli_approvals SET status = 'completed' WHERE id = $1", [used]);
    await expectRefusal(`/app/cli-mfa/${used}`, 'Already decided', 'already approved');

    const expired = await cliAsks('viewer@example.com');
    await stack.db.query(
      "UPDATE mfa_cli_approvals SET expires_at = now() - interval '1 second' WHERE id = $1",
      [expired],
    );
    await expectRefusal(`/app/cli-mfa/${expired}`, 'Approval expired', 'run the command again');

    // Another person's approval reads exactly like one that does not exist.
    const othersId = await cliAsks('deployer@example.com');
    await expectRefusal(`/app/cli-mfa/${othersId}`, 'Approval not found', 'no CLI approval of yours');
    await expectRefusal(
      '/app/cli-mfa/00000000-0000-4000-8000-000000000000',
      'Approval not found',
      'no CLI approval of yours',
    );
    await expectRefusal('/app/cli-mfa/not-a-link', 'Not a CLI approval link', 'must be a CLI approval id');
    const untouched = await stack.db.query<{ status: string }>(
      'SELECT status FROM mfa_cli_approvals WHERE id = $1',
      [othersId],
    );
    expect(untouched.rows[0].status).toBe('pending');
  });
});
