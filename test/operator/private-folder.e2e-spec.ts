import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  devShellEnv,
  removeScratch,
  REPO_ROOT,
  run,
  startLauncher,
  type Launcher,
} from './dev-stack-process';

jest.setTimeout(240_000);

/**
 * `npm start` from a clone inside a folder only its owner may enter (a clone under /root, a `mktemp -d`).
 * As root, PostgreSQL runs as the unprivileged `postgres` user, who cannot reach the binaries under
 * node_modules nor the data folder there; the stack must come up anyway.
 */
describe('npm start from a private folder', () => {
  let privateDir: string;
  let repo: string;
  let launcher: Launcher | undefined;

  beforeAll(() => {
    privateDir = mkdtempSync(join(tmpdir(), 'rgw-private-'));
    chmodSync(privateDir, 0o700);
    repo = join(privateDir, 'repo');
    mkdirSync(repo);
    // A clone in all but name: hard links make the copy of node_modules and dist instant.
    execFileSync('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(REPO_ROOT, 'dist'), repo]);
    copyFileSync(join(REPO_ROOT, 'package.json'), join(repo, 'package.json'));
  });
  afterAll(async () => {
    await launcher?.stop();
    removeScratch(privateDir, join(repo, '.data'));
  });

  it('starts the stack, and operator commands work beside it', async () => {
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    const env = await devShellEnv(join(repo, '.data'), privateDir);
    launcher = startLauncher(env, repo);
    await launcher.ready;
    expect(launcher.output()).not.toMatch(/EACCES|undefined|\n\s+at /);
    expect((await fetch(`http://127.0.0.1:${env.PORT}/readyz`)).status).toBe(200);

    const token = await run(
      process.execPath,
      [
        join(repo, 'dist', 'src', 'manage', 'manage.cli.js'),
        'create-token',
        '--email',
        'admin@example.com',
        '--name',
        'x',
        '--role',
        'admin',
      ],
      env,
      repo,
    );
    expect(token).toMatchObject({ code: 0, stdout: expect.stringMatching(/^rgw_\S+\n$/) });
    const me = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/me`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(me.status).toBe(200);
  });
});
