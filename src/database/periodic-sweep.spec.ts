import { PeriodicSweep } from './periodic-sweep';

class CountingSweep extends PeriodicSweep {
  passes = 0;
  constructor(private readonly pass: () => Promise<number | void>) {
    super('TestSweep', 1000);
  }
  protected sweepOnce(): Promise<number | void> {
    this.passes += 1;
    return this.pass();
  }
  get warnings(): jest.SpyInstance {
    return jest.spyOn(this.logger, 'warn').mockImplementation(() => undefined);
  }
}

describe('PeriodicSweep', () => {
  afterEach(() => jest.useRealTimers());

  it('answers how many rows a pass handled, 0 for a pass that does not count', async () => {
    await expect(new CountingSweep(() => Promise.resolve(3)).sweep()).resolves.toBe(3);
    await expect(new CountingSweep(() => Promise.resolve()).sweep()).resolves.toBe(0);
  });

  it('logs a failed pass and answers 0 instead of throwing', async () => {
    const sweep = new CountingSweep(() => Promise.reject(new Error('database is down')));
    const warn = sweep.warnings;
    await expect(sweep.sweep()).resolves.toBe(0);
    expect(warn).toHaveBeenCalledWith('sweep failed: database is down');
  });

  it('runs every interval from module init until shutdown', async () => {
    jest.useFakeTimers();
    const sweep = new CountingSweep(() => Promise.resolve(1));
    sweep.onModuleInit();
    await jest.advanceTimersByTimeAsync(3000);
    expect(sweep.passes).toBe(3);
    sweep.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(5000);
    expect(sweep.passes).toBe(3);
  });
});
