import type { Command } from 'commander';
import { CommandContext } from '../cli/command-context';
import { withJsonOption } from '../cli/common-options';
import { listFrom } from '../http/list-response';
import { relativeTime } from '../output/relative-time';
import { renderTable } from '../output/table';

/** The gateway's session view (`GET /api/v1/sessions`); `current` marks the caller's own session. */
interface SessionSummary {
  id: string;
  channel?: string;
  deviceName?: string | null;
  ipAddress?: string | null;
  createdAt?: string;
  lastUsedAt?: string;
  expiresAt?: string;
  current?: boolean;
}

/** The gateway's user view (`GET /api/v1/users`). */
interface UserSummary {
  email: string;
  name?: string;
  roles?: string[];
  locked?: boolean;
  lastSeenAt?: string | null;
}

export function registerSessionAndUserCommands(program: Command, context: CommandContext): void {
  const sessions = program.command('sessions').description('list or revoke login sessions');

  withJsonOption(sessions.command('list').description('list your sessions'))
    .option('--email <email>', "another user's sessions (needs gateway:session:read)")
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ email?: string }>(command);
      const body = await context
        .client(options)
        .api<unknown>('GET', '/sessions', { query: { email: options.email } });
      const list = listFrom<SessionSummary>(body);
      context.output(options, list, () =>
        renderTable(
          ['', 'ID', 'CHANNEL', 'DEVICE', 'IP', 'CREATED', 'LAST USED', 'EXPIRES'],
          list.map((s) => [
            s.current ? '*' : '',
            s.id,
            s.channel,
            s.deviceName ?? undefined,
            s.ipAddress ?? undefined,
            relativeTime(s.createdAt),
            relativeTime(s.lastUsedAt),
            relativeTime(s.expiresAt),
          ]),
        ),
      );
    });

  sessions
    .command('revoke')
    .description('revoke one session')
    .argument('<id>', 'session id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await context
        .client(CommandContext.options(command))
        .api('DELETE', `/sessions/${encodeURIComponent(id)}`);
      context.print(`✓ Revoked session ${id}`);
    });

  const users = program.command('users').description('gateway users (admins)');
  withJsonOption(users.command('list').description('list users (needs gateway:user:read)'))
    .option('--role <role>', 'only users with this role')
    .option('--search <text>', 'match email or name')
    .option('--locked', 'only locked users')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ role?: string; search?: string; locked?: boolean }>(command);
      const body = await context.client(options).api<unknown>('GET', '/users', {
        query: { role: options.role, q: options.search, locked: options.locked || undefined },
      });
      const list = listFrom<UserSummary>(body);
      context.output(options, list, () =>
        renderTable(
          ['EMAIL', 'NAME', 'ROLES', 'LOCKED', 'LAST SEEN'],
          list.map((u) => [
            u.email,
            u.name,
            (u.roles ?? []).join(','),
            u.locked ? 'yes' : '',
            relativeTime(u.lastSeenAt ?? undefined),
          ]),
        ),
      );
    });
}
