import type { Command } from 'commander';
import { forwardedToConvox } from './passthrough.commands';
import { CommandContext } from '../cli/command-context';
import { withAppOption, withJsonOption } from '../cli/common-options';
import type { ConvoxBuild } from '../convox/convox-types';
import { elapsed, relativeTime } from '../output/relative-time';
import { renderDetails, renderTable } from '../output/table';
import { runConvoxSocket } from '../stream/convox-socket';

export function registerBuildsCommands(program: Command, context: CommandContext): void {
  const builds = withJsonOption(withAppOption(program.command('builds').description("list the app's builds")))
    .option('-l, --limit <n>', 'how many builds')
    .allowUnknownOption()
    .action(async (_options: unknown, command: Command) => {
      if (await forwardedToConvox(context, command)) return;
      const options = CommandContext.options<{ limit?: string }>(command);
      const app = context.app(options);
      const list = await context
        .client(options)
        .rack<ConvoxBuild[]>('GET', `/apps/${app}/builds`, { query: { limit: options.limit } });
      context.output(options, list, () =>
        renderTable(
          ['ID', 'STATUS', 'RELEASE', 'STARTED', 'ELAPSED', 'DESCRIPTION'],
          list.map((b) => [
            b.id,
            b.status,
            b.release,
            relativeTime(b.started),
            elapsed(b.started, b.ended),
            b.description,
          ]),
        ),
      );
    });

  builds
    .command('info')
    .description('show one build')
    .argument('<id>', 'build id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const app = context.app(options);
      const build = await context.client(options).rack<ConvoxBuild>('GET', `/apps/${app}/builds/${id}`);
      context.output(options, build, () =>
        renderDetails([
          ['Id', build.id],
          ['Status', build.status],
          ['Release', build.release],
          ['Description', build.description],
          ['Started', build.started],
          ['Elapsed', elapsed(build.started, build.ended)],
          ['Reason', build.reason],
        ]),
      );
    });

  builds
    .command('logs')
    .description("print a build's logs")
    .argument('<id>', 'build id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const app = context.app(options);
      await runConvoxSocket(context.client(options), `/apps/${app}/builds/${id}/logs`, {
        output: context.stdout,
      });
    });
}
