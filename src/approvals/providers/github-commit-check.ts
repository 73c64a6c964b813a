import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { apiError } from '../../access-control/api-error';
import { SettingsService } from '../../settings/settings.service';
import { type ApprovalCandidate, ApprovalCreateChecks } from '../approval-create-checks';
import { GitHubClient } from './github-client';
import { ProviderError } from './provider-http';

// The commit is on the branch when the branch head is it (identical) or has moved past it (the commit is
// behind). `ahead` or `diverged` means it is not in the branch's history.
const ON_BRANCH = new Set(['identical', 'behind']);

/**
 * With `vcs.verify_commits` on for the app, a request must name a branch of `vcs.repo` that contains its
 * commit, as GitHub sees it when the request is made. Fails closed: when GitHub cannot answer, the
 * request is refused (502) rather than let through unverified. The default branch is treated like any
 * other, so deploying `main` after a merge works out of the box.
 */
@Injectable()
export class GitHubCommitCheck implements OnModuleInit {
  constructor(
    private readonly checks: ApprovalCreateChecks,
    private readonly settings: SettingsService,
  ) {}

  onModuleInit(): void {
    this.checks.register((candidate) => this.verify(candidate));
  }

  async verify({ app, gitCommit, gitBranch }: ApprovalCandidate): Promise<void> {
    if (!(await this.settings.getForApp(app, 'vcs.verify_commits'))) return;
    const repo = await this.settings.getForApp(app, 'vcs.repo');
    if (!repo) {
      throw apiError(
        HttpStatus.CONFLICT,
        'vcs_not_configured',
        `commit verification is on for ${app} but vcs.repo is not set; an admin must set it`,
      );
    }
    if (!gitBranch) {
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'git_branch_required',
        `gitBranch is required: commits for ${app} are verified against a branch of ${repo}`,
      );
    }
    const client = new GitHubClient(
      await this.settings.get('vcs.github_api_url'),
      await this.settings.getForApp(app, 'vcs.api_token'),
    );
    let status: string;
    try {
      status = await client.compare(repo, gitBranch, gitCommit);
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) {
        throw apiError(
          HttpStatus.BAD_REQUEST,
          'commit_not_on_branch',
          `GitHub knows no branch ${gitBranch} with commit ${gitCommit.slice(0, 12)} in ${repo}`,
        );
      }
      throw apiError(
        HttpStatus.BAD_GATEWAY,
        'vcs_verification_unavailable',
        `could not verify the commit with GitHub (${(error as Error).message}); try again`,
      );
    }
    if (!ON_BRANCH.has(status)) {
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'commit_not_on_branch',
        `commit ${gitCommit.slice(0, 12)} is not on branch ${gitBranch} of ${repo} (GitHub compare status: ${status})`,
      );
    }
  }
}
