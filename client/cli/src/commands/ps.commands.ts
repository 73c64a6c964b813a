import type { Command } from 'commander';
import { forwardedToConvox } from './passthrough.commands';
import { CommandContext } from '../cli/command-context';
import { withAppOption, withJsonOption } from '../cli/common-options';
import type { ConvoxProcess, ConvoxService } from '../convox/convox-types';
import { relativeTime } from '../output/relative-time';
import { renderTable } from '../output/table';

export function registerProcessCommands(program: Command, context: CommandContext): void {
  const ps = withJsonOption(withAppOption(program.command('ps').description("list the app's processes")))
    .option('--release <id>', 'only processes of this release')
    .option('-s, --service <name>', 'only processes of this service')
    .allowUnknownOption()
    .action(async (_options: unknown, command: Command) => {
      if (await forwardedToConvox(context, command)) return;
      const options = CommandContext.options<{ release?: string; service?: string }>(command);
      const app = context.app(options);
      const processes = await context.client(options).rack<ConvoxProcess[]>('GET', `/apps/${app}/processes`, {
        query: { release: options.release, service: options.service },
      });
      context.output(options, processes, () =>
        renderTable(
          ['ID', 'SERVICE', 'STATUS', 'RELEASE', 'STARTED', 'COMMAND'],
          processes.map((p) => [p.id, p.name, p.status, p.release, relativeTime(p.started), p.command]),
        ),
      );
    });

  ps.command('stop')
    .description('stop a process')
    .argument('<pid>', 'process id')
    .action(async (pid: string, _options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const app = context.app(options);
      context.warn(`Stopping ${pid}...`);
      await context.client(options).rack('DELETE', `/apps/${app}/processes/${pid}`);
      context.warn('OK');
    });

  withAppOption(program.command('restart').description('restart every service of the app (rolling)')).action(
    async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const app = context.app(options);
      const client = context.client(options);
      const services = await client.rack<ConvoxService[]>('GET', `/apps/${app}/services`);
      for (const service of [...services].sort((a, b) => a.name.localeCompare(b.name))) {
        context.warn(`Restarting ${service.name}...`);
        await client.rack('POST', `/apps/${app}/services/${service.name}/restart`);
      }
      context.warn('OK');
    },
  );

  withJsonOption(withAppOption(program.command('scale').description('show or change the scale of services')))
    .argument('[service]', 'service to change')
    .option('--count <n>', 'number of processes')
    .option('--cpu <units>', 'CPU units per process')
    .option('--memory <mb>', 'memory (MB) per process')
    .action(async (service: string | undefined, _options: unknown, command: Command) => {
      const options = CommandContext.options<{ count?: string; cpu?: string; memory?: string }>(command);
      const app = context.app(options);
      const client = context.client(options);
      const changes = { count: options.count, cpu: options.cpu, memory: options.memory };
      if (service && Object.values(changes).some((value) => value !== undefined)) {
        context.warn(`Scaling ${service}...`);
        await client.rack('PUT', `/apps/${app}/services/${service}`, { form: changes });
        context.warn('OK');
        return;
      }
      const services = await client.rack<ConvoxService[]>('GET', `/apps/${app}/services`);
      const processes = await client.rack<ConvoxProcess[]>('GET', `/apps/${app}/processes`);
      const shown = services
        .filter((s) => !service || s.name === service)
        .sort((a, b) => a.name.localeCompare(b.name));
      const running = (name: string) =>
        processes.filter((p) => p.name === name && p.status === 'running').length;
      context.output(options, shown, () =>
        renderTable(
          ['SERVICE', 'DESIRED', 'RUNNING', 'CPU', 'MEMORY'],
          shown.map((s) => [s.name, s.count, running(s.name), s.cpu, s.memory]),
        ),
      );
    });
}
