import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { COMMAND_PREFIX } from '../../src/dev/stack-banner';
import type { CliRunner } from '../cli/cli-runner';
import { loginWithBrowser } from '../cli/cli-browser-login';
import {
  devShellEnv,
  REPO_ROOT,
  removeScratch,
  run,
  startLauncher,
  type Launcher,
} from './dev-stack-process';

jest.setTimeout(300_000);

/**
 * A stand-in for the convox CLI on PATH that makes the request `convox apps` makes: GET <RACK_URL>/apps with
 * the URL's user and password as Basic credentials. It fails unless the gateway answers 200.
 */
const FAKE_CONVOX = `#!/usr/bin/env node
const url = new URL(process.env.RACK_URL);
const basic = Buffer.from(decodeURIComponent(url.username) + ':' + decodeURIComponent(url.password)).toString('base64');
url.username = '';
url.password = '';
fetch(url.href.replace(/\\/$/, '') + '/' + process.argv[2], { headers: { authorization: 'Basic ' + basic } })
  .then(async (res) => { process.stdout.write(await res.text()); process.exit(res.ok ? 0 : 1); });
`;

/** Fails with the command and everything it printed, so a broken banner line is obvious. */
function expectSuccess(command: string, out: { code: number; stdout: string; stderr: string }): void {
  if (out.code !== 0) throw new Error(`"${command}" exited ${out.code}:\n${out.stdout}\n${out.stderr}`);
}

/** Every `$` line `npm start` prints is pasted, in order, into a shell in the repository. */
describe('the commands the npm start banner prints', () => {
  let scratch: string;
  let launcher: Launcher;
  let env: Record<string, string>;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rgw-banner-'));
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'convox'), FAKE_CONVOX);
    // No desktop here: "opening the browser" succeeds and the test plays the browser from the printed URL.
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\nexit 0\n');
    for (const tool of ['convox', 'xdg-open']) chmodSync(join(bin, tool), 0o755);
    env = await devShellEnv(join(scratch, 'data'), scratch);
    env.PATH = `${bin}:${env.PATH}`;
    launcher = startLauncher(env);
    await launcher.ready;
  });
  afterAll(async () => {
    await launcher?.stop();
    removeScratch(scratch, join(scratch, 'data'));
  });

  it('prints commands that all work when pasted', async () => {
    const commands = launcher
      .output()
      .split('\n')
      .filter((line) => line.startsWith(COMMAND_PREFIX))
      .map((line) => line.slice(COMMAND_PREFIX.length));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    expect(commands.some((command) => / login /.test(command))).toBe(true);

    const shellEnv = { ...env };
    for (const command of commands) {
      if (/ login /.test(command)) {
        // The login command opens a browser: the approval is played by a cookie-jar client.
        const pasted = { spawn: () => spawn('bash', ['-c', command], { cwd: REPO_ROOT, env: shellEnv }) };
        const login = await loginWithBrowser(
          pasted as unknown as CliRunner,
          'dev',
          `http://127.0.0.1:${env.PORT}`,
          'admin@example.com',
        );
        expectSuccess(command, login.cli);
        expect(login.cli.stdout).toContain('Logged in to dev as admin@example.com');
        continue;
      }
      const exported = /^export (\w+)=/.exec(command)?.[1];
      const script = exported ? `${command}\nprintf '%s' "$${exported}"` : command;
      const out = await run('bash', ['-c', script], shellEnv, REPO_ROOT, 180_000);
      expectSuccess(command, out);
      expect(out.stderr).not.toMatch(/undefined/);
      if (exported) {
        expect(out.stdout).toMatch(/^rgw_\S+$/);
        shellEnv[exported] = out.stdout;
      }
      if (/api-token create .*--output token/.test(command)) expect(out.stdout).toMatch(/^rgw_\S+\n$/);
      if (/audit:verify/.test(command))
        expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, open: { count: 0 } });
    }
  });
});
