/**
 * Exit codes of `deploy-approval request --wait` and `deploy-approval wait`, distinct per outcome so a CI
 * script can tell "not approved" from "the CLI failed" (docs/DEPLOY_APPROVALS.md prints this table).
 * 1 stays "anything else went wrong" (a refusal, a network failure), as for every other command.
 */
export const WAIT_EXIT_CODES = {
  approved: 0,
  rejected: 3,
  expired: 4,
  cancelled: 5,
  deployed: 6,
  timeout: 7,
} as const;

export type WaitOutcome = keyof typeof WAIT_EXIT_CODES;

/** The statuses at which waiting ends; `pending` is the only one worth waiting on. */
export function isWaitOver(status: string): status is Exclude<WaitOutcome, 'timeout'> {
  return status !== 'timeout' && Object.hasOwn(WAIT_EXIT_CODES, status);
}

export function exitCodeFor(outcome: WaitOutcome): number {
  return WAIT_EXIT_CODES[outcome];
}
