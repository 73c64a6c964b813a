import { spawn } from 'node:child_process';
import { CliError } from '../cli/cli-error';
import { RACK_PROXY_PREFIX } from '../http/gateway-client';
import type { GatewayTarget } from '../resolve/rack-resolution';

/**
 * RACK_URL for the stock convox CLI: the gateway's rack proxy with the token as the Basic password
 * (`convox:<token>`), which the gateway accepts like a Bearer token. The SDK keeps the path prefix.
 */
export function convoxRackUrl(target: GatewayTarget & { token: string }): string {
  const url = new URL(`${target.url}${RACK_PROXY_PREFIX}`);
  url.username = 'convox';
  url.password = encodeURIComponent(target.token);
  return url.toString().replace(/\/$/, '');
}

/** Runs the installed `convox` with the given arguments against the gateway; resolves to its exit code. */
export function runConvox(
  args: string[],
  target: GatewayTarget & { token: string },
  environment: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn('convox', args, {
      stdio: 'inherit',
      env: { ...environment, RACK_URL: convoxRackUrl(target) },
    });
    // Ctrl-C reaches the child through the terminal; the wrapper waits for it to finish instead of dying first.
    const ignoreInterrupt = () => undefined;
    process.on('SIGINT', ignoreInterrupt);
    const done = () => process.removeListener('SIGINT', ignoreInterrupt);
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      if (error.code === 'ENOENT') {
        reject(
          new CliError(
            'the convox CLI is not installed (no "convox" on PATH); install it to use this command, ' +
              'or run "rack-gateway --help" for the commands built into rack-gateway',
            127,
          ),
        );
      } else {
        reject(new CliError(`cannot run convox: ${error.message}`));
      }
    });
    child.on('exit', (code, signal) => {
      done();
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
  });
}
