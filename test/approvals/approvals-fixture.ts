import { Client } from 'pg';
import { auditSettled } from '../harness/audit-settled';
import { SessionsService } from '../../src/sessions/sessions.service';
import { expandPatterns } from '../../src/rbac/permission-match';
import { permissionsForRoles, rolePermissions } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import { startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  body: any;
}

export interface IssuedToken {
  id: string;
  secret: string;
}

/** A deploy approval request body for `commit` (40 hex), with everything else defaulted. */
export function requestBody(commit: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    app: 'myapp',
    gitCommit: commit,
    gitBranch: 'main',
    message: `deploy ${commit.slice(0, 7)}`,
    ...extra,
  };
}

let commitCounter = 0;
/** A fresh, valid commit for each call, so tests do not collide on the one-open-request rule. */
export function nextCommit(): string {
  commitCounter += 1;
  const seed = `${Date.now().toString(16)}${process.pid.toString(16)}${commitCounter.toString(16).padStart(6, '0')}`;
  return seed.padEnd(40, 'c').slice(0, 40);
}

export interface ApprovalsStack {
  stack: ProxyStack;
  db: Client;
  /** A cicd-preset token owned by deployer@example.com. */
  ci: IssuedToken;
  /** CLI sessions: admin@ and second-admin@ approve; deployer@ requests; viewer@ holds no approval rights. */
  sessions: { admin: string; secondAdmin: string; deployer: string; viewer: string };
  /** An API token of admin@example.com holding every gateway permission. */
  adminToken: IssuedToken;
  /** A cicd-preset token of `owner`. */
  cicdToken(owner: string, name?: string): Promise<IssuedToken>;
  session(email: string): Promise<string>;
  call(
    credential: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** Waits until every audit event has its outcome. */
  auditSettled(): Promise<void>;
  close(): Promise<void>;
}

/** A mock rack and a real gateway with the people and tokens the approval tests need. */
export async function startApprovalsStack(env: Record<string, string> = {}): Promise<ApprovalsStack> {
  const stack = await startProxyStack({
    LOG_LEVEL: 'silent',
    ADMIN_USERS: 'admin@example.com,second-admin@example.com',
    ...env,
  });
  const db = new Client({ connectionString: stack.gateway.databaseUrl });
  await db.connect();
  const users = stack.gateway.app.get(UsersService);
  const apiTokens = stack.gateway.app.get(ApiTokensService);
  const sessionsService = stack.gateway.app.get(SessionsService);
  const session = async (email: string) =>
    (await sessionsService.create((await users.getByEmail(email)).id, 'cli', {})).token;
  const issue = async (owner: string, name: string, permissions: string[]): Promise<IssuedToken> => {
    const user = await users.getByEmail(owner);
    const created = await apiTokens.create(
      user,
      { name, permissions },
      { email: user.email, permissions: permissionsForRoles(user.roles) },
    );
    return { id: created.entity.id, secret: created.token };
  };
  const cicdToken = (owner: string, name = 'ci') =>
    issue(owner, name, expandPatterns(rolePermissions('cicd')));
  return {
    stack,
    db,
    ci: await cicdToken('deployer@example.com'),
    sessions: {
      admin: await session('admin@example.com'),
      secondAdmin: await session('second-admin@example.com'),
      deployer: await session('deployer@example.com'),
      viewer: await session('viewer@example.com'),
    },
    adminToken: await issue('admin@example.com', 'admin-gateway', expandPatterns(['gateway:*:*'])),
    cicdToken,
    session,
    call: async (credential, method, path, body, headers = {}) => {
      const res = await fetch(`${stack.gateway.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    auditSettled: () => auditSettled(db),
    close: async () => {
      await db.end();
      await stack.close();
    },
  };
}
