import type { INestApplicationContext } from '@nestjs/common';
import type { AuditEventInput } from '../audit/audit-recorder';
import { SessionsService } from '../auth/sessions/sessions.service';
import { permissionsForRoles } from '../rbac/roles';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { UserAdminService } from '../users/user-admin.service';
import { UsersService } from '../users/users.service';

export const USAGE = `usage: npm run manage -- <command> [options]
  create-user     --email E --role R [--name N]
  create-token    --email E --name N (--role R | --permission P ...) [--expires-in 30d]   prints only the token
  lock-user       --email E --reason TEXT
  revoke-sessions --email E`;

export const COMMANDS = ['create-user', 'create-token', 'lock-user', 'revoke-sessions'] as const;
export type ManageCommand = (typeof COMMANDS)[number];

export interface ManageOptions {
  email?: string;
  role?: string;
  name?: string;
  permission?: string[];
  'expires-in'?: string;
  reason?: string;
}

/** What a command did: its audit event (without outcome), a line for the operator, and stdout if any. */
export interface ManageResult {
  event: Omit<AuditEventInput, 'decision' | 'actorEmail'>;
  message?: string;
  stdout?: string;
}

/** The audit action and resource of a command, known before it runs, so a failure is recorded too. */
export function eventOf(command: ManageCommand, options: ManageOptions): ManageResult['event'] {
  const actions: Record<ManageCommand, string> = {
    'create-user': 'gateway:user:create',
    'create-token': 'gateway:token:create',
    'lock-user': 'gateway:user:lock',
    'revoke-sessions': 'auth:session_revoked',
  };
  return {
    action: actions[command],
    resourceType: command === 'create-token' ? 'api_token' : 'user',
    resourceName: options.email?.toLowerCase(),
  };
}

export function need(options: ManageOptions, key: 'email' | 'role' | 'name' | 'reason'): string {
  const value = options[key];
  if (typeof value !== 'string' || value === '') throw new Error(`--${key} is required\n${USAGE}`);
  return value;
}

/** `30d` or `30` → 30 days. */
function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)d?$/.exec(value);
  if (!match || Number(match[1]) < 1) throw new Error(`--expires-in must look like 30d (got "${value}")`);
  return Number(match[1]);
}

/** Runs one command through the same services as the admin API, acting as `actor`. */
export async function runManageCommand(
  app: INestApplicationContext,
  command: ManageCommand,
  options: ManageOptions,
  actor: string,
): Promise<ManageResult> {
  const users = app.get(UsersService);
  const base = eventOf(command, options);
  if (command === 'create-user') {
    const user = await users.create({
      email: need(options, 'email'),
      name: options.name,
      roles: [need(options, 'role')],
    });
    return {
      event: { ...base, resourceName: user.email, details: { roles: user.roles } },
      message: `created ${user.email} (${user.roles.join(', ')})`,
    };
  }
  if (command === 'create-token') {
    const owner = await users.getByEmail(need(options, 'email'));
    const { token, entity } = await app.get(ApiTokensService).create(
      owner,
      {
        name: need(options, 'name'),
        role: options.role,
        permissions: options.permission,
        expiresInDays: parseDays(options['expires-in']),
      },
      // The operator acts with the owner's own authority: a token can never exceed its owner.
      { email: actor, permissions: permissionsForRoles(owner.roles) },
    );
    return {
      event: {
        ...base,
        resourceName: entity.id,
        details: { owner: owner.email, name: entity.name, permissions: entity.permissions },
      },
      stdout: `${token}\n`,
    };
  }
  if (command === 'lock-user') {
    const user = await app.get(UserAdminService).lock(need(options, 'email'), need(options, 'reason'), actor);
    return {
      event: { ...base, resourceName: user.email, details: { reason: user.lockedReason } },
      message: `locked ${user.email}; its sessions and tokens stop working now`,
    };
  }
  const user = await users.getByEmail(need(options, 'email'));
  const count = await app.get(SessionsService).revokeAllForUser(user.id, actor, 'revoked');
  return {
    event: { ...base, resourceName: user.email, details: { revoked: count, all: true } },
    message: `revoked ${count} session(s) of ${user.email}`,
  };
}
