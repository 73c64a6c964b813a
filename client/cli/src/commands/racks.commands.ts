import type { Command } from 'commander';
import { CliError } from '../cli/cli-error';
import { forwardedToConvox } from './passthrough.commands';
import { CommandContext } from '../cli/command-context';
import { relativeTime } from '../output/relative-time';
import { renderDetails, renderTable } from '../output/table';

function sessionStatus(
  token: string | undefined,
  expiresAt: string | undefined,
  fromEnvironment: boolean,
): string {
  if (fromEnvironment) return 'using RACK_GATEWAY_API_TOKEN';
  if (!token) return 'not logged in';
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) return 'session expired';
  return 'logged in';
}

/** Registers `rack` (status of the selected rack) and returns it so Convox `rack …` subcommands can join. */
export function registerRackCommands(program: Command, context: CommandContext): Command {
  const rack = program
    .command('rack')
    .description('show the selected rack, its gateway, user and session expiry')
    .option('--json', 'print JSON')
    .allowUnknownOption()
    .action(async (_options: unknown, command: Command) => {
      if (await forwardedToConvox(context, command)) return;
      const options = CommandContext.options(command);
      const target = context.target(options);
      const status = sessionStatus(target.token, target.expiresAt, target.tokenSource === 'environment');
      const summary = {
        rack: target.rackName,
        url: target.url,
        email: target.email,
        expiresAt: target.expiresAt,
        status,
      };
      context.output(options, summary, () =>
        renderDetails([
          ['Rack', target.rackName],
          ['URL', target.url],
          ['User', target.email],
          [
            'Expires',
            target.expiresAt ? `${target.expiresAt} (${relativeTime(target.expiresAt)})` : undefined,
          ],
          ['Status', status],
        ]),
      );
    });

  program
    .command('racks')
    .description('list the configured racks (* marks the current one)')
    .option('--json', 'print JSON')
    .action((_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const config = context.configStore(options).load();
      const names = Object.keys(config.racks).sort();
      // the stored entry has its own `name` (the user's), so the rack name goes in after it
      const racks = names.map((name) => {
        const { url, email, expiresAt } = config.racks[name];
        return { name, current: name === config.current, url, email, expiresAt };
      });
      context.output(options, racks, () => {
        if (!names.length) return 'No racks configured; run: rack-gateway login <rack> <url>';
        const rows = racks.map((entry) => [
          entry.current ? '*' : '',
          entry.name,
          entry.url,
          entry.email,
          sessionStatus(config.racks[entry.name].token, entry.expiresAt, false),
        ]);
        return renderTable(['', 'RACK', 'URL', 'USER', 'STATUS'], rows);
      });
    });

  program
    .command('switch')
    .description('make another configured rack the current one')
    .argument('<rack>', 'rack name')
    .action((name: string, _options: unknown, command: Command) => {
      const store = context.configStore(CommandContext.options(command));
      store.update((config) => {
        if (!config.racks[name]) {
          const known = Object.keys(config.racks).sort().join(', ') || 'none';
          throw new CliError(`unknown rack "${name}" (known racks: ${known})`);
        }
        config.current = name;
      });
      context.print(`Switched to ${name}`);
    });

  return rack;
}
