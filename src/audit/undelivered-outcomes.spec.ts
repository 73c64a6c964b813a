import type { AuditOutcome } from './audit-recorder';
import { UndeliveredOutcomes } from './undelivered-outcomes';

const outcome: AuditOutcome = { status: 200, latencyMs: 3 };
const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('UndeliveredOutcomes', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps retrying while the database is down and delivers each outcome once it is back', async () => {
    let databaseUp = false;
    const delivered: string[] = [];
    const outcomes = new UndeliveredOutcomes(
      async (eventId) => {
        if (!databaseUp) throw down;
        delivered.push(eventId);
      },
      (error) => error === down,
    );
    outcomes.keep('a', outcome);
    outcomes.keep('b', outcome);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(delivered).toEqual([]);
    expect(outcomes.size).toBe(2);
    databaseUp = true;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(delivered).toEqual(['a', 'b']);
    expect(outcomes.size).toBe(0);
  });

  it('gives up on an outcome that fails for another reason', async () => {
    const outcomes = new UndeliveredOutcomes(
      async () => {
        throw new Error('audit event vanished');
      },
      (error) => error === down,
    );
    outcomes.keep('a', outcome);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(outcomes.size).toBe(0);
  });
});
