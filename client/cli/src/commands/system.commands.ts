import type { Command } from 'commander';
import { CommandContext } from '../cli/command-context';
import { withAppOption, withJsonOption } from '../cli/common-options';
import type { ConvoxInstance, ConvoxResource, ConvoxSystem } from '../convox/convox-types';
import { usedOfAllocatable } from '../output/quantity';
import { relativeTime } from '../output/relative-time';
import { renderDetails, renderTable } from '../output/table';

/** `rack info` and `rack params` live under the `rack` command that shows the selected rack. */
export function registerRackSystemCommands(rack: Command, context: CommandContext): void {
  withJsonOption(rack.command('info').description('show the Convox rack behind the gateway')).action(
    async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const system = await context.client(options).rack<ConvoxSystem>('GET', '/system');
      context.output(options, system, () =>
        renderDetails([
          ['Name', system.name],
          ['Provider', system.provider],
          ['Region', system.region],
          ['Router', system.domain],
          ['Status', system.status],
          ['Version', system.version],
        ]),
      );
    },
  );

  withJsonOption(rack.command('params').description("show the rack's parameters")).action(
    async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const system = await context.client(options).rack<ConvoxSystem>('GET', '/system');
      const parameters = system.parameters ?? {};
      context.output(options, parameters, () =>
        renderDetails(
          Object.keys(parameters)
            .sort()
            .map((key) => [key, parameters[key]]),
        ),
      );
    },
  );
}

export function registerInfrastructureCommands(program: Command, context: CommandContext): void {
  withJsonOption(withAppOption(program.command('resources').description("list the app's resources"))).action(
    async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const app = context.app(options);
      const list = await context.client(options).rack<ConvoxResource[]>('GET', `/apps/${app}/resources`);
      context.output(options, list, () =>
        renderTable(
          ['NAME', 'TYPE', 'URL'],
          list.map((r) => [r.name, r.type, r.url]),
        ),
      );
    },
  );

  withJsonOption(program.command('instances').description("list the rack's instances")).action(
    async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const list = await context.client(options).rack<ConvoxInstance[]>('GET', '/instances');
      context.output(options, list, () =>
        renderTable(
          ['ID', 'STATUS', 'STARTED', 'PS', 'CPU', 'MEM', 'PUBLIC', 'PRIVATE'],
          list.map((i) => [
            i.id,
            i.status,
            relativeTime(i.started),
            i.processes,
            usedOfAllocatable(i.cpu, i['cpu-allocatable']),
            usedOfAllocatable(i.memory, i['memory-allocatable']),
            i['public-ip'],
            i['private-ip'],
          ]),
        ),
      );
    },
  );
}
