import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBinaries, CLI_BINARY } from '../harness/built-binaries';
import { freePort } from '../harness/free-port';

/** Runs the BUILT rack-gateway binary as a user would, for the commands that need no gateway. */
const binary = CLI_BINARY;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let workDir: string;
let configDir: string;
let fakeBin: string;

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, ...args],
      {
        cwd: workDir,
        env: { HOME: workDir, PATH: `${fakeBin}:/usr/bin:/bin`, RACK_GATEWAY_CONFIG_DIR: configDir, ...env },
        timeout: 30000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function writeConfig(config: unknown): void {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
}

function readConfig(): { current?: string; racks: Record<string, Record<string, string>> } {
  return JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
}

const inDays = (days: number) => new Date(Date.now() + days * 86400000).toISOString();

function twoRacks(stagingExpiry = inDays(60)) {
  return {
    current: 'staging',
    racks: {
      staging: {
        url: 'http://127.0.0.1:1/',
        token: 'staging-session-token',
        expiresAt: stagingExpiry,
        email: 'dev@example.com',
      },
      production: {
        url: 'https://gw-prod.example.com',
        token: 'prod-token',
        expiresAt: inDays(80),
        email: 'ops@example.com',
      },
    },
  };
}

/** A stand-in `convox` that records its RACK_URL and arguments, then exits 3. */
function installFakeConvox(): string {
  const record = join(workDir, 'convox-invocation.txt');
  const script = join(fakeBin, 'convox');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$RACK_URL" "$@" > '${record}'\nexit 3\n`);
  chmodSync(script, 0o755);
  return record;
}

beforeAll(buildBinaries, 120000);

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'rgw-cli-e2e-'));
  configDir = join(workDir, 'config');
  fakeBin = join(workDir, 'bin');
  mkdirSync(fakeBin);
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

