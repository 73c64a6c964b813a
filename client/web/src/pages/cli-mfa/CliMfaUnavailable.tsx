import { ApiError } from '../../api/client';
import { ApproveOrDenyUnavailable } from '../../components/ApproveOrDeny';

/** What the server's refusal codes mean to the person holding the link. */
const TITLES: Record<string, string> = {
  bad_request: 'Not a CLI approval link',
  approval_not_found: 'Approval not found',
  approval_expired: 'Approval expired',
  approval_decided: 'Already decided',
};

/** Why this CLI step-up cannot be approved (any more), with the server's reason and what to do. */
export function CliMfaUnavailable({ error }: { error: Error }) {
  return (
    <ApproveOrDenyUnavailable
      error={error}
      titles={TITLES}
      what="the CLI approval"
      hint="If you are signed in as someone else, sign out and open the link again. Otherwise run the command in your terminal again for a new link."
    />
  );
}

/** A refusal that ends the page (the approval is gone, decided or not this person's), not a retryable one. */
export function endsTheApproval(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code in TITLES;
}
