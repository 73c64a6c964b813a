import type { Command } from 'commander';
import { CliError } from '../cli/cli-error';
import { CommandContext } from '../cli/command-context';
import { withJsonOption } from '../cli/common-options';
import { listFrom } from '../http/list-response';
import { relativeTime } from '../output/relative-time';
import { renderTable } from '../output/table';

/** The gateway's token view (`GET /api/v1/api-tokens`); revoked tokens stay listed for the record. */
interface ApiTokenSummary {
  id: string;
  name: string;
  owner?: string;
  permissions?: string[];
  createdAt?: string;
  lastUsedAt?: string | null;
  expiresAt?: string | null;
  revokedAt?: string | null;
}

function tokenStatus(token: ApiTokenSummary): string {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

interface CreatedApiToken extends ApiTokenSummary {
  token: string;
}

interface CreateOptions {
  name: string;
  permission?: string[];
  role?: string;
  expiresInDays?: string;
  output: string;
}

const OUTPUT_FORMATS = ['text', 'json', 'token'];

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerApiTokenCommands(program: Command, context: CommandContext): void {
  const apiToken = program.command('api-token').description('manage API tokens for scripts and CI');

  withJsonOption(apiToken.command('list').description('list your API tokens'))
    .option('--all', "everyone's tokens (needs gateway:token:read)")
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ all?: boolean }>(command);
      const body = await context
        .client(options)
        .api<unknown>('GET', '/api-tokens', { query: { all: options.all || undefined } });
      const tokens = listFrom<ApiTokenSummary>(body);
      context.output(options, tokens, () =>
        renderTable(
          ['ID', 'NAME', 'OWNER', 'STATUS', 'PERMISSIONS', 'CREATED', 'LAST USED', 'EXPIRES'],
          tokens.map((t) => [
            t.id,
            t.name,
            t.owner,
            tokenStatus(t),
            (t.permissions ?? []).length > 3
              ? `${(t.permissions ?? []).length} permissions`
              : (t.permissions ?? []).join(','),
            relativeTime(t.createdAt),
            relativeTime(t.lastUsedAt ?? undefined),
            t.expiresAt ? relativeTime(t.expiresAt) : 'never',
          ]),
        ),
      );
    });

  apiToken
    .command('create')
    .description('create an API token (the token is printed once)')
    .requiredOption('--name <name>', 'a name saying what the token is for')
    .option('--permission <permission>', 'a permission to grant (repeatable)', collect)
    .option('--role <role>', 'grant the permissions of this role')
    .option('--expires-in-days <days>', 'expire after this many days')
    .option('--output <format>', 'text, json, or token (only the token, for scripts)', 'text')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<CreateOptions>(command);
      if (!OUTPUT_FORMATS.includes(options.output))
        throw new CliError(`--output must be one of: ${OUTPUT_FORMATS.join(', ')}`);
      const expiresInDays = options.expiresInDays === undefined ? undefined : Number(options.expiresInDays);
      if (expiresInDays !== undefined && !(Number.isInteger(expiresInDays) && expiresInDays > 0)) {
        throw new CliError('--expires-in-days must be a positive whole number');
      }
      const created = await context.client(options).api<CreatedApiToken>('POST', '/api-tokens', {
        json: { name: options.name, permissions: options.permission, role: options.role, expiresInDays },
      });
      if (options.output === 'token') return context.print(created.token);
      if (options.output === 'json') return context.print(JSON.stringify(created, null, 2));
      context.print(
        [
          `Created API token "${created.name}" (${created.id})`,
          `Token: ${created.token}`,
          'This is the only time the token is shown; store it now.',
        ].join('\n'),
      );
    });

  apiToken
    .command('revoke')
    .description('revoke an API token')
    .argument('<id>', 'token id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await context
        .client(CommandContext.options(command))
        .api('DELETE', `/api-tokens/${encodeURIComponent(id)}`);
      context.print(`✓ Revoked API token ${id}`);
    });
}