describe('rack-gateway CLI (built binary, no gateway)', () => {
  it('explains how to start when no racks are configured', async () => {
    const result = await runCli(['racks']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No racks configured; run: rack-gateway login <rack> <url>');
  });

  it('lists racks sorted with the current one marked, never printing tokens', async () => {
    writeConfig(twoRacks());
    const result = await runCli(['racks']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+RACK\s+URL\s+USER\s+STATUS$/);
    expect(lines[1]).toMatch(
      /^\s+production\s+https:\/\/gw-prod\.example\.com\s+ops@example\.com\s+logged in$/,
    );
    expect(lines[2]).toMatch(/^\*\s+staging\s+http:\/\/127\.0\.0\.1:1\/\s+dev@example\.com\s+logged in$/);
    expect(result.stdout).not.toContain('token');
  });

  it('switches the current rack in the config file, keeping it 0600', async () => {
    writeConfig(twoRacks());
    const result = await runCli(['switch', 'production']);
    expect(result).toMatchObject({ code: 0, stdout: 'Switched to production\n' });
    expect(readConfig().current).toBe('production');
    expect(readConfig().racks.staging.token).toBe('staging-session-token');
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses to switch to an unknown rack and names the known ones', async () => {
    writeConfig(twoRacks());
    const result = await runCli(['switch', 'qa']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: unknown rack "qa" (known racks: production, staging)\n');
    expect(readConfig().current).toBe('staging');
  });

  it('shows the selected rack: --rack over RACK_GATEWAY_RACK over the current rack', async () => {
    writeConfig(twoRacks());
    const current = await runCli(['rack']);
    expect(current.stdout).toMatch(
      /Rack\s+staging\nURL\s+http:\/\/127\.0\.0\.1:1\nUser\s+dev@example\.com\n/,
    );
    expect(current.stdout).toMatch(/Status\s+logged in/);
    const fromEnv = await runCli(['rack'], { RACK_GATEWAY_RACK: 'production' });
    expect(fromEnv.stdout).toMatch(/Rack\s+production/);
    const fromFlag = await runCli(['rack', '--rack', 'staging', '--json'], {
      RACK_GATEWAY_RACK: 'production',
    });
    expect(JSON.parse(fromFlag.stdout)).toMatchObject({
      rack: 'staging',
      email: 'dev@example.com',
      status: 'logged in',
    });
  });

  it('reports a corrupt config file clearly instead of crashing', async () => {
    writeConfig('{"racks": {');
    const result = await runCli(['racks']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the config file ${join(configDir, 'config.json')} is corrupt`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints a bash completion script that bash accepts', async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('complete -o default -F _rack_gateway rack-gateway');
    expect(result.stdout).toContain('"api-token") echo "list create revoke');
    const script = join(workDir, 'completion.bash');
    writeFileSync(script, result.stdout);
    expect(() => execFileSync('bash', ['-n', script])).not.toThrow();
  });

  it('rejects an unknown completion shell', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Allowed choices are bash, zsh, fish');
  });

  it('prints the client version and names the gateway URL it cannot reach', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const result = await runCli(['version'], { RACK_GATEWAY_URL: url, RACK_GATEWAY_API_TOKEN: 'rgw_test' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^client: \d+\.\d+\.\d+\n/);
    expect(result.stderr).toBe(`Error: cannot reach the gateway at ${url}: connection refused\n`);
  });

  it('names the gateway URL when a Convox command cannot reach it', async () => {
    const port = await freePort();
    const result = await runCli(['apps'], {
      RACK_GATEWAY_URL: `http://127.0.0.1:${port}`,
      RACK_GATEWAY_API_TOKEN: 'rgw_test',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach the gateway at http://127.0.0.1:${port}`);
  });

  it('hands unknown commands to convox with RACK_URL pointing at the gateway, passing its exit code through', async () => {
    const record = installFakeConvox();
    writeConfig(twoRacks());
    const result = await runCli(['certs', 'generate', 'example.com', '-a', 'myapp', '--wildcard']);
    expect(result.code).toBe(3);
    expect(readFileSync(record, 'utf8').split('\n')).toEqual([
      'http://convox:staging-session-token@127.0.0.1:1/api/v1/rack-proxy',
      'certs',
      'generate',
      'example.com',
      '-a',
      'myapp',
      '--wildcard',
      '',
    ]);
  });

  it('hands Convox subcommands it does not implement (apps create, rack ps) to convox with their options', async () => {
    const record = installFakeConvox();
    writeConfig(twoRacks());
    const create = await runCli(['apps', 'create', 'newapp', '-a', 'newapp', '--generation', '3']);
    expect(create.code).toBe(3);
    expect(readFileSync(record, 'utf8').split('\n').slice(1)).toEqual([
      'apps',
      'create',
      'newapp',
      '-a',
      'newapp',
      '--generation',
      '3',
      '',
    ]);
    const rackPs = await runCli(['rack', 'ps', '--all']);
    expect(rackPs.code).toBe(3);
    expect(readFileSync(record, 'utf8').split('\n').slice(1)).toEqual(['rack', 'ps', '--all', '']);
  });

  it('runs `convox <args>` explicitly with RACK_GATEWAY_URL and RACK_GATEWAY_API_TOKEN and no config file', async () => {
    const record = installFakeConvox();
    const result = await runCli(['convox', 'apps', '--help'], {
      RACK_GATEWAY_URL: 'https://gw.ci.example.com',
      RACK_GATEWAY_API_TOKEN: 'rgw_ci_token',
    });
    expect(result.code).toBe(3);
    expect(readFileSync(record, 'utf8')).toBe(
      'https://convox:rgw_ci_token@gw.ci.example.com/api/v1/rack-proxy\napps\n--help\n',
    );
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it('reminds on stderr when the session expires within 7 days', async () => {
    installFakeConvox();
    writeConfig(twoRacks(inDays(3.5)));
    const result = await runCli(['convox', 'apps']);
    expect(result.stderr).toMatch(
      /Your session for rack "staging" expires in 3 days .*run: rack-gateway login staging/,
    );
  });

  it('refuses an expired session before running anything', async () => {
    const record = installFakeConvox();
    writeConfig(twoRacks(inDays(-1)));
    const result = await runCli(['convox', 'apps']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: session expired, run: rack-gateway login staging\n');
    expect(existsSync(record)).toBe(false);
  });

  it('says clearly when convox is not installed', async () => {
    writeConfig(twoRacks());
    const result = await runCli(['certs']);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('the convox CLI is not installed (no "convox" on PATH)');
  });

  it('names the gateway URL when login cannot reach it', async () => {
    const port = await freePort();
    const result = await runCli(['login', 'staging', `http://127.0.0.1:${port}`, '--no-open']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach the gateway at http://127.0.0.1:${port}`);
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });
});
