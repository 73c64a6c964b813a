import { CliError } from '../cli/cli-error';
import type { CreateApprovalBody } from './approvals-api';
import type { CiContext } from '../resolve/ci-context';
import type { GitFacts } from '../resolve/local-git';

export interface RequestFlags {
  app: string;
  gitCommit?: string;
  branch?: string;
  message: string;
  /** `--ci-metadata '<json object>'`, merged over what the CI environment says. */
  ciMetadata?: string;
  targetTokenId?: string;
  prUrl?: string;
  ciUrl?: string;
}

function parseMetadata(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--ci-metadata is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('--ci-metadata must be a JSON object, e.g. \'{"pipeline_number": 42}\'');
  }
  return parsed as Record<string, unknown>;
}

/**
 * The create body: flags first, then the CI environment (GITHUB_SHA/CIRCLE_SHA1 …), then the local
 * checkout. The commit must be the full 40-character hash, since that is what the deploy is bound to.
 */
export function buildCreateBody(
  flags: RequestFlags,
  ci: CiContext | undefined,
  git: GitFacts,
): CreateApprovalBody {
  const commit = (flags.gitCommit ?? ci?.gitCommit ?? git.commit)?.trim().toLowerCase();
  if (!commit) {
    throw new CliError(
      'no commit to request approval for: pass --git-commit <sha> (in CI it comes from GITHUB_SHA or CIRCLE_SHA1)',
    );
  }
  if (!/^[0-9a-f]{40}$/.test(commit)) {
    throw new CliError(`--git-commit must be the full 40-character commit hash (got "${commit}")`);
  }
  if (!flags.message.trim()) throw new CliError('--message must not be empty');
  const metadata = { ...(ci?.metadata ?? {}), ...(flags.ciMetadata ? parseMetadata(flags.ciMetadata) : {}) };
  return {
    app: flags.app,
    gitCommit: commit,
    gitBranch: flags.branch ?? ci?.gitBranch ?? git.branch,
    message: flags.message.trim(),
    ciMetadata: Object.keys(metadata).length ? metadata : undefined,
    targetTokenId: flags.targetTokenId,
    prUrl: flags.prUrl ?? ci?.prUrl,
    ciUrl: flags.ciUrl ?? ci?.ciUrl,
  };
}
