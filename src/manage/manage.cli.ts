import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { assertAuditKeyMatchesChain } from '../audit/audit-key-check';
import { AuditRecorder } from '../audit/audit-recorder';
import { loadConfig } from '../config/load-config';
import { operatorSetup } from '../dev/operator-setup';
import { errorMessage } from '../errors/error-message';
import { COMMANDS, eventOf, runManageCommand, USAGE, type ManageCommand } from './manage-commands';

function parse(argv: string[]) {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as ManageCommand)) throw new Error(USAGE);
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
  return { command: command as ManageCommand, options: values };
}

/** The HTTP status the admin API would have answered with, for the event's outcome. */
function statusOf(error: unknown): number {
  const status = (error as { getStatus?: () => unknown }).getStatus?.();
  return typeof status === 'number' ? status : 500;
}

/**
 * Operator commands on the gateway's database, through the same services as the API. Each is audited
 * with the actor `operator:<OS user>` and closed with its outcome (success or the error), after checking
 * that the audit key is the one the chain was built with. Only create-token writes to stdout (the token),
 * so it can be piped; everything else goes to stderr.
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
    if (!config.audit.hmacSecret) throw new Error('AUDIT_HMAC_SECRET is required');
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, setup.databaseUrl), {
      logger: ['error', 'warn'],
    });
    try {
      await app.init();
      await assertAuditKeyMatchesChain(app.get(DataSource), config.audit.hmacSecret);
      const audit = app.get(AuditRecorder);
      const actorEmail = `operator:${userInfo().username}`;
      let result;
      try {
        result = await runManageCommand(app, command, options, actorEmail);
      } catch (error) {
        await audit.record({
          ...eventOf(command, options),
          decision: 'allow',
          actorEmail,
          status: statusOf(error),
          details: { error: errorMessage(error) },
        });
        throw error;
      }
      await audit.record({ ...result.event, decision: 'allow', actorEmail, status: 200 });
      if (result.message) console.error(result.message);
      if (result.stdout) process.stdout.write(result.stdout);
    } finally {
      await app.close();
    }
  } finally {
    await setup.release();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
