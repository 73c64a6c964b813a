import { Command, CommanderError } from 'commander';
import { registerAccessCommands } from '../commands/access.commands';
import { registerApiTokenCommands } from '../commands/api-token.commands';
import { registerAppsCommands } from '../commands/apps.commands';
import { registerAuthCommands } from '../commands/auth.commands';
import { registerBuildsCommands } from '../commands/builds.commands';
import { registerCompletionCommands } from '../commands/completion.commands';
import { registerDeployApprovalCommands } from '../commands/deploy-approval.commands';
import { registerDeployCommands } from '../commands/deploy.commands';
import { registerEnvCommands } from '../commands/env.commands';
import { registerExecCommands } from '../commands/exec.commands';
import { registerLogsCommands } from '../commands/logs.commands';
import { registerMfaCommands } from '../commands/mfa.commands';
import { passthroughToConvox, registerPassthroughCommands } from '../commands/passthrough.commands';
import { registerProcessCommands } from '../commands/ps.commands';
import { registerRackCommands } from '../commands/racks.commands';
import { registerReleasesCommands } from '../commands/releases.commands';
import { registerReportCommands } from '../commands/report.commands';
import { registerSessionAndUserCommands } from '../commands/sessions.commands';
import { registerInfrastructureCommands, registerRackSystemCommands } from '../commands/system.commands';
import { registerVersionCommands } from '../commands/version.commands';
import { clientVersion } from '../http/client-version';
import { CliError } from './cli-error';
import { CommandContext } from './command-context';
import { errorText } from './error-text';

export function buildProgram(context: CommandContext): Command {
  const program = new Command('rack-gateway')
    .description('Log in to Convox racks through rack-gateway and run Convox commands with your own identity')
    .version(clientVersion(), '-v, --version', 'print the client version')
    .option('-r, --rack <name>', 'rack to use (default: $RACK_GATEWAY_RACK, then the current rack)')
    .option('--mfa-code <code>', 'MFA code (authenticator app or backup code) for this command')
    .option(
      '--config <dir>',
      'config directory (default: $RACK_GATEWAY_CONFIG_DIR or ~/.config/rack-gateway)',
    )
    .configureHelp({ showGlobalOptions: true, sortSubcommands: true })
    .showHelpAfterError('(run with --help for usage)');

  registerAuthCommands(program, context);
  registerRackSystemCommands(registerRackCommands(program, context), context);
  registerAppsCommands(program, context);
  registerProcessCommands(program, context);
  registerEnvCommands(program, context);
  registerReleasesCommands(program, context);
  registerBuildsCommands(program, context);
  registerLogsCommands(program, context);
  registerExecCommands(program, context);
  registerDeployCommands(program, context);
  registerDeployApprovalCommands(program, context);
  registerInfrastructureCommands(program, context);
  registerApiTokenCommands(program, context);
  registerSessionAndUserCommands(program, context);
  registerAccessCommands(program, context);
  registerReportCommands(program, context);
  registerMfaCommands(program, context);
  registerPassthroughCommands(program, context);
  registerCompletionCommands(program, context);
  registerVersionCommands(program, context);
  return program;
}

/**
 * Parses and runs one command line; resolves to the process exit code. Unknown commands go to the
 * installed convox CLI. Every failure is printed as `Error: <message>` (no stack traces).
 */
export async function runCli(argv: string[], context: CommandContext): Promise<number> {
  const program = buildProgram(context);
  program.exitOverride();
  let fallback: Promise<void> | undefined;
  // commander emits this synchronously and ignores the result, so keep the promise to await it
  program.on('command:*', (operands: string[], unknown: string[]) => {
    fallback = passthroughToConvox(context, [...operands, ...unknown], CommandContext.options(program));
  });
  try {
    await program.parseAsync(argv);
    await fallback;
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      context.warn(`Error: ${error.message}`);
      return error.exitCode;
    }
    context.warn(`Error: ${errorText(error)}`);
    return 1;
  }
}
