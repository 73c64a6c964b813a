import { Client } from 'pg';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import { startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

/**
 * A CLI session of admin@example.com. Settings changes are an `always` MFA action, which API tokens can
 * never perform; in tests MFA does not apply to a person who has not enrolled, so a session passes.
 */
export async function adminSession(stack: ProxyStack): Promise<string> {
  const admin = await stack.gateway.app.get(UsersService).getByEmail('admin@example.com');
  return (await stack.gateway.app.get(SessionsService).create(admin.id, 'cli', {})).token;
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  body: any;
}

export interface SettingEventRow {
  decision: string;
  resource_name: string;
  app: string;
  /** The state before the change is in the event's details, the state after it in its outcome. */
  details: string;
  outcome_details: string;
  status: number;
}

export interface SettingsStack {
  stack: ProxyStack;
  db: Client;
  /** An admin's token limited to gateway:settings:read and :update. */
  adminToken: string;
  /** An admin's token limited to gateway:settings:read. */
  readerToken: string;
  /** A JSON call to the admin API (`path` under /api/v1) with a Bearer token. */
  call(token: string, method: string, path: string, body?: unknown): Promise<Answer>;
  /** Waits until every audit event has its outcome (written just after the client has the response). */
  auditSettled(): Promise<void>;
  /** The `gateway:settings:update` events so far, outcomes settled. */
  settingEvents(): Promise<SettingEventRow[]>;
  close(): Promise<void>;
}

/** A mock rack and a real gateway with two settings tokens, for the settings e2e tests. */
export async function startSettingsStack(env: Record<string, string> = {}): Promise<SettingsStack> {
  const stack = await startProxyStack({ LOG_LEVEL: 'silent', ...env });
  const db = new Client({ connectionString: stack.gateway.databaseUrl });
  await db.connect();
  const auditSettled = async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const open = await db.query('SELECT 1 FROM audit_events WHERE status IS NULL LIMIT 1');
      if (open.rowCount === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('audit events still open');
  };
  return {
    stack,
    db,
    adminToken: await adminSession(stack),
    readerToken: await stack.tokenWith('admin', ['gateway:settings:read']),
    call: async (token, method, path, body) => {
      const res = await fetch(`${stack.gateway.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    auditSettled,
    settingEvents: async () => {
      await auditSettled();
      const result = await db.query<SettingEventRow>(
        `SELECT decision, resource_name, app, details, outcome_details, status FROM audit_events
         WHERE action = 'gateway:settings:update' ORDER BY chain_index`,
      );
      return result.rows;
    },
    close: async () => {
      await db.end();
      await stack.close();
    },
  };
}
