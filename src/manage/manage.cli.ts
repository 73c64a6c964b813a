import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { assertAuditKeyMatchesChain } from '../audit/audit-key-check';
import { loadConfig } from '../config/load-config';
import { AuditRecorder } from '../audit/audit-recorder';
import {
  assertMfaCommandAllowed,
  MFA_COMMAND_ACTIONS,
  MFA_COMMANDS,
  MFA_USAGE,
  runMfaCommand,
  type MfaCommand,
} from '../mfa/mfa-manage-commands';
import { operatorSetup } from '../dev/operator-setup';
import { errorMessage } from '../errors/error-message';
import { runAuditedManageCommand } from './audited-manage-command';
import { COMMANDS, USAGE, type ManageCommand } from './manage-commands';

function parse(argv: string[]) {
  const [command, ...rest] = argv;
  const isMfa = (MFA_COMMANDS as readonly string[]).includes(command);
  if (!COMMANDS.includes(command as ManageCommand) && !isMfa) throw new Error(`${USAGE}\n${MFA_USAGE}`);
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
  return { command: command as ManageCommand | MfaCommand, options: values };
}

/**
 * Operator commands on the gateway's database, through the same services as the API. Each is audited
 * like its admin API route — before and after included — with the actor `operator:<OS user>`, and closed
 * with its outcome (success or the error), after checking that the audit key is the one the chain was
 * built with. Only create-token writes to stdout (the token), so it can be piped; everything else goes to
 * stderr.
 */
async function main(argv: string[]): Promise<void> {
  const { command, options } = parse(argv);
  const setup = await operatorSetup(process.env);
  try {
    const config = loadConfig({
      NODE_ENV: 'development',
      ...setup.env,
      LOG_LEVEL: setup.env.LOG_LEVEL ?? 'warn',
      // The events are in the database; the stdout mirror is the gateway's, and stdout here is the token's.
      AUDIT_STDOUT: setup.env.AUDIT_STDOUT ?? 'false',
    });
    assertMfaCommandAllowed(command, config);
    if (!config.audit.hmacSecret) throw new Error('AUDIT_HMAC_SECRET is required');
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, setup.databaseUrl), {
      logger: ['error', 'warn'],
    });
    try {
      await app.init();
      await assertAuditKeyMatchesChain(app.get(DataSource), config.audit.hmacSecret);
      const actorEmail = `operator:${userInfo().username}`;
      const result = (MFA_COMMANDS as readonly string[]).includes(command)
        ? await runMfa(app, command as MfaCommand, options.email, actorEmail)
        : await runAuditedManageCommand(app, command as ManageCommand, options, actorEmail);
      if (result.message) console.error(result.message);
      if (result.stdout) process.stdout.write(result.stdout);
    } finally {
      await app.close();
    }
  } finally {
    await setup.release();
  }
}

/** The MFA commands (dev-only `totp-code`, `mfa-rotate-key`), each recorded as one audit event. */
async function runMfa(
  app: INestApplicationContext,
  command: MfaCommand,
  email: string | undefined,
  actorEmail: string,
) {
  const { details, ...printed } = await runMfaCommand(app, command, () => {
    if (!email) throw new Error(`--email is required\n${MFA_USAGE}`);
    return email;
  });
  await app
    .get(AuditRecorder)
    .record({ action: MFA_COMMAND_ACTIONS[command], decision: 'allow', actorEmail, details });
  return printed;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
