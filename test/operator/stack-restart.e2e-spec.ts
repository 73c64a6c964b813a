import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// A process that exited but is not reaped yet (a zombie) counts as gone.
import { isAlive as alive } from '../../src/database/recorded-postmaster';
import { devShellEnv, removeScratch, startLauncher, type Launcher } from './dev-stack-process';

jest.setTimeout(240_000);

/** `kill -9` of the `npm start` launcher leaves its PostgreSQL running; the next start must cope. */
describe('npm start after the launcher was killed', () => {
  let scratch: string;
  const launchers: Launcher[] = [];

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rgw-restart-'));
    // Enterable by the database's user when we are root, so this tests the restart alone (see private-folder).
    chmodSync(scratch, 0o755);
  });
  afterAll(async () => {
    for (const launcher of launchers) await launcher.stop();
    removeScratch(scratch, join(scratch, 'data'));
  });

  it('stops the orphaned database, says so, and comes up', async () => {
    const dataDir = join(scratch, 'data');
    const env = await devShellEnv(dataDir, scratch);
    const first = startLauncher(env);
    launchers.push(first);
    await first.ready;
    const postmasterPid = Number(
      readFileSync(join(dataDir, 'postgres', 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
    );

    process.kill(first.child.pid!, 'SIGKILL');
    await new Promise((resolve) => first.child.once('close', resolve));
    expect(alive(postmasterPid)).toBe(true);

    const second = startLauncher(env);
    launchers.push(second);
    await second.ready;
    expect(second.output()).toContain(
      `stopped the embedded PostgreSQL (pid ${postmasterPid}) that an earlier start left running`,
    );
    expect(second.output()).not.toMatch(/undefined/);
    expect(alive(postmasterPid)).toBe(false);
    expect((await fetch(`http://127.0.0.1:${env.PORT}/readyz`)).status).toBe(200);
  });

  it('refuses a second launcher on the same data folder while the first runs, in one line', async () => {
    const env = await devShellEnv(join(scratch, 'data'), scratch);
    const running = launchers[launchers.length - 1];
    const again = startLauncher(env);
    await expect(again.ready).rejects.toThrow(/launcher exited/);
    expect(again.output().trim()).toBe(
      `the development stack is already running from ${join(scratch, 'data')} (launcher pid ${running.child.pid}); stop it first: kill ${running.child.pid}`,
    );
  });
});
