import { HttpStatus, type INestApplicationContext, type Type } from '@nestjs/common';
import type { AuditSnapshot, AuditSnapshotTarget } from '../access-control/audit-snapshot';
import { apiError } from '../access-control/api-error';
import { SessionAdminService } from '../auth/sessions/session-admin.service';
import { UserSessionsAuditSnapshot } from '../auth/sessions/session-audit-snapshots';
import { AbilityFactory, type UserGrants } from '../rbac/ability.factory';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { TokenAuditSnapshot } from '../tokens/token-audit-snapshot';
import { UserAdminService } from '../users/user-admin.service';
import { UserAuditSnapshot } from '../users/user-audit-snapshot';
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

/** What a command did: its answer (for the snapshot after it), a line for the operator, and stdout if any. */
export interface ManageOutput {
  result?: unknown;
  message?: string;
  stdout?: string;
}

/**
 * One operator command, described as the admin API route it stands for: the same action, resource, status
 * and `@AuditChange` snapshot, so its audit event reads exactly like the route's.
 */
export interface ManageCommandSpec {
  action: string;
  /** The status the route answers a success with. */
  status: number;
  snapshot: Type<AuditSnapshot>;
  /** The route parameters and body the command amounts to: what the snapshot reads. */
  target(options: ManageOptions): AuditSnapshotTarget;
  /** The resource the route's first parameter names (creations have none). */
  resourceType?: string;
  run(app: INestApplicationContext, options: ManageOptions, actor: string): Promise<ManageOutput>;
}

export function need(options: ManageOptions, key: 'email' | 'role' | 'name' | 'reason'): string {
  const value = options[key];
  if (typeof value !== 'string' || value === '') {
    throw apiError(HttpStatus.BAD_REQUEST, 'bad_request', `--${key} is required\n${USAGE}`);
  }
  return value;
}

/** `30d` or `30` → 30 days. */
function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)d?$/.exec(value);
  if (!match || Number(match[1]) < 1) {
    throw apiError(HttpStatus.BAD_REQUEST, 'bad_request', `--expires-in must look like 30d (got "${value}")`);
  }
  return Number(match[1]);
}

/** `/users/:email…` as the command names it. */
const emailParam = (options: ManageOptions): Record<string, string> =>
  options.email ? { email: options.email.toLowerCase() } : {};

/** Each command through the same services as the admin API, acting as `actor`. */
export const COMMAND_SPECS: Record<ManageCommand, ManageCommandSpec> = {
  // POST /users
  'create-user': {
    action: 'gateway:user:create',
    status: HttpStatus.CREATED,
    snapshot: UserAuditSnapshot,
    target: (options) => ({ params: {}, body: { email: options.email } }),
    async run(app, options) {
      const user = await app.get(UsersService).create({
        email: need(options, 'email'),
        name: options.name,
        roles: [need(options, 'role')],
      });
      return { result: user, message: `created ${user.email} (${user.roles.join(', ')})` };
    },
  },
  // POST /api-tokens with another user's email
  'create-token': {
    action: 'gateway:token:create',
    status: HttpStatus.CREATED,
    snapshot: TokenAuditSnapshot,
    target: (options) => ({ params: {}, body: { email: options.email, name: options.name } }),
    async run(app, options, actor) {
      const owner = await app.get(UsersService).getByEmail(need(options, 'email'));
      const { token, entity } = await app.get(ApiTokensService).create(
        owner,
        {
          name: need(options, 'name'),
          role: options.role,
          permissions: options.permission,
          expiresInDays: parseDays(options['expires-in']),
        },
        // The operator acts with the owner's own authority: a token can never exceed its owner.
        { email: actor, permissions: ownerAuthority(app.get(AbilityFactory).userGrants(owner)) },
      );
      return { result: { id: entity.id }, stdout: `${token}\n` };
    },
  },
  // POST /users/:email/lock
  'lock-user': {
    action: 'gateway:user:lock',
    status: HttpStatus.OK,
    snapshot: UserAuditSnapshot,
    target: (options) => ({ params: emailParam(options), body: { reason: options.reason } }),
    resourceType: 'email',
    async run(app, options, actor) {
      const user = await app
        .get(UserAdminService)
        .lock(need(options, 'email'), need(options, 'reason'), actor);
      return { result: user, message: `locked ${user.email}; its sessions and tokens stop working now` };
    },
  },
  // POST /users/:email/sessions/revoke
  'revoke-sessions': {
    action: 'gateway:session:revoke',
    status: HttpStatus.OK,
    snapshot: UserSessionsAuditSnapshot,
    target: (options) => ({ params: emailParam(options), body: {} }),
    resourceType: 'user',
    async run(app, options, actor) {
      const email = need(options, 'email');
      const count = await app.get(SessionAdminService).revokeAllFor(email, actor);
      return { result: { revoked: count }, message: `revoked ${count} session(s) of ${email.toLowerCase()}` };
    },
  },
};

/** Everything the owner holds, custom roles and app-scoped bindings included (a token is re-bounded per request). */
function ownerAuthority(grants: UserGrants): string[] {
  return [...grants.permissions, ...grants.scopedGrants.flatMap((grant) => grant.permissions)];
}
