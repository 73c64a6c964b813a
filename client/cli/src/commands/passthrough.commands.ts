import type { Command } from 'commander';
import { CommandContext, type CommonOptions } from '../cli/command-context';
import { runConvox } from '../convox/convox-passthrough';

/** Runs `convox <args>` through the gateway; also the fallback for commands rack-gateway lacks. */
export async function passthroughToConvox(context: CommandContext, args: string[], options: CommonOptions) {
  process.exitCode = await runConvox(args, context.credentialedTarget(options));
}

export function registerPassthroughCommands(program: Command, context: CommandContext): void {
  program
    .command('convox')
    .description('run the installed convox CLI against the gateway (RACK_URL is set for it)')
    .argument('[args...]', 'arguments for convox')
    .helpOption(false)
    .allowUnknownOption()
    .action((args: string[], _options: unknown, command: Command) =>
      passthroughToConvox(context, args, CommandContext.options(command)),
    );
}

/** The command line to give convox for `<group> <sub> …` when `<sub>` is not one rack-gateway implements. */
export function convoxArgumentsForUnknownSubcommand(command: Command): string[] | undefined {
  if (command.args.length === 0) return undefined;
  const forwarded = [command.name(), ...command.args];
  for (const option of command.options) {
    const key = option.attributeName();
    if (command.getOptionValueSource(key) !== 'cli' || !option.long) continue;
    const value: unknown = command.getOptionValue(key);
    if (value === true) forwarded.push(option.long);
    else if (typeof value === 'string') forwarded.push(option.long, value);
  }
  return forwarded;
}

/**
 * Group commands (`apps`, `env`, `rack`, …) list things when called alone; `apps create x` has extra
 * words, which means a Convox subcommand rack-gateway does not implement: hand it to convox.
 */
export async function forwardedToConvox(context: CommandContext, command: Command): Promise<boolean> {
  const args = convoxArgumentsForUnknownSubcommand(command);
  if (!args) return false;
  await passthroughToConvox(context, args, CommandContext.options(command));
  return true;
}
