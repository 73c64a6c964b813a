import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError } from '../cli/cli-error';
import { CommandContext } from '../cli/command-context';
import { withJsonOption } from '../cli/common-options';
import { relativeTime } from '../output/relative-time';
import { renderTable } from '../output/table';

interface GrantSource {
  role: string;
  apps?: string[];
}

interface WhoCanAnswer {
  users: { email: string; name: string; sources: GrantSource[] }[];
  tokens: { id: string; name: string; owner: string; sources: GrantSource[] }[];
}

interface UserAccessAnswer {
  email: string;
  permissions: { permission: string; sources: GrantSource[]; lastUsedAt: string | null }[];
}

type Reach = 'everywhere' | string[] | null;
interface PreviewAnswer {
  permissions: { permission: string; routes: string[] }[];
  principals: {
    kind: string;
    email: string;
    tokenName?: string;
    gained: { permission: string; before: Reach; after: Reach }[];
    lost: { permission: string; before: Reach; after: Reach }[];
  }[];
}

const sourcesText = (sources: GrantSource[]) =>
  sources.map((s) => (s.apps ? `${s.role} on ${s.apps.join(',')}` : s.role)).join('; ');
const reachText = (reach: Reach) =>
  reach === null ? '-' : reach === 'everywhere' ? 'everywhere' : reach.join(',');

/** `--binding deployer=web-*,api` or `--binding viewer` → a role binding. */
function parseBinding(value: string, previous: GrantSource[] = []): GrantSource[] {
  const [role, apps] = value.split('=', 2);
  return [...previous, apps === undefined ? { role } : { role, apps: apps.split(',').filter(Boolean) }];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `rack-gateway access …` (auditor questions) and `rack-gateway roles preview`. */
export function registerAccessCommands(program: Command, context: CommandContext): void {
  const access = program.command('access').description('who can do what (needs gateway:access:read)');

  withJsonOption(
    access
      .command('who-can')
      .description('every user and token holding a permission, with the binding that grants it')
      .argument('<permission>', 'a catalog permission, e.g. convox:env:set')
      .option('-a, --app <app>', 'only on this app (app-scoped bindings count when it is in scope)'),
  ).action(async (permission: string, _options: unknown, command: Command) => {
    const options = CommandContext.options(command);
    const answer = await context
      .client(options)
      .api<WhoCanAnswer>('GET', '/access/who-can', { query: { permission, app: options.app } });
    context.output(options, answer, () =>
      renderTable(
        ['KIND', 'WHO', 'TOKEN', 'GRANTED BY'],
        [
          ...answer.users.map((u) => ['user', u.email, undefined, sourcesText(u.sources)]),
          ...answer.tokens.map((t) => ['token', t.owner, t.name, sourcesText(t.sources)]),
        ],
      ),
    );
  });

  withJsonOption(
    access
      .command('user')
      .description("a user's effective permissions, where they come from and when they were last used")
      .argument('<email>'),
  ).action(async (email: string, _options: unknown, command: Command) => {
    const options = CommandContext.options(command);
    const answer = await context
      .client(options)
      .api<UserAccessAnswer>('GET', `/access/users/${encodeURIComponent(email)}`);
    context.output(options, answer, () =>
      renderTable(
        ['PERMISSION', 'GRANTED BY', 'LAST USED'],
        answer.permissions.map((p) => [
          p.permission,
          sourcesText(p.sources),
          relativeTime(p.lastUsedAt ?? undefined) || 'never',
        ]),
      ),
    );
  });

  access
    .command('review')
    .description('the access review report (every user and token), streamed to stdout')
    .option('--format <format>', 'csv or json', 'csv')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ format: string }>(command);
      if (!['csv', 'json'].includes(options.format)) throw new CliError('--format must be csv or json');
      const client = context.client(options);
      let response: Response;
      try {
        response = await fetch(client.url('/api/v1/reports/access-review', { format: options.format }), {
          headers: client.authHeaders(),
        });
      } catch (error) {
        throw new CliError(`cannot reach ${client.target.url}: ${(error as Error).message}`);
      }
      if (response.status >= 400 || !response.body)
        throw client.failure(response.status, await response.text());
      for await (const chunk of response.body) context.stdout.write(chunk);
    });

  const roles = program.command('roles').description('roles (custom roles need gateway:role:*)');
  withJsonOption(
    roles
      .command('preview')
      .description('who would gain or lose what, before a role or binding change is saved')
      .option('--role <name>', 'a custom role to redefine (with --permission)')
      .option('--permission <pattern>', "the role's proposed permission (repeat)", collect)
      .option('--permissions-file <file>', 'proposed permissions, one per line')
      .option('--user <email>', 'a user whose bindings would change (with --binding)')
      .option(
        '--binding <role[=apps]>',
        'a proposed binding: viewer, or deployer=web-*,api (repeat)',
        parseBinding,
      ),
  ).action(async (_options: unknown, command: Command) => {
    const options = CommandContext.options<{
      role?: string;
      permission?: string[];
      permissionsFile?: string;
      user?: string;
      binding?: GrantSource[];
    }>(command);
    const fromFile = options.permissionsFile
      ? readFileSync(options.permissionsFile, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : [];
    const permissions = [...(options.permission ?? []), ...fromFile];
    const body = options.role
      ? { role: options.role, permissions }
      : { user: options.user, bindings: options.binding };
    const answer = await context.client(options).api<PreviewAnswer>('POST', '/roles/preview', { json: body });
    context.output(options, answer, () => {
      if (answer.principals.length === 0 && answer.permissions.length === 0) return 'No change in access.';
      const who = renderTable(
        ['WHO', 'TOKEN', 'CHANGE', 'PERMISSION', 'BEFORE', 'AFTER'],
        answer.principals.flatMap((p) => [
          ...p.gained.map((c) => [
            p.email,
            p.tokenName,
            'gains',
            c.permission,
            reachText(c.before),
            reachText(c.after),
          ]),
          ...p.lost.map((c) => [
            p.email,
            p.tokenName,
            'loses',
            c.permission,
            reachText(c.before),
            reachText(c.after),
          ]),
        ]),
      );
      const routes = renderTable(
        ['PERMISSION', 'ROUTES'],
        answer.permissions.map((p) => [p.permission, p.routes.join('\n') || '(checked in code)']),
      );
      return `${who}\n\n${routes}`;
    });
  });
}
