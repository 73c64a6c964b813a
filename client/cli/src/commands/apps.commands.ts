import type { Command } from 'commander';
import { forwardedToConvox } from './passthrough.commands';
import { CommandContext } from '../cli/command-context';
import { withAppOption, withJsonOption } from '../cli/common-options';
import type { ConvoxApp } from '../convox/convox-types';
import { renderDetails, renderTable } from '../output/table';

export function registerAppsCommands(program: Command, context: CommandContext): void {
  const apps = withJsonOption(program.command('apps').description('list apps'))
    .allowUnknownOption()
    .action(async (_options: unknown, command: Command) => {
      if (await forwardedToConvox(context, command)) return;
      const options = CommandContext.options(command);
      const list = await context.client(options).rack<ConvoxApp[]>('GET', '/apps');
      context.output(options, list, () =>
        renderTable(
          ['APP', 'STATUS', 'GEN', 'LOCK', 'RELEASE'],
          list.map((app) => [app.name, app.status, app.generation, app.locked ? 'locked' : '', app.release]),
        ),
      );
    });

  withJsonOption(
    withAppOption(apps.command('info').description('show one app').argument('[app]', 'app name')),
  ).action(async (name: string | undefined, _options: unknown, command: Command) => {
    const options = CommandContext.options(command);
    const appName = name ?? context.app(options);
    const app = await context.client(options).rack<ConvoxApp>('GET', `/apps/${appName}`);
    context.output(options, app, () =>
      renderDetails([
        ['Name', app.name],
        ['Status', app.status],
        ['Gen', app.generation],
        ['Locked', String(Boolean(app.locked))],
        ['Release', app.release],
        ['Router', app.router],
      ]),
    );
  });
}
