import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package; tests never download a browser (`.ci/run` installs it with apt-get). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Quiet, offline, reproducible: no GPU, no QUIC, no first-run or background traffic to Google. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * One headless Chromium per test file. Playwright gives every launch a fresh profile (its own temporary
 * --user-data-dir); the downloads folder is ours so exports can be read back.
 */
export async function launchConsoleBrowser(
  extraArgs: string[] = [],
): Promise<ConsoleBrowser & { downloads: string }> {
  const downloads = mkdtempSync(join(tmpdir(), 'rgw-web-downloads-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...extraArgs],
    downloadsPath: downloads,
  });
  return {
    browser,
    downloads,
    close: async () => {
      await browser.close();
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the real flow: the console sends the browser to sign-in, the button goes to
 * /api/v1/auth/web/login, the mock Google account picker gets a click on this person, and the gateway's
 * callback lands back on `path`.
 */
export async function signIn(
  context: BrowserContext,
  baseUrl: string,
  email: string,
  path = '/app/',
): Promise<Page> {
  const page = await context.newPage();
  // A page that fails to start (a CSP refusal, a script error) says why in the test output.
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    console.error(`console error: ${message.text()}`);
  });
  await page.goto(`${baseUrl}${path}`);
  await page
    .getByRole('link', { name: 'Sign in with Google' })
    .click({ timeout: 10_000 })
    .catch(async (error: unknown) => {
      console.error(`sign-in page not shown at ${page.url()}:\n${(await page.content()).slice(0, 3000)}`);
      throw error;
    });
  await page.locator('button', { hasText: email }).click();
  await page.waitForURL(
    (url) =>
      url.origin === baseUrl && url.pathname.startsWith('/app/') && !url.pathname.startsWith('/app/sign-in'),
  );
  return page;
}

/** What the console's pages tried and the CSP refused (a test asserts there is none). */
export const cspViolations: string[] = [];

/** axe-core on the current page: the serious and critical violations, as readable lines. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
}

/**
 * A call made by script in the signed-in page, as the console makes it: same-origin cookie plus the
 * readable CSRF cookie echoed in X-CSRF-Token. Answers the status and the parsed body (if JSON).
 */
export function consoleFetch(
  page: Page,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ path: target, method, body }) => {
      // Runs in the page (no DOM types here).
      const { cookie } = (globalThis as unknown as { document: { cookie: string } }).document;
      const csrf = cookie
        .split('; ')
        .find((part: string) => part.startsWith('rgw_csrf='))
        ?.slice('rgw_csrf='.length);
      const answer = await fetch(target, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf ?? '') },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: the text as it came
      }
      return { status: answer.status, body: parsed };
    },
    { path, method: init.method ?? 'GET', body: init.body },
  );
}
