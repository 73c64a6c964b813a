import type { Command } from 'commander';
import { CommandContext } from '../cli/command-context';
import { withAppOption } from '../cli/common-options';
import { runConvoxSocket } from '../stream/convox-socket';

interface LogsOptions {
  follow?: boolean;
  since?: string;
  filter?: string;
  service?: string;
}

export function registerLogsCommands(program: Command, context: CommandContext): void {
  withAppOption(program.command('logs').description("print the app's logs (or one service's)"))
    .argument('[service]', 'only this service')
    .option('-s, --service <name>', 'only this service')
    .option('-f, --follow', 'keep streaming new lines')
    .option('--since <duration>', 'how far back to start, e.g. 10m or 2h')
    .option('--filter <text>', 'only lines containing this text')
    .action(async (serviceArg: string | undefined, _options: unknown, command: Command) => {
      const options = CommandContext.options<LogsOptions>(command);
      const app = context.app(options);
      const service = serviceArg ?? options.service;
      const path = service ? `/apps/${app}/services/${service}/logs` : `/apps/${app}/logs`;
      await runConvoxSocket(context.client(options), path, {
        headers: {
          Prefix: true,
          Follow: Boolean(options.follow),
          Since: options.since,
          Filter: options.filter,
        },
        output: context.stdout,
      });
    });
}
