import { AuditWritesInFlight } from './audit-writes-in-flight';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe('AuditWritesInFlight', () => {
  it('settles only once every write started before and during the wait has settled, failed ones included', async () => {
    const inFlight = new AuditWritesInFlight();
    const first = deferred();
    const failing = deferred();
    void inFlight.track(first.promise);
    inFlight.track(failing.promise).catch(() => undefined);
    let settled = false;
    const waiting = inFlight.settled().then(() => (settled = true));

    first.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    // A write started while shutting down (the outcome of a websocket just ended) is waited for too.
    const late = deferred();
    void inFlight.track(late.promise);
    failing.reject(new Error('database gone'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);

    late.resolve();
    await waiting;
    expect(inFlight.size).toBe(0);
  });

  it('hands back the write itself, so its caller still sees its result or failure', async () => {
    const inFlight = new AuditWritesInFlight();
    await expect(inFlight.track(Promise.resolve('event-1'))).resolves.toBe('event-1');
    await expect(inFlight.track(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
