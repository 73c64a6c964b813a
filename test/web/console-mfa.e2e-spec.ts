import type { BrowserContext, Page } from 'playwright-core';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { freePort } from '../harness/free-port';
import { accessibilityProblems, launchConsoleBrowser, signIn } from './console-browser';
import { currentTotpCode } from './totp-codes';
import { addVirtualAuthenticator } from './virtual-authenticator';

/**
 * MFA in the browser against the real gateway: an authenticator app enrolled with its QR code page and
 * codes computed here from the secret it showed; a passkey registered and used with Chromium's virtual
 * authenticator (CDP). WebAuthn needs a secure origin with a domain name, so this stack's public address is
 * `http://localhost:<port>` (Chromium maps localhost to 127.0.0.1).
 */
describe('web console: MFA', () => {
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const port = await freePort();
    [stack, browser] = await Promise.all([
      startFullStack({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}` }),
      launchConsoleBrowser(['--host-resolver-rules=MAP localhost 127.0.0.1']),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const newContext = async () => {
    const context = await browser.browser.newContext();
    contexts.push(context);
    return context;
  };

  const userId = async (email: string) =>
    (await stack.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email])).rows[0].id;

  /** Ends the step-up window of every session of `email`, as if ten minutes had passed. */
  const closeStepUpWindow = async (email: string) => {
    await stack.db.query(
      `UPDATE mfa_session_states SET step_up_at = now() - interval '1 day'
        WHERE session_id IN (SELECT id FROM user_sessions WHERE user_id = $1)`,
      [await userId(email)],
    );
  };

  const totpCode = (email: string, secret: string) => currentTotpCode(stack.db, email, secret);

  const createToken = async (page: Page, name: string) => {
    await page.goto(`${stack.url}/app/tokens`);
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByLabel('Name').fill(name);
    // The viewer preset: every role here holds it (cicd needs deploy_with_approval, which ops lacks).
    await page.getByRole('combobox', { name: 'Role', exact: true }).click();
    await page.getByRole('option', { name: 'viewer', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
  };

  describe('an authenticator app (TOTP)', () => {
    const email = 'deployer@example.com';
    let page: Page;
    let secret: string;

    it('enrols with the QR code page and a first code, and shows ten backup codes once', async () => {
      page = await signIn(await newContext(), stack.url, email, '/app/account/security');
      await page.getByRole('heading', { name: 'Account security' }).waitFor();
      await page.getByText('No second factors yet.').waitFor();
      await page.getByRole('button', { name: 'Add authenticator app' }).click();
      await page.getByRole('button', { name: 'Show QR code' }).click();
      const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
      await expect(qr.getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/);
      secret = (await page.getByTestId('totp-secret').textContent())!;
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

      await page.getByLabel('Code from the app').fill('000000');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('alert').filter({ hasText: 'the code does not match' }).waitFor();

      await page.getByLabel('Code from the app').fill(await totpCode(email, secret));
      await page.getByRole('button', { name: 'Confirm' }).click();
      const codes = (await page.getByTestId('backup-codes').textContent())!.trim().split('\n');
      expect(codes).toHaveLength(10);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page
        .getByRole('table', { name: 'second factors' })
        .getByText('Authenticator app')
        .first()
        .waitFor();
      await page.getByTestId('backup-codes-left').getByText('10 of 10 unused.').waitFor();
    });

    it('asks for a code when a step-up action is refused, shows a wrong code refused, and retries the action', async () => {
      await closeStepUpWindow(email);
      await createToken(page, 'after-step-up');
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByText('needs a verification from the last few minutes').waitFor();
      expect(await accessibilityProblems(page)).toEqual([]);
      await dialog.getByLabel('Authentication code').fill('123456');
      await dialog.getByRole('button', { name: 'Verify' }).click();
      await dialog
        .getByRole('alert')
        .filter({ hasText: 'the code is wrong, expired or already used' })
        .waitFor();
      await dialog.getByLabel('Authentication code').fill(await totpCode(email, secret));
      await dialog.getByRole('button', { name: 'Verify' }).click();
      // The original request went again and the token is shown once.
      await expect(page.getByTestId('new-token').textContent()).resolves.toMatch(/^rgw_/);
      const made = await stack.db.query("SELECT 1 FROM api_tokens WHERE name = 'after-step-up'");
      expect(made.rowCount).toBe(1);
    });

    it('leaves a cancelled challenge refused, with the server’s reason', async () => {
      await page.keyboard.press('Escape');
      await closeStepUpWindow(email);
      await createToken(page, 'cancelled');
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('alert').filter({ hasText: 'needs a multi-factor verification' }).waitFor();
      const made = await stack.db.query("SELECT 1 FROM api_tokens WHERE name = 'cancelled'");
      expect(made.rowCount).toBe(0);
      await expect(page.url()).not.toContain('/sign-in');
    });

    it('holds a new browser at the sign-in check, and a trusted browser is listed and can be forgotten', async () => {
      const second = await signIn(await newContext(), stack.url, email, '/app/account/security');
      await second.getByRole('heading', { name: 'Verify it is you' }).waitFor();
      expect(await accessibilityProblems(second)).toEqual([]);
      // The server holds the line too: the admin API refuses this session until it verifies.
      const refused = await second.evaluate(async () => {
        const answer = await fetch('/api/v1/sessions');
        return [answer.status, answer.headers.get('x-mfa-required')];
      });
      expect(refused).toEqual([401, 'login']);
      await second.getByLabel('Authentication code').fill(await totpCode(email, secret));
      await second.getByLabel(/Trust this browser/).check();
      await second.getByRole('button', { name: 'Verify' }).click();
      await second.getByRole('heading', { name: 'Account security' }).waitFor();
      // Signed out and in again in this browser: the trusted-device cookie skips the check.
      await second.getByRole('button', { name: 'Sign out' }).click();
      await second.waitForURL(/\/app\/sign-in/);
      await second.close();
      const again = await signIn(second.context(), stack.url, email, '/app/account/security');
      await again.getByRole('heading', { name: 'Account security' }).waitFor();
      await expect(again.getByRole('heading', { name: 'Verify it is you' }).count()).resolves.toBe(0);
      const devices = again.getByRole('table', { name: 'trusted browsers' });
      await expect(devices.getByRole('row').count()).resolves.toBe(2);
      await again.getByRole('button', { name: /^Forget browser trusted since/ }).click();
      // A trusted browser skips only the sign-in check, never a step-up: forgetting it asks for a code.
      const dialog = again.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByLabel('Authentication code').fill(await totpCode(email, secret));
      await dialog.getByRole('button', { name: 'Verify' }).click();
      await again.getByText('No trusted browsers.', { exact: false }).waitFor();
      const live = await stack.db.query(
        'SELECT 1 FROM mfa_trusted_devices WHERE user_id = $1 AND revoked_at IS NULL',
        [await userId(email)],
      );
      expect(live.rowCount).toBe(0);
    });

    it('sends the code with an always-level action itself (removing a factor), asking again after a wrong one', async () => {
      await page.goto(`${stack.url}/app/account/security`);
      await page.getByRole('button', { name: 'Remove Authenticator app' }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByText('This action needs a fresh code on the request itself').waitFor();
      await dialog.getByLabel('Authentication code').fill('654321');
      await dialog.getByRole('button', { name: 'Verify' }).click();
      await dialog.getByRole('alert').filter({ hasText: 'the code is wrong' }).waitFor();
      await dialog.getByLabel('Authentication code').fill(await totpCode(email, secret));
      await dialog.getByRole('button', { name: 'Verify' }).click();
      await page.getByText('No second factors yet.').waitFor();
      const left = await stack.db.query(
        'SELECT 1 FROM mfa_methods WHERE user_id = $1 AND confirmed_at IS NOT NULL',
        [await userId(email)],
      );
      expect(left.rowCount).toBe(0);
    });
  });

  describe('a passkey (Chromium virtual authenticator)', () => {
    const email = 'ops@example.com';
    let page: Page;

    it('registers a passkey and shows the backup codes', async () => {
      page = await signIn(await newContext(), stack.url, email, '/app/account/security');
      await addVirtualAuthenticator(page);
      await page.getByRole('button', { name: 'Add passkey' }).click();
      await page.getByLabel('Name').fill('Virtual key');
      await page.getByRole('button', { name: 'Register passkey' }).click();
      await expect(page.getByTestId('backup-codes').textContent()).resolves.toMatch(/^[A-Z0-9]{5}-/);
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByRole('table', { name: 'second factors' }).getByText('Virtual key').waitFor();
      const method = await stack.db.query(
        'SELECT kind FROM mfa_methods WHERE user_id = $1 AND confirmed_at IS NOT NULL',
        [await userId(email)],
      );
      expect(method.rows).toEqual([{ kind: 'webauthn' }]);
    });

    it('steps up with the passkey when an action is refused, then the action goes through', async () => {
      await closeStepUpWindow(email);
      await createToken(page, 'passkey-step-up');
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByRole('button', { name: 'Use a passkey' }).click();
      await expect(page.getByTestId('new-token').textContent()).resolves.toMatch(/^rgw_/);
      const verified = await stack.db.query(
        "SELECT 1 FROM audit_events WHERE action = 'mfa:verify' AND actor_email = $1 AND rule = 'webauthn'",
        [email],
      );
      expect(verified.rowCount).toBeGreaterThan(0);
    });

    it('passes the sign-in check with the passkey', async () => {
      await stack.db.query(
        `UPDATE mfa_session_states SET verified_at = NULL, step_up_at = NULL
          WHERE session_id IN (SELECT id FROM user_sessions WHERE user_id = $1)`,
        [await userId(email)],
      );
      await page.goto(`${stack.url}/app/account/security`);
      await page.getByRole('heading', { name: 'Verify it is you' }).waitFor();
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByRole('heading', { name: 'Account security' }).waitFor();
    });
  });
});
