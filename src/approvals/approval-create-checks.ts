import { Injectable } from '@nestjs/common';

/** What a new request asks for, as the checks see it (after validation, before it is stored). */
export interface ApprovalCandidate {
  app: string;
  gitCommit: string;
  gitBranch: string | null;
  ciMetadata: Record<string, unknown>;
}

/** Refuses a request by throwing an HttpException with a reason; resolves to let it through. */
export type ApprovalCreateCheck = (candidate: ApprovalCandidate) => Promise<void>;

/**
 * Checks other modules add to request creation (GitHub commit verification registers here), so the
 * approvals module calls them without knowing about any provider. They run in registration order.
 */
@Injectable()
export class ApprovalCreateChecks {
  private readonly checks: ApprovalCreateCheck[] = [];

  register(check: ApprovalCreateCheck): void {
    this.checks.push(check);
  }

  async run(candidate: ApprovalCandidate): Promise<void> {
    for (const check of this.checks) await check(candidate);
  }
}
