import { join } from 'node:path';
import { loginWithBrowser } from './cli-browser-login';
import { startCliGatewayStack, type CliGatewayStack } from './cli-gateway-stack';
import { CliRunner } from './cli-runner';
import { RackInspector } from './rack-inspector';

export interface LoggedInCli {
  stack: CliGatewayStack;
  cli: CliRunner;
  rack: RackInspector;
}

/** A full stack plus a CLI (its own config dir) that has logged in through the browser flow as `email`. */
export async function startLoggedInCli(email: string, rackName = 'dev'): Promise<LoggedInCli> {
  const stack = await startCliGatewayStack();
  try {
    const rack = new RackInspector(stack.rack);
    const cli = new CliRunner(join(stack.scratch, 'laptop'));
    const login = await loginWithBrowser(cli, rackName, stack.gatewayUrl, email);
    if (login.cli.code !== 0) throw new Error(login.cli.stderr);
    return { stack, cli, rack };
  } catch (error) {
    // The caller never gets the stack, so it cannot close it: close it here.
    await stack.close().catch(() => undefined);
    throw error;
  }
}
