import type { Command } from 'commander';
import { ApprovalsApi } from '../approvals/approvals-api';
import { waitOutcomeText } from '../approvals/approval-output';
import type { ApprovalRequest } from '../approvals/approval-request';
import { waitForDecision } from '../approvals/approval-wait';
import { exitCodeFor } from '../approvals/exit-codes';
import { readLocalGit } from '../resolve/local-git';
import { buildCreateBody, type RequestFlags } from '../approvals/request-body';
import { WaitProgress } from '../approvals/wait-progress';
import { CliError } from '../cli/cli-error';
import { CommandContext, type CommonOptions } from '../cli/command-context';
import { withAppOption, withJsonOption } from '../cli/common-options';
import { parseDuration } from '../cli/duration-option';
import { registerApprovalReviewCommands } from './deploy-approval-review.commands';

interface WaitFlags {
  wait?: boolean;
  timeout: string;
  pollInterval: string;
}

function withWaitOptions(command: Command): Command {
  return command
    .option(
      '--timeout <duration>',
      'give up waiting after this long (0: wait until the request is decided)',
      '30m',
    )
    .option('--poll-interval <duration>', 'how often to ask the gateway', '5s');
}

/**
 * Waits on one request and ends the command with the exit code of its outcome (docs/DEPLOY_APPROVALS.md):
 * 0 approved; 3 rejected, 4 expired, 5 cancelled, 6 already deployed, 7 timed out.
 */
interface WaitTiming {
  timeoutMs: number;
  pollIntervalMs: number;
}

/**
 * Read before anything is sent: a typo in `--timeout` must fail the step before `request --wait` has
 * created a request (which would notify the approvers of a deploy nobody waits for).
 */
function waitTiming(options: WaitFlags): WaitTiming {
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  const pollIntervalMs = parseDuration(options.pollInterval, '--poll-interval');
  if (pollIntervalMs < 1000) throw new CliError('--poll-interval must be at least 1s');
  return { timeoutMs, pollIntervalMs };
}

async function waitAndExit(
  context: CommandContext,
  api: ApprovalsApi,
  request: ApprovalRequest,
  options: CommonOptions & WaitFlags,
  { timeoutMs, pollIntervalMs }: WaitTiming,
): Promise<void> {
  const progress = new WaitProgress(context.stderr, request);
  progress.start();
  let result;
  try {
    result = await waitForDecision(request, () => api.poll(request.id), {
      timeoutMs,
      pollIntervalMs,
      onPoll: (latest, elapsedMs) => progress.update(latest, elapsedMs),
      onTransientFailure: (reason) => progress.transientFailure(reason),
    });
  } finally {
    progress.stop();
  }
  if (options.json) context.print(JSON.stringify(result.request, null, 2));
  const text = waitOutcomeText(result);
  if (result.outcome !== 'approved') throw new CliError(text, exitCodeFor(result.outcome));
  context.warn(text);
}

export function registerDeployApprovalCommands(program: Command, context: CommandContext): void {
  const group = program
    .command('deploy-approval')
    .description('ask for, decide and wait on deploy approvals (CI tokens deploy only with one)');

  withWaitOptions(
    withJsonOption(
      withAppOption(
        group
          .command('request')
          .description('ask for approval to deploy one commit of an app (prints the request id on stdout)'),
      ),
    ),
  )
    .requiredOption('-m, --message <text>', 'what is being deployed and why (shown to the approver)')
    .option('--git-commit <sha>', 'full commit hash (default: GITHUB_SHA, CIRCLE_SHA1, or git HEAD)')
    .option('--branch <name>', 'branch (default: GITHUB_HEAD_REF/GITHUB_REF_NAME, CIRCLE_BRANCH, or git)')
    .option(
      '--ci-metadata <json>',
      'a JSON object stored with the request, over what the CI environment says',
    )
    .option('--target-token-id <id>', 'the API token that will deploy (needed when you request as a person)')
    .option('--pr-url <url>', 'the pull request being deployed')
    .option('--ci-url <url>', 'the CI run asking (default: from the CI environment)')
    .option('--wait', 'wait until the request is decided (also when one was already open)')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<RequestFlags & WaitFlags & { message: string }>(command);
      const timing = options.wait ? waitTiming(options) : undefined;
      const body = buildCreateBody(
        { ...options, app: context.app(options) },
        context.env.ci,
        context.env.ci ? {} : readLocalGit(context.cwd),
      );
      const api = new ApprovalsApi(context.client(options));
      const { created, request } = await api.create(body);
      context.warn(
        created
          ? `Deploy approval request ${request.id} created for ${request.app} at ${request.gitCommit.slice(0, 12)} (status: ${request.status})`
          : `Deploy approval request ${request.id} is already open for this token, app and commit (status: ${request.status})`,
      );
      if (!options.json) context.print(request.id);
      if (request.status === 'pending') {
        context.warn(`An approver runs: rack-gateway deploy-approval approve ${request.id}`);
      }
      if (timing) return waitAndExit(context, api, request, options, timing);
      if (options.json) context.print(JSON.stringify(request, null, 2));
    });

  withWaitOptions(
    withJsonOption(
      withAppOption(
        group
          .command('wait')
          .description('wait until a request is decided; the exit code says how (0 approved)')
          .argument('[id]', 'request id (default: the newest request for the app and commit)'),
      ),
    ),
  )
    .option(
      '--git-commit <sha>',
      'find the request by commit (default: GITHUB_SHA, CIRCLE_SHA1, or git HEAD)',
    )
    .action(async (id: string | undefined, _options: unknown, command: Command) => {
      const options = CommandContext.options<WaitFlags & { gitCommit?: string }>(command);
      const timing = waitTiming(options);
      const api = new ApprovalsApi(context.client(options));
      const request = id ? await api.get(id) : await newestFor(context, api, options);
      await waitAndExit(context, api, request, options, timing);
    });

  registerApprovalReviewCommands(group, context);
}

/** `wait` without an id, as a CI deploy job runs it: the newest request for this app and commit. */
async function newestFor(
  context: CommandContext,
  api: ApprovalsApi,
  options: CommonOptions & { gitCommit?: string },
): Promise<ApprovalRequest> {
  const app = context.app(options);
  const commit = (
    options.gitCommit ??
    context.env.ci?.gitCommit ??
    readLocalGit(context.cwd).commit
  )?.toLowerCase();
  if (!commit)
    throw new CliError('no request id and no commit to look it up by: pass <id> or --git-commit <sha>');
  const page = await api.list({ app, gitCommit: commit, limit: 1 });
  const [newest] = page.items;
  if (!newest) {
    throw new CliError(
      `no deploy approval request for ${app} at ${commit.slice(0, 12)}: run rack-gateway deploy-approval request first`,
    );
  }
  return newest;
}
