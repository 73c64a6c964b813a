import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../cli/cli-error';
import { CommandContext } from '../cli/command-context';
import { withAppOption } from '../cli/common-options';
import type { ConvoxProcess } from '../convox/convox-types';
import type { GatewayClient } from '../http/gateway-client';
import { joinCommandWords } from '../stream/command-words';
import { runTerminalSession } from '../stream/terminal-session';

const START_TIMEOUT_MS = 5 * 60 * 1000;

interface RunOptions {
  detach?: boolean;
  entrypoint?: boolean;
  release?: string;
  timeout?: string;
}

/** Like convox: the one-off process must be seen `running` twice in a row before we attach. */
async function waitForProcess(client: GatewayClient, app: string, pid: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let runningInARow = 0;
  while (Date.now() < deadline) {
    const process = await client.rack<ConvoxProcess>('GET', `/apps/${app}/processes/${pid}`);
    if (process.status === 'failed' || process.status === 'complete')
      throw new CliError(`process ${pid} ${process.status}`);
    runningInARow = process.status === 'running' ? runningInARow + 1 : 0;
    if (runningInARow >= 2) return;
    await sleep(1000);
  }
  throw new CliError(`timed out waiting for process ${pid} to start`);
}

export function registerExecCommands(program: Command, context: CommandContext): void {
  withAppOption(program.command('exec').description('run a command in a running process (interactive)'))
    .argument('<pid>', 'process id (or a service name: any of its processes)')
    .argument('<command...>', 'command to run; put -- before it if it has options')
    .option('--entrypoint', "prefix the command with the image's entrypoint")
    .allowUnknownOption()
    .action(async (pid: string, words: string[], _options: unknown, command: Command) => {
      const options = CommandContext.options<RunOptions>(command);
      const app = context.app(options);
      process.exitCode = await runTerminalSession(
        context.client(options),
        `/apps/${app}/processes/${pid}/exec`,
        {
          Command: joinCommandWords(words),
          Entrypoint: options.entrypoint ? true : undefined,
        },
      );
    });

  withAppOption(program.command('run').description('run a one-off process of a service (interactive)'))
    .argument('<service>', 'service whose image and environment to use')
    .argument('<command...>', 'command to run; put -- before it if it has options')
    .option('-d, --detach', 'start it in the background and print its id')
    .option('--no-entrypoint', "do not prefix the image's entrypoint")
    .option('--release <id>', 'run this release instead of the active one')
    .option('--timeout <seconds>', 'how long the one-off process may live', '3600')
    .allowUnknownOption()
    .action(async (service: string, words: string[], _options: unknown, command: Command) => {
      const options = CommandContext.options<RunOptions>(command);
      const app = context.app(options);
      const client = context.client(options);
      const userCommand = joinCommandWords(words);
      const startPath = `/apps/${app}/services/${service}/processes`;
      if (options.detach) {
        const started = await client.rack<ConvoxProcess>('POST', startPath, {
          headers: { Command: userCommand, ...(options.release ? { Release: options.release } : {}) },
        });
        context.print(started.id);
        return;
      }
      const timeout = Number.parseInt(options.timeout ?? '3600', 10);
      if (!Number.isFinite(timeout) || timeout <= 0)
        throw new CliError('--timeout must be a positive number of seconds');
      context.warn(`Starting a ${service} process...`);
      const started = await client.rack<ConvoxProcess>('POST', startPath, {
        headers: { Command: `sleep ${timeout}`, ...(options.release ? { Release: options.release } : {}) },
      });
      try {
        await waitForProcess(client, app, started.id);
        process.exitCode = await runTerminalSession(client, `/apps/${app}/processes/${started.id}/exec`, {
          Command: userCommand,
          Entrypoint: options.entrypoint !== false,
        });
      } finally {
        await client.rack('DELETE', `/apps/${app}/processes/${started.id}`).catch(() => undefined);
      }
    });
}
