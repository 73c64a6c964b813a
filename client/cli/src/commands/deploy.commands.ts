import type { Command } from 'commander';
import { resolve } from 'node:path';
import { CommandContext } from '../cli/command-context';
import { withAppOption } from '../cli/common-options';
import { promoteRelease } from '../convox/app-rollout';
import { buildFromSource } from '../convox/source-build';

interface BuildOptions {
  description?: string;
  manifest?: string;
  cache?: boolean;
  wait?: boolean;
  force?: boolean;
}

function withBuildOptions(command: Command): Command {
  return withAppOption(command)
    .argument('[dir]', 'directory to build', '.')
    .option('--description <text>', 'description of the build')
    .option('-m, --manifest <file>', 'manifest file (default convox.yml)')
    .option('--no-cache', 'build without the layer cache');
}

export function registerDeployCommands(program: Command, context: CommandContext): void {
  withBuildOptions(
    program.command('build').description('build the app from a directory (creates a release)'),
  ).action(async (dir: string, _options: unknown, command: Command) => {
    const options = CommandContext.options<BuildOptions>(command);
    const app = context.app(options);
    const build = await buildFromSource(context.client(options), app, resolve(context.cwd, dir), {
      description: options.description,
      manifest: options.manifest,
      noCache: options.cache === false,
      log: (line) => context.warn(line),
      output: context.stdout,
    });
    context.print(build.release ?? '');
  });

  withBuildOptions(
    program.command('deploy').description('build from a directory and promote the new release'),
  )
    .option('--wait', 'wait until the app is running the new release')
    .option('--force', 'promote even while the app is updating')
    .action(async (dir: string, _options: unknown, command: Command) => {
      const options = CommandContext.options<BuildOptions>(command);
      const app = context.app(options);
      const client = context.client(options);
      const build = await buildFromSource(client, app, resolve(context.cwd, dir), {
        description: options.description,
        manifest: options.manifest,
        noCache: options.cache === false,
        log: (line) => context.warn(line),
        output: context.stdout,
      });
      await promoteRelease(client, app, build.release!, {
        wait: Boolean(options.wait),
        force: options.force,
        log: (line) => context.warn(line),
      });
    });
}
