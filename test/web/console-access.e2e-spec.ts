import { CredentialCaches } from '../../src/access-events/credential-caches';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { startCliLogin } from '../cli/cli-browser-login';
import { buildBinaries } from '../harness/built-binaries';
import { CliRunner } from '../cli/cli-runner';
import { accessibilityProblems, consoleFetch, launchConsoleBrowser, signIn } from './console-browser';

/** What people with fewer rights see, and what the server refuses whatever the page does. */
describe('web console: access and refusals', () => {
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  let viewer: Page;
  let ops: Page;
  let contexts: BrowserContext[];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startFullStack(), launchConsoleBrowser()]);
    contexts = [await browser.browser.newContext(), await browser.browser.newContext()];
    viewer = await signIn(contexts[0], stack.url, 'viewer@example.com', '/app/');
    ops = await signIn(contexts[1], stack.url, 'ops@example.com', '/app/apps/myapp?tab=env');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('offers a viewer no admin pages, and the API still refuses them (403)', async () => {
    const nav = viewer.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Apps', exact: true }).waitFor();
    const labels = await nav.getByRole('link').allTextContents();
    expect(labels).toEqual(['Rack', 'Apps', 'API tokens', 'Sessions', 'Account security']);
    await viewer.goto(`${stack.url}/app/users`);
    await viewer.getByRole('alert').filter({ hasText: 'You may not see users' }).waitFor();
    const direct = await viewer.evaluate(async () => {
      // Runs in the page (no DOM types here): the readable CSRF cookie, as the console reads it.
      const { cookie } = (globalThis as unknown as { document: { cookie: string } }).document;
      const csrf =
        cookie
          .split('; ')
          .find((part: string) => part.startsWith('rgw_csrf='))
          ?.slice(9) ?? '';
      const list = await fetch('/api/v1/users');
      const create = await fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ email: 'sneaky@example.com', roles: ['admin'] }),
      });
      return [list.status, create.status, ((await create.json()) as { error: string }).error];
    });
    expect(direct).toEqual([403, 403, 'forbidden']);
  });

  it('shows ops a secret only as hidden by the gateway, with nothing to reveal', async () => {
    const secret = ops.getByTestId('env-value-SECRET_KEY_BASE');
    await secret.waitFor();
    await expect(secret.textContent()).resolves.toContain('hidden: needs convox:secret:read');
    await expect(ops.getByRole('button', { name: 'Reveal SECRET_KEY_BASE' }).count()).resolves.toBe(0);
    await expect(ops.content()).resolves.not.toContain('mock-secret-key-base');
    await ops.getByRole('button', { name: 'Reveal NODE_ENV' }).click();
    await ops.getByTestId('env-value-NODE_ENV').getByText('production').waitFor();
  });

  it('offers ops no rack change its roles do not grant, and the proxy refuses one sent anyway', async () => {
    await ops.goto(`${stack.url}/app/apps/myapp?tab=services`);
    await ops.getByRole('table', { name: 'services' }).waitFor();
    await expect(ops.getByRole('button', { name: /^Scale / }).count()).resolves.toBe(0);
    await ops.goto(`${stack.url}/app/apps/myapp?tab=env`);
    await ops.getByRole('table', { name: 'environment' }).waitFor();
    await expect(ops.getByRole('button', { name: 'Add a variable' }).count()).resolves.toBe(0);
    await expect(ops.getByRole('button', { name: /^Remove / }).count()).resolves.toBe(0);
    const scale = await consoleFetch(ops, '/api/v1/rack-proxy/apps/myapp/services/web', {
      method: 'PUT',
      body: { count: 9 },
    });
    expect(scale.status).toBe(403);
    expect(JSON.stringify(scale.body)).toContain('convox:app:update');
  });

  it('refuses a state change without the CSRF token, and a rack read by cookie alone', async () => {
    const statuses = await ops.evaluate(async () => {
      const noToken = await fetch('/api/v1/api-tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'forged' }),
      });
      const wrongToken = await fetch('/api/v1/rack-proxy/apps', { headers: { 'x-csrf-token': 'wrong' } });
      const cookieOnly = await fetch('/api/v1/rack-proxy/apps');
      return [
        noToken.status,
        ((await noToken.json()) as { error: string }).error,
        wrongToken.status,
        cookieOnly.status,
      ];
    });
    expect(statuses).toEqual([403, 'csrf_failed', 403, 401]);
    const forged = await stack.db.query("SELECT 1 FROM api_tokens WHERE name = 'forged'");
    expect(forged.rowCount).toBe(0);
  });

  it('refuses a form posted from another origin', async () => {
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<form id="f" method="post" action="${stack.url}/api/v1/api-tokens">
        <input name="name" value="cross-site"><input name="_csrf" value="guess"></form>
        <script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const page = await contexts[1].newPage();
      const answer = page.waitForResponse((response) => response.url().endsWith('/api/v1/api-tokens'));
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const response = await answer;
      expect(response.status()).toBe(403);
      await expect(response.json()).resolves.toMatchObject({ error: 'origin_mismatch' });
      const made = await stack.db.query("SELECT 1 FROM api_tokens WHERE name = 'cross-site'");
      expect(made.rowCount).toBe(0);
      await page.close();
    } finally {
      evil.close();
    }
  });

  it('sends an expired session to sign-in and back to the page it was on', async () => {
    const sessionId = await viewer.evaluate(
      async () => ((await (await fetch('/api/v1/me')).json()) as { sessionId: string }).sessionId,
    );
    await viewer.goto(`${stack.url}/app/sessions`);
    await viewer.getByRole('heading', { name: 'Your sessions' }).waitFor();
    await stack.db.query(
      `UPDATE user_sessions SET absolute_expires_at = now() - interval '1 second' WHERE id = $1`,
      [sessionId],
    );
    // Expired behind the gateway's back (standing in for time passing): drop the row it keeps in memory.
    stack.proxy.gateway.app.get(CredentialCaches).clear();
    await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
    await viewer.waitForURL(/\/app\/sign-in\?/);
    await viewer.getByText('Your session ended').waitFor();
    await viewer.getByRole('link', { name: 'Sign in with Google' }).click();
    await viewer.locator('button', { hasText: 'viewer@example.com' }).click();
    await viewer.waitForURL(`${stack.url}/app/tokens`);
    await viewer.getByRole('heading', { name: 'API tokens' }).waitFor();
  });

  it("approves a real `rack-gateway login` on the console's page after signing in, and the CLI logs in", async () => {
    buildBinaries();
    const scratch = mkdtempSync(join(tmpdir(), 'console-cli-login-'));
    const login = await startCliLogin(new CliRunner(scratch), 'console', stack.url);
    try {
      // The link the CLI printed (older CLIs print the same) opens the console page, via sign-in.
      const link = new URL(login.browserUrl);
      expect(link.pathname).toBe('/api/v1/auth/cli/authorize');
      const page = await signIn(
        await browser.browser.newContext(),
        stack.url,
        'deployer@example.com',
        `${link.pathname}${link.search}`,
      );
      await page.waitForURL(`${stack.url}/app/cli-login${link.search}`);
      const code = page.getByTestId('cli-login-code');
      await code.waitFor();
      await expect(code.textContent()).resolves.toBe(login.cliCode);
      await page.getByText('127.0.0.1').waitFor();
      await expect(page.getByText('deployer@example.com', { exact: true }).count()).resolves.toBe(1);
      expect(await accessibilityProblems(page)).toEqual([]);

      // By keyboard: Approve is a real button; the outcome takes the focus so it is read out.
      await page.getByRole('button', { name: 'Approve' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'CLI login approved' }).waitFor();
      await page.getByText('Return to your terminal').waitFor();
      const focused = await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document
            .activeElement?.textContent,
      );
      expect(focused).toBe('CLI login approved');
      const run = await login.finished;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Logged in to console as deployer@example.com');

      // The same link again, and one naming no login: each says why, and what to do.
      await page.goto(login.browserUrl);
      await page.getByRole('alert').filter({ hasText: 'Already decided' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'already approved' }).waitFor();
      await page.goto(`${stack.url}/app/cli-login?loginId=00000000-0000-4000-8000-000000000000`);
      await page.getByRole('alert').filter({ hasText: 'Login link not found' }).waitFor();
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.context().close();
    } finally {
      login.kill();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
