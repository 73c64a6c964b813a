import { Client } from 'pg';
import type { GatewayAppOptions } from '../../src/app.factory';
import { spawnMockOAuth, SpawnedMockOAuth } from '../../src/dev/mock-oauth/spawn';
import { CookieJarClient, Page } from '../harness/cookie-jar-client';
import { freePort } from '../harness/free-port';
import { startServers } from '../harness/started-servers';
import { startTestGateway, TestGateway } from '../harness/test-gateway';

export const CLIENT_ID = 'rack-gateway-test';
export const CLIENT_SECRET = 'mock-client-secret-for-tests';
export const CALLBACK_PATH = '/api/v1/auth/web/callback';

export interface AuthStack {
  gateway: TestGateway;
  oauth: SpawnedMockOAuth;
  db: Client;
  close(): Promise<void>;
}

/**
 * A gateway wired to a freshly spawned mock Google login, with the four role users bootstrapped. The
 * issuer's port is reserved first because discovery is lazy: the gateway only needs the URL at boot.
 */
export async function startAuthStack(
  env: Record<string, string> = {},
  options: GatewayAppOptions = {},
): Promise<AuthStack> {
  const oauthPort = await freePort();
  return startServers(async (servers) => {
    const gateway = servers.own(
      await startTestGateway(
        {
          GOOGLE_ISSUER: `http://127.0.0.1:${oauthPort}`,
          GOOGLE_CLIENT_ID: CLIENT_ID,
          GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
          GOOGLE_ALLOWED_DOMAIN: 'example.com',
          ADMIN_USERS: 'admin@example.com',
          DEPLOYER_USERS: 'deployer@example.com',
          OPS_USERS: 'ops@example.com',
          VIEWER_USERS: 'viewer@example.com,unverified@example.com,outsider@other.test,personal@gmail.test',
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
          ...env,
        },
        options,
      ),
      (started) => started.close(),
    );
    const oauth = servers.own(
      await spawnMockOAuth({
        port: oauthPort,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${gateway.url}${CALLBACK_PATH}`],
      }),
      (started) => started.stop(),
    );
    const db = new Client({ connectionString: gateway.databaseUrl });
    await db.connect();
    servers.own(db, (client) => client.end());
    return { gateway, oauth, db, close: () => servers.closeAll() };
  });
}

/** Picks `email` on the mock's account page: the form whose action ends in /login and whose email matches. */
export async function pickAccount(browser: CookieJarClient, page: Page, email: string): Promise<Page> {
  const action = /<form method="post" action="([^"]+\/login)"/.exec(page.body)?.[1];
  if (!action)
    throw new Error(`no account picker on ${page.url.href} (${page.status}): ${page.body.slice(0, 300)}`);
  return browser.submitForm(new URL(action.replace(/&amp;/g, '&'), page.url), { email });
}

/** A whole browser login: start at the gateway, pick the account at the mock, land wherever it leads. */
export async function browserLogin(
  stack: AuthStack,
  email: string,
  returnTo = '/api/v1/me',
  browser = new CookieJarClient(),
): Promise<{ browser: CookieJarClient; page: Page }> {
  const picker = await browser.get(
    `${stack.gateway.url}/api/v1/auth/web/login?returnTo=${encodeURIComponent(returnTo)}`,
  );
  const page = await pickAccount(browser, picker, email);
  return { browser, page };
}

export function gatewayHost(stack: AuthStack): string {
  return new URL(stack.gateway.url).host;
}

/** Headers a same-origin page script sends on a state-changing call: Origin and the echoed CSRF cookie. */
export function csrfHeaders(stack: AuthStack, browser: CookieJarClient): Record<string, string> {
  return {
    origin: stack.gateway.url,
    'x-csrf-token': browser.cookie(gatewayHost(stack), 'rgw_csrf') ?? '',
    'content-type': 'application/json',
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface AuditRow {
  action: string;
  decision: string;
  rule: string;
  actor_email: string;
  details: string;
}

/** Audit events recorded so far with this action (from the real audit table). */
export async function auditEvents(stack: AuthStack, action: string): Promise<AuditRow[]> {
  const result = await stack.db.query<AuditRow>(
    'SELECT action, decision, rule, actor_email, details FROM audit_events WHERE action = $1 ORDER BY chain_index',
    [action],
  );
  return result.rows;
}

/** Every row of every table as PostgreSQL's text form, to search for secrets that must never be stored. */
export async function databaseTextDump(stack: AuthStack): Promise<string[]> {
  const tables = await stack.db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
  );
  const rows: string[] = [];
  for (const { tablename } of tables.rows) {
    const dump = await stack.db.query<{ row: string }>(`SELECT t::text AS row FROM "${tablename}" t`);
    rows.push(...dump.rows.map((r) => r.row));
  }
  return rows;
}
