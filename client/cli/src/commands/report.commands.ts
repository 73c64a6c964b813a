import type { Command } from 'commander';
import { CliError } from '../cli/cli-error';
import { CommandContext } from '../cli/command-context';
import { downloadTo } from '../http/streamed-download';

function reportTime(value: string, name: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CliError(`${name} must be a date or time, e.g. 2026-01-01 or 2026-01-01T00:00:00Z`);
  return new Date(time).toISOString();
}

/** `rack-gateway report deployments`: the change-evidence report (every promote with its approval). */
export function registerReportCommands(program: Command, context: CommandContext): void {
  const report = program.command('report').description('audit reports from the gateway');
  report
    .command('deployments')
    .description('every promote in a time range with its approval and exceptions, streamed to stdout')
    .option('--from <time>', 'start, inclusive (date or ISO 8601 time; default: 30 days before --to)')
    .option('--to <time>', 'end, exclusive (date or ISO 8601 time; default: now)')
    .option('--format <format>', 'json or csv', 'json')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ from?: string; to?: string; format: string }>(command);
      if (!['csv', 'json'].includes(options.format)) throw new CliError('--format must be json or csv');
      const from = options.from === undefined ? undefined : reportTime(options.from, '--from');
      const to = options.to === undefined ? undefined : reportTime(options.to, '--to');
      if (from && to && Date.parse(from) >= Date.parse(to)) throw new CliError('--from must be before --to');
      const headers = await downloadTo(
        context.client(options),
        '/reports/deployments',
        { from, to, format: options.format },
        context.stdout,
      );
      // JSON says so in its `truncated` field; CSV has only this header to say rows are missing.
      if (headers.get('x-report-truncated') === 'true')
        context.warn(
          'Warning: the report was cut short; ask for a shorter range (--from/--to) to see every row',
        );
    });
}
