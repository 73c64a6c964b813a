import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { repoRoot } from './generated-docs';

/**
 * `npm run docs:screenshots`: signs in to a running development stack (`npm start`; GATEWAY_URL, default
 * http://127.0.0.1:8447) as the mock admin and writes PNGs of the console's main pages to docs/images/.
 * Drives Debian's chromium (CHROMIUM_PATH), never a downloaded browser.
 */
const PAGES: Array<[file: string, path: string, ready: string]> = [
  ['web-rack.png', '/app/rack', 'Rack'],
  ['web-apps.png', '/app/apps', 'Apps'],
  ['web-app-env.png', '/app/apps/myapp?tab=env', 'App myapp'],
  ['web-app-services.png', '/app/apps/myapp?tab=services', 'App myapp'],
  ['web-users.png', '/app/users', 'Users'],
  ['web-tokens.png', '/app/tokens', 'API tokens'],
  ['web-audit.png', '/app/audit', 'Audit log'],
  ['web-settings.png', '/app/settings', 'Settings'],
  ['web-app-settings.png', '/app/apps/myapp?tab=settings', 'App myapp'],
  ['web-approvals.png', '/app/approvals', 'Deploy approvals'],
  ['web-roles.png', '/app/roles', 'Roles'],
  ['web-access.png', '/app/access', 'Access'],
  ['web-security.png', '/app/account/security', 'Account security'],
];

async function main(): Promise<void> {
  const base = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8447';
  const out = join(repoRoot(), 'docs', 'images');
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${base}/app/`);
    await page.screenshot({ path: join(out, 'web-sign-in.png') });
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.locator('button', { hasText: 'admin@example.com' }).click();
    await page.waitForURL(/\/app\/(?!sign-in)/);
    for (const [file, path, heading] of PAGES)
      await capture(page, `${base}${path}`, heading, join(out, file));
    console.log(`wrote ${PAGES.length + 1} screenshots to docs/images/`);
  } finally {
    await browser.close();
  }
}

async function capture(page: Page, url: string, heading: string, file: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: file });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
