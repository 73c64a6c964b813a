import type { Command } from 'commander';
import ora from 'ora';
import { openInBrowser } from '../cli/browser';
import { CliError } from '../cli/cli-error';
import { CommandContext } from '../cli/command-context';
import { GatewayClient } from '../http/gateway-client';
import { LOGIN_CODE_PREFIX, LOGIN_URL_PREFIX, performCliLogin } from '../login/cli-login';
import { renderDetails } from '../output/table';
import { normalizeGatewayUrl } from '../resolve/gateway-url';
import { selectRackName } from '../resolve/rack-resolution';
import { errorText } from '../cli/error-text';

interface MeResponse {
  email: string;
  name?: string;
  roles?: string[];
  permissions?: string[];
  kind?: string;
  channel?: string;
  sessionExpiresAt?: string;
}

async function login(
  context: CommandContext,
  rackArg: string | undefined,
  urlArg: string | undefined,
  command: Command,
) {
  const options = CommandContext.options<{ noOpen?: boolean; open?: boolean }>(command);
  const store = context.configStore(options);
  const config = store.load();
  const rackName = rackArg ?? selectRackName(options.rack, context.env, config);
  if (!rackName) throw new CliError('usage: rack-gateway login <rack> <url>');
  const rawUrl = urlArg ?? context.env.gatewayUrl ?? config.racks[rackName]?.url;
  if (!rawUrl)
    throw new CliError(
      `no gateway URL known for rack "${rackName}"; run: rack-gateway login ${rackName} <url>`,
    );
  const url = normalizeGatewayUrl(rawUrl);
  const client = new GatewayClient({ rackName, url, tokenSource: 'none' });
  const spinner = ora({ text: 'Waiting for the login to finish in your browser...', stream: process.stderr });

  let result;
  try {
    result = await performCliLogin(client, {
      async browserUrlReady(browserUrl, userCode) {
        context.warn(`${LOGIN_URL_PREFIX} ${browserUrl}`);
        // the approval page shows the same code, so the user can tell their login from someone else's
        if (userCode) context.warn(`${LOGIN_CODE_PREFIX} ${userCode}`);
        if (options.open !== false && !(await openInBrowser(browserUrl))) {
          context.warn('Could not open a browser; open the URL above yourself.');
        }
      },
      waitingStarted: () => void spinner.start(),
    });
  } finally {
    spinner.stop();
  }
  store.update((latest) => {
    latest.racks[rackName] = {
      url,
      token: result.token,
      expiresAt: result.expiresAt,
      email: result.email,
      name: result.name,
    };
    latest.current = rackName;
  });
  context.print(`✓ Logged in to ${rackName} as ${result.email} (session expires ${result.expiresAt})`);
}

async function logout(context: CommandContext, command: Command) {
  const options = CommandContext.options(command);
  const store = context.configStore(options);
  const config = store.load();
  const rackName = selectRackName(options.rack, context.env, config);
  const entry = rackName ? config.racks[rackName] : undefined;
  if (!rackName || !entry?.token)
    throw new CliError(`not logged in${rackName ? ` to rack "${rackName}"` : ''}`);

  const client = new GatewayClient({
    rackName,
    url: normalizeGatewayUrl(entry.url),
    token: entry.token,
    tokenSource: 'session',
  });
  let revokeError: string | undefined;
  try {
    const response = await client.send('POST', '/api/v1/auth/logout');
    // 401: the session is already gone on the server, which is what logout wants
    if (response.status >= 400 && response.status !== 401)
      revokeError = client.failure(response.status, response.body).message;
  } catch (error) {
    revokeError = errorText(error);
  }
  store.update((latest) => {
    const stored = latest.racks[rackName];
    if (stored) latest.racks[rackName] = { url: stored.url, email: stored.email };
  });
  if (revokeError) {
    throw new CliError(
      `the token was removed from this machine, but the gateway did not revoke the session: ${revokeError}`,
    );
  }
  context.print(`✓ Logged out from ${rackName}`);
}

export function registerAuthCommands(program: Command, context: CommandContext): void {
  program
    .command('login')
    .description('log in to a rack through its gateway (opens the browser)')
    .argument('[rack]', 'rack name to store the session under')
    .argument('[url]', 'gateway URL (https:// is assumed)')
    .option('--no-open', 'do not open the browser; only print the URL')
    .action((rack: string | undefined, url: string | undefined, _options: unknown, command: Command) =>
      login(context, rack, url, command),
    );

  program
    .command('logout')
    .description('revoke the session on the gateway and forget its token')
    .action((_options: unknown, command: Command) => logout(context, command));

  program
    .command('whoami')
    .description('show the user the gateway sees for the current credential')
    .option('--json', 'print JSON')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const client = context.client(options);
      const me = await client.api<MeResponse>('GET', '/me');
      context.output(options, me, () =>
        renderDetails([
          ['Rack', client.target.rackName],
          ['Email', me.email],
          ['Name', me.name],
          ['Roles', (me.roles ?? []).join(', ')],
          ['Kind', me.kind],
          ['Expires', me.sessionExpiresAt],
        ]),
      );
    });

  program
    .command('web')
    .description("open the gateway's web UI")
    .option('--no-open', 'only print the URL')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ open?: boolean }>(command);
      const url = `${context.target(options).url}/`;
      context.print(url);
      if (options.open !== false && !(await openInBrowser(url))) context.warn('Could not open a browser.');
    });
}
