import type { Command } from 'commander';
import { CliError } from '../cli/cli-error';
import { CommandContext } from '../cli/command-context';
import type { ConvoxSystem } from '../convox/convox-types';
import { GatewayClient } from '../http/gateway-client';
import { clientVersion } from '../http/client-version';
import { requireCredential } from '../resolve/rack-resolution';
import { errorText } from '../cli/error-text';

interface GatewayInfo {
  name?: string;
  version?: string;
}

export function registerVersionCommands(program: Command, context: CommandContext): void {
  program
    .command('version')
    .description('print the client, gateway and rack versions')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      context.print(`client: ${clientVersion()}`);
      let target;
      try {
        target = context.target(options);
      } catch (error) {
        // a version check without any rack is still useful; a corrupt config is not ignored
        if (!(error instanceof CliError) || !error.message.startsWith('no rack selected')) throw error;
        context.print('gateway: (no rack selected)');
        return;
      }
      const info = await new GatewayClient({
        ...target,
        token: undefined,
        tokenSource: 'none',
      }).api<GatewayInfo>('GET', '/info');
      context.print(`gateway: ${info?.version ?? 'unknown'} (${target.url})`);
      let credentialed;
      try {
        credentialed = requireCredential(target);
      } catch (error) {
        context.print(`rack: unknown (${errorText(error)})`);
        return;
      }
      const system = await new GatewayClient(credentialed).rack<ConvoxSystem>('GET', '/system');
      context.print(`rack: ${system?.version ?? 'unknown'}`);
    });
}
