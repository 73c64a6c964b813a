import type { Command } from 'commander';
import { CliError } from '../cli/cli-error';
import { forwardedToConvox } from './passthrough.commands';
import { CommandContext } from '../cli/command-context';
import { withAppOption, withJsonOption } from '../cli/common-options';
import { promoteRelease } from '../convox/app-rollout';
import type { ConvoxApp, ConvoxRelease } from '../convox/convox-types';
import { relativeTime } from '../output/relative-time';
import { renderDetails, renderTable } from '../output/table';

interface PromoteOptions {
  wait?: boolean;
  force?: boolean;
}

export function registerReleasesCommands(program: Command, context: CommandContext): void {
  const releases = withJsonOption(
    withAppOption(program.command('releases').description("list the app's releases")),
  )
    .option('-l, --limit <n>', 'how many releases')
    .allowUnknownOption()
    .action(async (_options: unknown, command: Command) => {
      if (await forwardedToConvox(context, command)) return;
      const options = CommandContext.options<{ limit?: string }>(command);
      const app = context.app(options);
      const client = context.client(options);
      const current = await client.rack<ConvoxApp>('GET', `/apps/${app}`);
      const list = await client.rack<ConvoxRelease[]>('GET', `/apps/${app}/releases`, {
        query: { limit: options.limit },
      });
      context.output(options, list, () =>
        renderTable(
          ['ID', 'STATUS', 'BUILD', 'CREATED', 'DESCRIPTION'],
          list.map((r) => [
            r.id,
            r.id === current.release ? 'active' : '',
            r.build,
            relativeTime(r.created),
            r.description,
          ]),
        ),
      );
    });

  releases
    .command('info')
    .description('show one release')
    .argument('<id>', 'release id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const app = context.app(options);
      const release = await context.client(options).rack<ConvoxRelease>('GET', `/apps/${app}/releases/${id}`);
      context.output(options, release, () =>
        renderDetails([
          ['Id', release.id],
          ['Build', release.build],
          ['Created', release.created],
          ['Description', release.description],
          ['Env', release.env ? `\n${release.env}` : ''],
        ]),
      );
    });

  releases
    .command('promote')
    .description('promote a release (the latest when no id is given)')
    .argument('[id]', 'release id')
    .option('--wait', 'wait until the app is running the release')
    .option('--force', 'promote even while the app is updating')
    .action(async (id: string | undefined, _options: unknown, command: Command) => {
      const options = CommandContext.options<PromoteOptions>(command);
      const app = context.app(options);
      const client = context.client(options);
      let releaseId = id;
      if (!releaseId) {
        const [latest] = await client.rack<ConvoxRelease[]>('GET', `/apps/${app}/releases`, {
          query: { limit: 1 },
        });
        if (!latest) throw new CliError(`app ${app} has no releases`);
        releaseId = latest.id;
      }
      await promoteRelease(client, app, releaseId, {
        wait: Boolean(options.wait),
        force: options.force,
        log: (l) => context.warn(l),
      });
    });

  releases
    .command('rollback')
    .description('create a copy of an older release and promote it')
    .argument('<id>', 'release id to go back to')
    .option('--wait', 'wait until the app is running the copy')
    .action(async (id: string, _options: unknown, command: Command) => {
      const options = CommandContext.options<PromoteOptions>(command);
      const app = context.app(options);
      const client = context.client(options);
      const old = await client.rack<ConvoxRelease>('GET', `/apps/${app}/releases/${id}`);
      context.warn(`Rolling back to ${id}...`);
      const copy = await client.rack<ConvoxRelease>('POST', `/apps/${app}/releases`, {
        form: { build: old.build, env: old.env ?? '' },
      });
      context.print(`Release: ${copy.id}`);
      await promoteRelease(client, app, copy.id, {
        wait: Boolean(options.wait),
        log: (l) => context.warn(l),
      });
    });
}
