import { spawnMockOAuth } from '../../src/dev/mock-oauth/spawn';
import { startAuthStack } from '../auth/auth-fixture';
import { startFullStack } from '../audit/full-stack-fixture';
import { CLIENT_ID, CLIENT_SECRET } from '../auth/auth-fixture';

// Listening servers, connected sockets (database pools, HTTP keep-alive), child processes and their pipes:
// each one left open keeps Jest's worker alive after the last test.
const LIVE_HANDLES = ['TCPServerWrap', 'TCPSocketWrap', 'ProcessWrap', 'PipeWrap'];

function liveHandles(): Record<string, number> {
  const counts = Object.fromEntries(LIVE_HANDLES.map((kind) => [kind, 0]));
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind] += 1;
  return counts;
}

/**
 * The live handles once those being closed are gone, as soon as no kind outnumbers `baseline`: libuv finishes
 * a close on a later loop turn, and under load that takes a while. A handle left open stays listed for good.
 * (At most, not equal: handles still closing when the baseline was taken may be gone by now.)
 */
async function handlesAfterClosing(baseline: Record<string, number>): Promise<Record<string, number>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const now = liveHandles();
    if (LIVE_HANDLES.every((kind) => now[kind] <= baseline[kind]) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The kinds of handle there are more of than in `baseline`, with how many more: `{}` when nothing leaked. */
async function leakedSince(baseline: Record<string, number>): Promise<Record<string, number>> {
  const now = await handlesAfterClosing(baseline);
  return Object.fromEntries(
    LIVE_HANDLES.filter((kind) => now[kind] > baseline[kind]).map((kind) => [
      kind,
      now[kind] - baseline[kind],
    ]),
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A mock Google login that can never be ready in time: every fixture's last start then fails. */
async function withUnstartableMockOAuth<T>(run: () => Promise<T>): Promise<T> {
  const saved = process.env.MOCK_OAUTH_START_TIMEOUT_MS;
  process.env.MOCK_OAUTH_START_TIMEOUT_MS = '1';
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.MOCK_OAUTH_START_TIMEOUT_MS;
    else process.env.MOCK_OAUTH_START_TIMEOUT_MS = saved;
  }
}

describe('a start that fails cleans up what it started', () => {
  it('spawnMockOAuth kills and reaps its child before reporting the timeout', async () => {
    const before = liveHandles();
    const failure = await spawnMockOAuth({
      port: 0,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: ['http://127.0.0.1:1/callback'],
      startTimeoutMs: 1,
    }).then(
      () => new Error('started although it had 1 ms'),
      (error: Error) => error,
    );
    expect(failure.message).toMatch(/^mock-oauth \(pid \d+\) did not start within 0.001 s/);
    // Not even a zombie: the child has exited and been reaped by the time the caller hears of it.
    const pid = Number(/pid (\d+)/.exec(failure.message)![1]);
    expect(isRunning(pid)).toBe(false);
    expect(await leakedSince(before)).toEqual({});
  });

  it.each<[string, () => Promise<unknown>]>([
    ['the auth stack (gateway, then mock Google login)', () => startAuthStack()],
    ['the full stack (mock rack, gateway, then mock Google login)', startFullStack],
  ])('%s closes the servers it had started when the mock Google login fails', async (_name, start) => {
    const before = liveHandles();
    await expect(withUnstartableMockOAuth(() => start())).rejects.toThrow(/did not start within/);
    expect(await leakedSince(before)).toEqual({});
  });
});
