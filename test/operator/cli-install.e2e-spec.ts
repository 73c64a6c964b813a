import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, run } from './dev-stack-process';

jest.setTimeout(240_000);

const HELP = /Usage: rack-gateway \[options\] \[command\]/;

/**
 * `npx rack-gateway` right after `npm ci` in a checkout (npm links a workspace's command only if its file
 * exists at install time, before anything is built), and global installs from the checkout or a tarball.
 */
describe('installing the rack-gateway CLI', () => {
  let scratch: string;
  let env: Record<string, string>;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rgw-cli-install-'));
    // A fresh home, but npm's own cache: the dependencies come from it as they would on a used machine.
    const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: scratch,
      NO_COLOR: '1',
      npm_config_cache: cache,
    };
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('declares a committed file as the command, so npm ci links it', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'client', 'cli', 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    const command = manifest.bin['rack-gateway'];
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', join('client', 'cli', command)], {
      cwd: REPO_ROOT,
    });
    expect(tracked.toString().trim()).toBe(`client/cli/${command}`);
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { bin?: Record<string, string> }>;
    };
    expect(lock.packages['client/cli'].bin).toEqual(manifest.bin);
    expect(manifest.files).toEqual(expect.arrayContaining(['bin', 'dist']));
  });

  it('runs from a fresh checkout before the CLI was built, building it once', async () => {
    // A checkout as npm ci leaves it: sources and the command file, no client/cli/dist.
    const checkout = join(scratch, 'checkout');
    const client = join(checkout, 'client', 'cli');
    mkdirSync(client, { recursive: true });
    for (const entry of ['package.json', 'tsconfig.json', 'bin', 'src']) {
      cpSync(join(REPO_ROOT, 'client', 'cli', entry), join(client, entry), { recursive: true });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'));
    if (existsSync(join(REPO_ROOT, 'client', 'cli', 'node_modules'))) {
      symlinkSync(join(REPO_ROOT, 'client', 'cli', 'node_modules'), join(client, 'node_modules'));
    }
    const command = join(client, 'bin', 'rack-gateway.js');

    const first = await run(command, ['--help'], env, checkout);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(HELP) });
    expect(first.stderr).toContain('building the CLI once');
    const second = await run(command, ['--version'], env, checkout);
    expect(second).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('is linked in the repository, so npx finds it and never asks the registry', async () => {
    const out = await run('npx', ['--no-install', 'rack-gateway', '--help'], env, REPO_ROOT);
    expect(out).toMatchObject({ code: 0, stdout: expect.stringMatching(HELP) });
  });

  it('installs globally from a packed tarball and from the checkout', async () => {
    const packs = join(scratch, 'packs');
    mkdirSync(packs);
    const packed = await run(
      'npm',
      ['pack', '-w', 'rack-gateway', '--pack-destination', packs],
      env,
      REPO_ROOT,
    );
    expect(packed.code).toBe(0);
    const [tarball] = readdirSync(packs).filter((name) => name.endsWith('.tgz'));

    const install = (prefix: string, what: string) =>
      run(
        'npm',
        ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', what],
        env,
        REPO_ROOT,
      );
    for (const [prefix, what] of [
      [join(scratch, 'from-tarball'), join(packs, tarball)],
      [join(scratch, 'from-checkout'), './client/cli'],
    ]) {
      const installed = await install(prefix, what);
      expect({ what, code: installed.code, stderr: installed.stderr }).toMatchObject({ what, code: 0 });
      const help = await run(join(prefix, 'bin', 'rack-gateway'), ['--help'], env, scratch);
      expect({ what, ...help }).toMatchObject({ what, code: 0, stdout: expect.stringMatching(HELP) });
    }
    // The tarball carries the compiled CLI and no sources.
    const unpacked = join(scratch, 'from-tarball', 'lib', 'node_modules', 'rack-gateway');
    expect(existsSync(join(unpacked, 'dist', 'bin', 'rack-gateway.js'))).toBe(true);
    expect(existsSync(join(unpacked, 'src'))).toBe(false);
  });
});
