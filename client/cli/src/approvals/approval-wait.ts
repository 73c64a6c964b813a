import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../cli/cli-error';
import type { PollResult } from './approvals-api';
import type { ApprovalRequest } from './approval-request';
import { isWaitOver, type WaitOutcome } from './exit-codes';

/** Polls that may fail in a row (network, 5xx) before the wait gives up: about a minute at 5 s. */
const MAX_TRANSIENT_FAILURES = 12;

export interface WaitOptions {
  /** 0 waits for ever (the gateway still expires a pending request after its TTL). */
  timeoutMs: number;
  pollIntervalMs: number;
  /** Told about every poll, for the spinner or the log lines. */
  onPoll?: (request: ApprovalRequest, elapsedMs: number) => void;
  onTransientFailure?: (reason: string, elapsedMs: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

export interface WaitResult {
  outcome: WaitOutcome;
  request: ApprovalRequest;
  elapsedMs: number;
}

/**
 * Polls one request until its status is one the waiter stops at (approved, rejected, expired, cancelled,
 * deployed) or the timeout passes. `approved` ends the wait: the deploy may go ahead.
 */
export async function waitForDecision(
  first: ApprovalRequest,
  poll: () => Promise<PollResult>,
  options: WaitOptions,
): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const started = now();
  let request = first;
  let failuresInARow = 0;
  for (;;) {
    const elapsedMs = now() - started;
    if (isWaitOver(request.status)) return { outcome: request.status, request, elapsedMs };
    if (request.status !== 'pending') {
      throw new CliError(`deploy approval request ${request.id} has an unknown status "${request.status}"`);
    }
    const remaining = options.timeoutMs > 0 ? options.timeoutMs - elapsedMs : Infinity;
    if (remaining <= 0) return { outcome: 'timeout', request, elapsedMs };
    await pause(Math.min(options.pollIntervalMs, remaining));
    const answer = await poll();
    if ('transient' in answer) {
      failuresInARow += 1;
      if (failuresInARow >= MAX_TRANSIENT_FAILURES) {
        throw new CliError(
          `gave up waiting after ${failuresInARow} failed polls in a row: ${answer.transient}`,
        );
      }
      options.onTransientFailure?.(answer.transient, now() - started);
      continue;
    }
    failuresInARow = 0;
    request = answer.request;
    options.onPoll?.(request, now() - started);
  }
}
