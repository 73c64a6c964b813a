import type { BrowserContext, Page } from 'playwright-core';
import { startFullStack, type FullStack } from '../audit/full-stack-fixture';
import { accessibilityProblems, cspViolations, launchConsoleBrowser, signIn } from './console-browser';

/** Admin journeys in one browser and one signed-in context (sign-in costs seconds; pages cost little). */
describe('web console: an admin', () => {
  let stack: FullStack;
  let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startFullStack(), launchConsoleBrowser()]);
    context = await browser.browser.newContext({ acceptDownloads: true });
    page = await signIn(context, stack.url, 'admin@example.com', '/app/users');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const open = async (path: string, heading: string | RegExp) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: path }).click();
    await page.getByRole('heading', { level: 2, name: heading }).waitFor();
  };

  it('signs in through Google and lands on the page it asked for, with every admin page offered', async () => {
    expect(new URL(page.url()).pathname).toBe('/app/users');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Rack', 'Apps', 'Users', 'API tokens', 'Sessions', 'Audit', 'Settings']) {
      await nav.getByRole('link', { name: label, exact: true }).waitFor({ state: 'visible' });
    }
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('admin');
  });

  it('creates a user with a role, by keyboard, and sees it listed', async () => {
    await open('Users', 'Users');
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('Email').fill('newcomer@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Newcomer');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /newcomer@example\.com/ });
    await expect(row.textContent()).resolves.toContain('viewer');
    const stored = await stack.db.query('SELECT roles FROM users WHERE email = $1', ['newcomer@example.com']);
    expect(stored.rows[0].roles).toEqual(['viewer']);
  });

  it('locks a user with a reason and unlocks them', async () => {
    await page.getByRole('button', { name: 'Lock newcomer@example.com' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('left the team');
    await dialog.getByRole('button', { name: 'Lock user' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Unlock newcomer@example.com' }).waitFor();
    const locked = await stack.db.query('SELECT locked_reason FROM users WHERE email = $1', [
      'newcomer@example.com',
    ]);
    expect(locked.rows[0].locked_reason).toBe('left the team');
    await page.getByRole('button', { name: 'Unlock newcomer@example.com' }).click();
    await page.getByRole('button', { name: 'Lock newcomer@example.com' }).waitFor();
  });

  it('creates an API token from a role preset and sees the secret exactly once', async () => {
    await open('API tokens', 'API tokens');
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API token' });
    await dialog.getByLabel('Name').fill('ci-deploys');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secret = (await dialog.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(secret.length).toBeGreaterThan(20);
    const stored = await stack.db.query('SELECT token_hash FROM api_tokens WHERE name = $1', ['ci-deploys']);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).not.toContain(secret);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row', { name: /ci-deploys/ }).waitFor();
    await expect(page.content()).resolves.not.toContain(secret);
    // The token works against the rack proxy: it was made for real.
    const apps = await fetch(`${stack.url}/api/v1/rack-proxy/apps`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(apps.status).toBe(200);
  });

  it('sees every env value hidden at first and reveals a secret it may read', async () => {
    await page.goto(`${stack.url}/app/apps/myapp?tab=env`);
    const cell = page.getByTestId('env-value-SECRET_KEY_BASE');
    await expect(cell.textContent()).resolves.toContain('••••');
    await page.getByRole('button', { name: 'Reveal SECRET_KEY_BASE' }).click();
    await page.getByText('mock-secret-key-base-9f8e7d6c5b4a39281706f5e4d3c2b1a0').waitFor();
  });

  it('searches the audit log by action and decision, opens an event and exports CSV', async () => {
    await open('Audit', 'Audit log');
    await page.getByTestId('chain-status').waitFor();
    await expect(page.getByTestId('chain-status').textContent()).resolves.toBe('intact');
    await page.getByLabel('Action (prefix)').fill('gateway:user:');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/action=gateway%3Auser%3A|action=gateway:user:/);
    const rows = page.getByRole('table', { name: 'audit events' }).getByRole('row');
    await rows.nth(1).waitFor();
    const actions = await page
      .getByRole('table', { name: 'audit events' })
      .locator('tbody tr td:nth-child(3)')
      .allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action.startsWith('gateway:user:')).toBe(true);
    await rows.nth(1).getByRole('button').click();
    await page.getByRole('dialog', { name: 'Audit event' }).waitFor();
    await page.keyboard.press('Escape');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv as Buffer[]).toString('utf8');
    expect(text.split('\n')[0]).toContain('action');
    expect(text).toContain('gateway:user:create');
    expect(text).not.toContain('auth:login');
  });

  it('changes a setting, sees the server refuse a bad value with its reason, and resets it', async () => {
    await open('Settings', 'Settings');
    const row = page.getByRole('row', { name: /approvals\.pending_ttl/ });
    await row.getByRole('button', { name: 'Change approvals.pending_ttl' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Value (JSON)').fill('"not a duration"');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByLabel('Value (JSON)').fill('"2h"');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('database').waitFor();
    await row.getByRole('button', { name: 'Reset approvals.pending_ttl' }).click();
    await row.getByText('default').waitFor();
  });

  it('changes an env var into a new release, refusing a bad name first, and promotes it', async () => {
    await page.goto(`${stack.url}/app/apps/myapp?tab=env`);
    await page.getByRole('button', { name: 'Add a variable' }).click();
    const add = page.getByRole('dialog', { name: 'Add a variable' });
    await add.getByLabel('Name').fill('9_BAD');
    await add.getByRole('button', { name: 'Save and create release' }).click();
    await add.getByRole('alert').filter({ hasText: 'letters, digits and _' }).waitFor();
    await add.getByLabel('Name').fill('FEATURE_FLAG');
    await add.getByLabel('Value').fill('on');
    await add.getByRole('button', { name: 'Save and create release' }).click();
    await add.waitFor({ state: 'detached' });

    const created = page.getByRole('alert').filter({ hasText: /Release R\w+ created/ });
    const release = /Release (R\w+) created/.exec((await created.textContent())!)![1];
    await created.getByRole('button', { name: `Promote ${release}` }).click();
    const confirm = page.getByRole('dialog', { name: `Promote ${release}?` });
    await confirm.getByRole('button', { name: 'Promote' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Reveal FEATURE_FLAG' }).click();
    await page.getByTestId('env-value-FEATURE_FLAG').getByText('on', { exact: true }).waitFor();
    // The whole env went back with the change: the secret kept its value.
    await page.getByRole('button', { name: 'Reveal SECRET_KEY_BASE' }).click();
    await page.getByText('mock-secret-key-base-9f8e7d6c5b4a39281706f5e4d3c2b1a0').waitFor();
    const forwarded = stack.rack.requests.map((r) => `${r.method} ${r.path}`);
    expect(forwarded).toContain('POST /apps/myapp/releases');
    expect(forwarded).toContain(`POST /apps/myapp/releases/${release}/promote`);
  });

  it('scales a service through the proxy and sees the new count', async () => {
    await page.goto(`${stack.url}/app/apps/myapp?tab=services`);
    await page.getByRole('button', { name: 'Scale worker' }).click();
    const dialog = page.getByRole('dialog', { name: 'Scale worker' });
    await dialog.getByLabel('Count').fill('3');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.waitFor({ state: 'detached' });
    const worker = page
      .getByRole('table', { name: 'services' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'worker', exact: true }) });
    await worker.getByRole('cell', { name: '3', exact: true }).waitFor();
    const scaled = stack.rack.requests.filter((r) => r.method === 'PUT');
    expect(scaled.map((r) => r.path)).toEqual(['/apps/myapp/services/worker']);
  });

  it("shows a user's recent activity on their page and leads to all of it in the audit log", async () => {
    await page.goto(`${stack.url}/app/users/admin%40example.com`);
    const recent = page.getByRole('table', { name: 'recent activity' });
    await recent.waitFor();
    const actors = await recent.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set(['admin@example.com']));
    await page.getByRole('link', { name: 'All of their activity in the audit log' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/app/audit' && url.searchParams.get('actor') === 'admin@example.com',
    );
    await page.getByRole('table', { name: 'audit events' }).waitFor();
  });

  // In groups, so one slow axe run on a busy machine does not push a single test past its timeout.
  it.each([
    ['rack and account', ['/app/rack', '/app/apps', '/app/apps/myapp', '/app/tokens', '/app/sessions']],
    ['user', ['/app/users', '/app/users/ops%40example.com']],
    ['audit and settings', ['/app/audit', '/app/settings']],
  ])('has no serious or critical accessibility violations on the %s pages', async (_, paths) => {
    const problems: string[] = [];
    for (const path of paths) {
      await page.goto(`${stack.url}${path}`);
      await page.getByRole('heading', { level: 2 }).waitFor();
      await page.waitForLoadState('networkidle');
      problems.push(...(await accessibilityProblems(page)).map((problem) => `${path}: ${problem}`));
    }
    expect(problems).toEqual([]);
  });

  it('never needed anything its Content-Security-Policy refuses', () => {
    expect(cspViolations).toEqual([]);
  });
});
