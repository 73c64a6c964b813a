import { SessionsService } from '../../src/sessions/sessions.service';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import { AbilityFactory } from '../../src/rbac/ability.factory';
import { expandPatterns } from '../../src/rbac/permission-match';
import type { TestGateway } from '../harness/test-gateway';

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  body: any;
  text: string;
}

/** An API token of `email` with `permissions` (default: everything the user holds, scopes included). */
export async function tokenOf(gateway: TestGateway, email: string, permissions?: string[]): Promise<string> {
  const user = await gateway.app.get(UsersService).getByEmail(email);
  const grants = gateway.app.get(AbilityFactory).userGrants(user);
  const held = [...expandPatterns(grants.permissions), ...grants.scopedGrants.flatMap((g) => g.permissions)];
  const { token } = await gateway.app.get(ApiTokensService).create(
    user,
    {
      name: `${email}-${Math.random().toString(36).slice(2, 8)}`,
      permissions: permissions ?? [...new Set(held)],
    },
    { email: user.email, permissions: held },
  );
  return token;
}

/**
 * A CLI session of admin@example.com. Creating or changing users and roles is an `always` MFA action, which
 * API tokens can never perform; in tests nobody has enrolled MFA, so a session needs no code.
 */
export async function adminSession(gateway: TestGateway): Promise<string> {
  const admin = await gateway.app.get(UsersService).getByEmail('admin@example.com');
  return (await gateway.app.get(SessionsService).create(admin.id, 'cli', {})).token;
}

export async function call(
  gateway: TestGateway,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}
