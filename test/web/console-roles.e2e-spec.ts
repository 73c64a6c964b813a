import type { BrowserContext, Page } from 'playwright-core';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { accessibilityProblems, consoleFetch, launchConsoleBrowser, signIn } from './console-browser';

/** Roles, bindings, access questions and per-app settings, as an admin in one signed-in browser. */
describe('web console: roles, access and app settings', () => {
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startFullStack(), launchConsoleBrowser()]);
    context = await browser.browser.newContext({ acceptDownloads: true });
    page = await signIn(context, stack.url, 'admin@example.com', '/app/roles');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const downloadText = async (link: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: link }).click(),
    ]);
    return Buffer.concat((await (await download.createReadStream()).toArray()) as Buffer[]).toString('utf8');
  };

  it('lists built-in roles read-only and creates a custom role, showing the server refusing a bad name', async () => {
    const roles = page.getByRole('table', { name: 'roles' });
    await roles.getByRole('row', { name: /deployer/ }).waitFor();
    await expect(roles.getByRole('button', { name: 'Change deployer' }).count()).resolves.toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a custom role' });
    await dialog.getByLabel('Name').fill('Auditor!');
    await dialog.getByLabel('Permissions').fill('gateway:audit:read');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // leaves the picker, closing its suggestions
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'name must be 2-40 lower-case letters' }).waitFor();

    await dialog.getByLabel('Name').fill('auditor');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByTestId('preview-none').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.waitFor({ state: 'detached' });
    await roles
      .getByRole('row', { name: /auditor/ })
      .getByText('gateway:audit:read')
      .waitFor();
  });

  it('binds a role to one app for a user, previews what they gain, and shows their effective permissions', async () => {
    await page.goto(`${stack.url}/app/users/viewer@example.com`);
    const bindings = page.getByRole('group', { name: 'Role bindings' });
    await bindings.getByRole('combobox', { name: 'Role 1', exact: true }).waitFor();
    await bindings.getByRole('button', { name: 'Add role' }).click();
    await bindings.getByRole('combobox', { name: 'Role 2', exact: true }).click();
    await page.getByRole('option', { name: 'deployer', exact: true }).click();
    await bindings.getByRole('combobox', { name: 'Apps for role 2' }).fill('myapp');
    await page.keyboard.press('Enter');
    await bindings.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('table', { name: 'change preview' });
    await expect(
      preview
        .getByRole('row', { name: /viewer@example\.com/ })
        .first()
        .textContent(),
    ).resolves.toMatch(/convox:env:set \(nowhere → on myapp\)/);
    await bindings.getByRole('button', { name: 'Save roles' }).click();
    await preview.waitFor({ state: 'detached' });

    const stored = await page.evaluate(async () => {
      const answer = await fetch('/api/v1/users/viewer@example.com');
      return ((await answer.json()) as { bindings: unknown }).bindings;
    });
    expect(stored).toEqual([{ role: 'viewer' }, { role: 'deployer', apps: ['myapp'] }]);
    const effective = page.getByRole('table', { name: 'effective permissions of viewer@example.com' });
    await expect(effective.getByRole('row', { name: /convox:env:set/ }).textContent()).resolves.toContain(
      'deployer (myapp)',
    );
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('answers who can on an app, and downloads the access review as CSV and JSON', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).click();
    await page.getByRole('heading', { level: 2, name: 'Access' }).waitFor();
    await page.getByRole('combobox', { name: 'Permission' }).fill('convox:env:set');
    await page.getByRole('option', { name: 'convox:env:set', exact: true }).click();
    await page.getByLabel('App (optional)').fill('myapp');
    await page.getByRole('button', { name: 'Ask' }).click();
    const people = page.getByRole('table', { name: 'people who can' });
    await expect(people.getByRole('row', { name: /viewer@example\.com/ }).textContent()).resolves.toContain(
      'deployer (myapp)',
    );
    expect(await accessibilityProblems(page)).toEqual([]);

    const csv = await downloadText('Download CSV');
    expect(csv.split('\n')[0]).toContain('email');
    expect(csv).toContain('viewer@example.com');
    const json = JSON.parse(await downloadText('Download JSON')) as unknown;
    expect(JSON.stringify(json)).toContain('viewer@example.com');
  });

  it('refuses to delete a role someone holds, with the server naming them', async () => {
    await stack.db.query(`UPDATE users SET roles = array_append(roles, 'auditor') WHERE email = $1`, [
      'ops@example.com',
    ]);
    await page.goto(`${stack.url}/app/roles`);
    await page.getByRole('button', { name: 'Delete auditor' }).click();
    await page.getByRole('alert').filter({ hasText: 'ops@example.com' }).waitFor();
    await stack.db.query(`UPDATE users SET roles = array_remove(roles, 'auditor') WHERE email = $1`, [
      'ops@example.com',
    ]);
  });

  it("changes an app's own setting with the server's validation, shows its source, and resets it", async () => {
    await page.goto(`${stack.url}/app/apps/myapp?tab=settings`);
    const table = page.getByRole('table', { name: 'settings of myapp' });
    const row = table.getByRole('row', { name: /^vcs\.repo / });
    await expect(row.textContent()).resolves.toContain('default');
    expect(await accessibilityProblems(page)).toEqual([]);
    await row.getByRole('button', { name: 'Change vcs.repo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change vcs.repo' });
    await dialog.getByLabel('Value (JSON)').fill('"not a repository"');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'owner/repository' }).waitFor();
    await dialog.getByLabel('Value (JSON)').fill('"acme/web"');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(row.textContent()).resolves.toMatch(/acme\/web.*database/);
    await row.getByRole('button', { name: 'Reset vcs.repo' }).click();
    await row.getByText('default').waitFor();
    // The global settings page does not show per-app keys.
    await page.goto(`${stack.url}/app/settings`);
    await page.getByRole('table', { name: 'settings' }).waitFor();
    await expect(page.getByRole('row', { name: /^vcs\.repo / }).count()).resolves.toBe(0);
  });

  /** A user made by someone else (another tab's API call), as the console itself would make it. */
  const createUserElsewhere = async (email: string) => {
    const other = await context.newPage();
    await other.goto(`${stack.url}/app/sessions`);
    const { status } = await consoleFetch(other, '/api/v1/users', {
      method: 'POST',
      body: { email, roles: ['viewer'] },
    });
    expect(status).toBe(201);
    await other.close();
  };

  it('shows a change made elsewhere without a reload, pushed over the live-updates socket', async () => {
    const frames: string[] = [];
    page.on('websocket', (socket) =>
      socket.on('framereceived', (frame) => frames.push(String(frame.payload))),
    );
    await page.goto(`${stack.url}/app/users`);
    await page.getByTestId('live-status').getByText('Live').waitFor();
    await createUserElsewhere('pushed@example.com');
    await page.getByRole('row', { name: /pushed@example\.com/ }).waitFor({ timeout: 5000 });
    // It was the hint that made the page refetch: topics only, no data about the user.
    expect(frames.some((frame) => JSON.parse(frame).topics?.includes('users'))).toBe(true);
    expect(frames.join()).not.toContain('pushed@example.com');
  });

  it('falls back to polling when the socket cannot connect', async () => {
    const polling = await context.newPage();
    await polling.routeWebSocket(/live-updates/, (socket) => socket.close({ code: 1011, reason: 'down' }));
    await polling.goto(`${stack.url}/app/users`);
    await polling.getByRole('heading', { name: 'Users' }).waitFor();
    await polling.getByTestId('live-status').getByText('Polling').waitFor();
    await createUserElsewhere('polled@example.com');
    await polling.getByRole('row', { name: /polled@example\.com/ }).waitFor({ timeout: 20_000 });
    await polling.close();
  }, 60_000);
});
