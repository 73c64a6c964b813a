import type { Command } from 'commander';
import { ApprovalsApi, type DecisionAction } from '../approvals/approvals-api';
import { renderApprovalDetails, renderApprovalTable } from '../approvals/approval-output';
import { APPROVAL_STATUSES, type ApprovalRequest } from '../approvals/approval-request';
import { CliError } from '../cli/cli-error';
import { CommandContext } from '../cli/command-context';
import { withJsonOption } from '../cli/common-options';

interface ListFlags {
  status?: string;
  app?: string;
  branch?: string;
  commit?: string;
  from?: string;
  to?: string;
  limit?: string;
  cursor?: string;
  all?: boolean;
}

/** Pages followed by `list --all` at most, so a typo in a filter cannot make it walk the whole table. */
const MAX_PAGES = 50;

function isoOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CliError(`${name} must be a date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z`);
  return new Date(time).toISOString();
}

function listQuery(options: ListFlags) {
  if (options.status && !APPROVAL_STATUSES.includes(options.status)) {
    throw new CliError(`--status must be one of: ${APPROVAL_STATUSES.join(', ')}`);
  }
  if (options.commit && !/^[0-9a-f]{7,40}$/i.test(options.commit)) {
    throw new CliError('--commit must be 7 to 40 hex characters of a commit hash');
  }
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 200)) {
    throw new CliError('--limit must be a whole number from 1 to 200');
  }
  return {
    status: options.status,
    app: options.app,
    branch: options.branch,
    gitCommit: options.commit?.toLowerCase(),
    createdFrom: isoOption(options.from, '--from'),
    createdTo: isoOption(options.to, '--to'),
    limit,
    cursor: options.cursor,
  };
}

const DECISIONS: Array<{ action: DecisionAction; description: string; done: string }> = [
  { action: 'approve', description: 'approve a pending request (asks for an MFA code)', done: 'Approved' },
  {
    action: 'reject',
    description: 'reject a pending request, or revoke an approval (asks for an MFA code)',
    done: 'Rejected',
  },
  {
    action: 'extend',
    description: 'give an approved request a new deploy window from now (asks for an MFA code)',
    done: 'Extended',
  },
  { action: 'cancel', description: 'withdraw your own pending or approved request', done: 'Cancelled' },
];

function decisionSummary(done: string, request: ApprovalRequest): string {
  const window = request.status === 'approved' ? `; deploy window until ${request.expiresAt}` : '';
  return `✓ ${done} deploy approval request ${request.id} (${request.app} at ${request.gitCommit.slice(0, 12)}): now ${request.status}${window}`;
}

/** list, show and the decisions (approve, reject, extend, cancel) under `deploy-approval`. */
export function registerApprovalReviewCommands(group: Command, context: CommandContext): void {
  withJsonOption(
    group.command('list').description('deploy approval requests, newest first (yours, or all for approvers)'),
  )
    .option('-s, --status <status>', `only this status (${APPROVAL_STATUSES.join(', ')})`)
    .option('-a, --app <app>', 'only this app')
    .option('--branch <name>', 'only this branch')
    .option('--commit <sha>', 'only commits starting with this (7 to 40 hex characters)')
    .option('--from <time>', 'created at or after (date or ISO 8601 time)')
    .option('--to <time>', 'created before (date or ISO 8601 time)')
    .option('-l, --limit <n>', 'requests per page (1-200, default 50)')
    .option('--cursor <cursor>', 'continue after a previous page (printed under the table)')
    .option('--all', 'follow every page')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<ListFlags>(command);
      const api = new ApprovalsApi(context.client(options));
      const query = listQuery(options);
      const items: ApprovalRequest[] = [];
      let page = await api.list(query);
      items.push(...page.items);
      for (let pages = 1; options.all && page.nextCursor && pages < MAX_PAGES; pages++) {
        page = await api.list({ ...query, cursor: page.nextCursor });
        items.push(...page.items);
      }
      if (options.json) return context.print(JSON.stringify({ items, nextCursor: page.nextCursor }, null, 2));
      context.print(renderApprovalTable(items));
      if (page.nextCursor)
        context.warn(`More: rack-gateway deploy-approval list --cursor ${page.nextCursor} (or --all)`);
    });

  withJsonOption(
    group.command('show').description('one request: what, who, decisions and what it was used for'),
  )
    .argument('<id>', 'request id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const request = await new ApprovalsApi(context.client(options)).get(id);
      context.output(options, request, () => renderApprovalDetails(request));
    });

  for (const { action, description, done } of DECISIONS) {
    withJsonOption(group.command(action).description(description))
      .argument('<id>', 'request id')
      .option('--notes <text>', 'why (kept with the request and in the audit log)')
      .action(async (id: string, _options: unknown, command: Command) => {
        const options = CommandContext.options<{ notes?: string }>(command);
        const request = await new ApprovalsApi(context.client(options)).decide(id, action, options.notes);
        context.output(options, request, () => decisionSummary(done, request));
      });
  }
}
