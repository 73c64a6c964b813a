import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { AuditRecorder } from '../audit/audit-recorder';
import { SessionsService } from '../auth/sessions/sessions.service';
import { ConfigError, loadConfig } from '../config/load-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { UserAdminService } from '../users/user-admin.service';
import { UsersService } from '../users/users.service';
import { permissionsForRoles } from '../rbac/roles';

const USAGE = `usage: npm run manage -- <command> [options]
  create-user     --email E --role R [--name N]
  create-token    --email E --name N (--role R | --permission P ...) [--expires-in 30d]   prints only the token
  lock-user       --email E --reason TEXT
  revoke-sessions --email E`;

/** `30d` or `30` → 30 days. */
function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)d?$/.exec(value);
  if (!match || Number(match[1]) < 1) throw new Error(`--expires-in must look like 30d (got "${value}")`);
  return Number(match[1]);
}

/**
 * Operator commands on the configured database, through the same services as the API, each audited with
 * the actor `operator:<OS user>`. Only create-token writes to stdout (the token), so it can be piped.
 */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      permission: { type: 'string', multiple: true },
      'expires-in': { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const need = (key: keyof typeof values): string => {
    const value = values[key];
    if (typeof value !== 'string' || value === '') throw new Error(`--${key} is required\n${USAGE}`);
    return value;
  };
  if (!['create-user', 'create-token', 'lock-user', 'revoke-sessions'].includes(command ?? '')) {
    throw new Error(USAGE);
  }

  const config = loadConfig({
    NODE_ENV: 'development',
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  let databaseUrl = config.database.url;
  let stopDatabase: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: resolve(join(config.database.dataDir, 'postgres')),
      port: config.database.embeddedPort,
      persistent: true,
    });
    databaseUrl = server.databaseUrl;
    stopDatabase = server.stop;
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, databaseUrl), {
    logger: ['error', 'warn'],
  });
  await app.init();
  const actor = `operator:${userInfo().username}`;
  const audit = app.get(AuditRecorder);
  const users = app.get(UsersService);
  try {
    if (command === 'create-user') {
      const user = await users.create({ email: need('email'), name: values.name, roles: [need('role')] });
      await audit.record({
        action: 'gateway:user:create',
        decision: 'allow',
        actorEmail: actor,
        resourceType: 'user',
        resourceName: user.email,
        details: { roles: user.roles },
      });
      console.error(`created ${user.email} (${user.roles.join(', ')})`);
    } else if (command === 'create-token') {
      const owner = await users.getByEmail(need('email'));
      const { token, entity } = await app.get(ApiTokensService).create(
        owner,
        {
          name: need('name'),
          role: values.role,
          permissions: values.permission,
          expiresInDays: parseDays(values['expires-in']),
        },
        // The operator acts with the owner's own authority: a token can never exceed its owner.
        { email: actor, permissions: permissionsForRoles(owner.roles) },
      );
      await audit.record({
        action: 'gateway:token:create',
        decision: 'allow',
        actorEmail: actor,
        resourceType: 'api_token',
        resourceName: entity.id,
        details: { owner: owner.email, name: entity.name, permissions: entity.permissions },
      });
      process.stdout.write(`${token}\n`);
    } else if (command === 'lock-user') {
      const user = await app.get(UserAdminService).lock(need('email'), need('reason'), actor);
      await audit.record({
        action: 'gateway:user:lock',
        decision: 'allow',
        actorEmail: actor,
        resourceType: 'user',
        resourceName: user.email,
        details: { reason: user.lockedReason },
      });
      console.error(`locked ${user.email}; its sessions and tokens stop working now`);
    } else {
      const user = await users.getByEmail(need('email'));
      const count = await app.get(SessionsService).revokeAllForUser(user.id, actor, 'revoked');
      await audit.record({
        action: 'auth:session_revoked',
        decision: 'allow',
        actorEmail: actor,
        resourceType: 'user',
        resourceName: user.email,
        details: { revoked: count, all: true },
      });
      console.error(`revoked ${count} session(s) of ${user.email}`);
    }
  } finally {
    await app.close();
    await stopDatabase?.();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const text =
    error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
  const response = (error as { getResponse?: () => unknown }).getResponse?.() as
    { message?: string } | undefined;
  console.error(response?.message ?? text);
  process.exit(1);
});
