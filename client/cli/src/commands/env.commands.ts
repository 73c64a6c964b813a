import type { Command } from 'commander';
import { CliError } from '../cli/cli-error';
import { forwardedToConvox } from './passthrough.commands';
import { CommandContext } from '../cli/command-context';
import { withAppOption, withJsonOption } from '../cli/common-options';
import { promoteRelease } from '../convox/app-rollout';
import type { ConvoxRelease } from '../convox/convox-types';
import { formatEnvText, mergeEnv, parseAssignments, parseEnvText, removeKeys } from '../env/env-text';
import type { GatewayClient } from '../http/gateway-client';
import { withIntendedPermission } from '../http/missing-permission';

interface EnvOptions {
  release?: string;
  promote?: boolean;
  wait?: boolean;
  replace?: boolean;
}

/** The env of the given release, else of the latest one (what `convox env` reads). */
async function readEnv(client: GatewayClient, app: string, releaseId?: string): Promise<Map<string, string>> {
  let id = releaseId;
  if (!id) {
    const latest = await client.rack<ConvoxRelease[]>('GET', `/apps/${app}/releases`, {
      query: { limit: 1 },
    });
    if (!latest?.length) return new Map();
    id = latest[0].id;
  }
  const release = await client.rack<ConvoxRelease>('GET', `/apps/${app}/releases/${id}`);
  return parseEnvText(release.env);
}

/** Env changes are a new release holding the whole env (read-modify-write, as convox does). */
async function writeEnv(
  context: CommandContext,
  command: Command,
  change: (env: Map<string, string>) => Map<string, string>,
) {
  const options = CommandContext.options<EnvOptions>(command);
  const app = context.app(options);
  const client = context.client(options);
  const current = options.replace
    ? new Map<string, string>()
    : await withIntendedPermission(client, 'convox:env:set', () => readEnv(client, app, options.release));
  const release = await client.rack<ConvoxRelease>('POST', `/apps/${app}/releases`, {
    form: { env: formatEnvText(change(current)), 'parent-release': options.release },
  });
  context.print(`Release: ${release.id}`);
  if (options.promote) {
    await promoteRelease(client, app, release.id, {
      wait: Boolean(options.wait),
      log: (line) => context.warn(line),
    });
  }
}

function withReleaseWriteOptions(command: Command): Command {
  return withAppOption(command)
    .option('--release <id>', 'base the change on this release instead of the latest')
    .option('--promote', 'promote the new release')
    .option('--wait', 'with --promote: wait until the app is running the new release');
}

export function registerEnvCommands(program: Command, context: CommandContext): void {
  const env = withJsonOption(withAppOption(program.command('env').description("print the app's environment")))
    .option('--release <id>', 'read this release instead of the latest')
    .allowUnknownOption()
    .action(async (_options: unknown, command: Command) => {
      if (await forwardedToConvox(context, command)) return;
      const options = CommandContext.options<EnvOptions>(command);
      const values = await readEnv(context.client(options), context.app(options), options.release);
      context.output(options, Object.fromEntries([...values].sort(([a], [b]) => a.localeCompare(b))), () =>
        formatEnvText(values),
      );
    });

  env
    .command('get')
    .description('print one variable')
    .argument('<key>', 'variable name')
    .action(async (key: string, _options: unknown, command: Command) => {
      const options = CommandContext.options<EnvOptions>(command);
      const values = await readEnv(context.client(options), context.app(options), options.release);
      const value = values.get(key);
      if (value === undefined) throw new CliError(`env not found: ${key}`);
      context.print(value);
    });

  withReleaseWriteOptions(env.command('set').description('set variables (creates a release)'))
    .argument('<pairs...>', 'KEY=VALUE pairs')
    .option('--replace', 'replace the whole environment with the given pairs')
    .action(async (pairs: string[], _options: unknown, command: Command) => {
      const assignments = parseAssignments(pairs);
      context.warn(`Setting ${[...assignments.keys()].join(', ')}...`);
      await writeEnv(context, command, (current) => mergeEnv(current, assignments));
    });

  withReleaseWriteOptions(env.command('unset').description('remove variables (creates a release)'))
    .argument('<keys...>', 'variable names')
    .action(async (keys: string[], _options: unknown, command: Command) => {
      context.warn(`Unsetting ${keys.join(', ')}...`);
      await writeEnv(context, command, (current) => removeKeys(current, keys));
    });
}
