import { CliError } from '../cli/cli-error';
import type { PollResult } from './approvals-api';
import type { ApprovalRequest } from './approval-request';
import { waitForDecision } from './approval-wait';
import { exitCodeFor, WAIT_EXIT_CODES } from './exit-codes';

const request = (status: string): ApprovalRequest => ({
  id: '0b6f9c1e-1111-4222-8333-444455556666',
  status,
  app: 'myapp',
  gitCommit: 'a'.repeat(40),
  message: 'deploy',
});

/** A fake clock that advances only when the waiter sleeps, and a scripted series of poll answers. */
function scripted(answers: PollResult[]) {
  let clock = 0;
  const sleeps: number[] = [];
  let polls = 0;
  return {
    sleeps,
    polls: () => polls,
    options: {
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
    },
    poll: async (): Promise<PollResult> => {
      polls += 1;
      const next = answers.shift();
      if (!next) throw new Error('polled more often than scripted');
      return next;
    },
  };
}

describe('waitForDecision', () => {
  it.each(['approved', 'rejected', 'expired', 'cancelled', 'deployed'])(
    'stops at %s without polling when the request already is',
    async (status) => {
      const script = scripted([]);
      const result = await waitForDecision(request(status), script.poll, {
        timeoutMs: 60_000,
        pollIntervalMs: 5000,
        ...script.options,
      });
      expect(result.outcome).toBe(status);
      expect(script.polls()).toBe(0);
    },
  );

  it('polls a pending request at the interval until it is decided', async () => {
    const script = scripted([{ request: request('pending') }, { request: request('rejected') }]);
    const seen: string[] = [];
    const result = await waitForDecision(request('pending'), script.poll, {
      timeoutMs: 0,
      pollIntervalMs: 5000,
      onPoll: (latest, elapsed) => seen.push(`${latest.status}@${elapsed}`),
      ...script.options,
    });
    expect(result).toMatchObject({ outcome: 'rejected', elapsedMs: 10_000 });
    expect(script.sleeps).toEqual([5000, 5000]);
    expect(seen).toEqual(['pending@5000', 'rejected@10000']);
  });

  it('times out with the request still pending, never sleeping past the deadline', async () => {
    const script = scripted([{ request: request('pending') }, { request: request('pending') }]);
    const result = await waitForDecision(request('pending'), script.poll, {
      timeoutMs: 7000,
      pollIntervalMs: 5000,
      ...script.options,
    });
    expect(result).toMatchObject({ outcome: 'timeout', elapsedMs: 7000 });
    expect(result.request.status).toBe('pending');
    expect(script.sleeps).toEqual([5000, 2000]);
  });

  it('rides out passing failures (network, 5xx) and resets the count on success', async () => {
    const transient = { transient: 'gateway answered HTTP 503' };
    const script = scripted([
      transient,
      transient,
      { request: request('pending') },
      transient,
      { request: request('approved') },
    ]);
    const failures: string[] = [];
    const result = await waitForDecision(request('pending'), script.poll, {
      timeoutMs: 0,
      pollIntervalMs: 1000,
      onTransientFailure: (reason) => failures.push(reason),
      ...script.options,
    });
    expect(result.outcome).toBe('approved');
    expect(failures).toHaveLength(3);
  });

  it('gives up after twelve failed polls in a row with the last reason', async () => {
    const script = scripted(Array.from({ length: 12 }, () => ({ transient: 'connection refused' })));
    await expect(
      waitForDecision(request('pending'), script.poll, {
        timeoutMs: 0,
        pollIntervalMs: 1000,
        ...script.options,
      }),
    ).rejects.toThrow(/gave up waiting after 12 failed polls in a row: connection refused/);
  });

  it('refuses a status it does not know instead of waiting for ever', async () => {
    const script = scripted([]);
    await expect(
      waitForDecision(request('paused'), script.poll, {
        timeoutMs: 0,
        pollIntervalMs: 1000,
        ...script.options,
      }),
    ).rejects.toBeInstanceOf(CliError);
  });
});

describe('wait exit codes', () => {
  it('gives every outcome its own code and keeps 0 for approved, 1 for failures', () => {
    const codes = Object.values(WAIT_EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(exitCodeFor('approved')).toBe(0);
    expect(codes).not.toContain(1);
    expect(WAIT_EXIT_CODES).toEqual({
      approved: 0,
      rejected: 3,
      expired: 4,
      cancelled: 5,
      deployed: 6,
      timeout: 7,
    });
  });
});
