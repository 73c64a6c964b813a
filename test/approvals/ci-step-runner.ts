import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BINARY } from '../harness/built-binaries';
import type { CiStep } from './ci-example-scripts';

export interface StepRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A CI machine for the examples: a checkout directory, a home, and a bin folder with `rack-gateway` (the
 * built CLI) and a `convox` stand-in. Steps run with `bash -eo pipefail -c`, as GitHub Actions and CircleCI
 * run them, with only the variables the CI would set.
 */
export class CiMachine {
  readonly binDir: string;
  readonly home: string;
  /** Every RACK_URL the convox stand-in was started with. */
  readonly convoxLog: string;

  constructor(
    root: string,
    readonly checkout: string,
    private readonly ciEnv: Record<string, string>,
  ) {
    this.binDir = join(root, 'bin');
    this.home = join(root, 'home');
    this.convoxLog = join(root, 'convox.log');
    mkdirSync(this.binDir, { recursive: true });
    mkdirSync(this.home, { recursive: true });
    writeExecutable(
      join(this.binDir, 'rack-gateway'),
      `#!/bin/sh\nexec '${process.execPath}' '${CLI_BINARY}' "$@"\n`,
    );
    writeExecutable(join(this.binDir, 'convox'), convoxStandIn(this.convoxLog));
  }

  start(step: CiStep): ChildProcessWithoutNullStreams {
    return spawn('bash', ['-eo', 'pipefail', '-c', step.script], {
      cwd: this.checkout,
      env: {
        PATH: `${this.binDir}:/usr/local/bin:/usr/bin:/bin`,
        HOME: this.home,
        NO_COLOR: '1',
        ...this.ciEnv,
        ...step.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  run(step: CiStep, timeoutMs = 60_000): Promise<StepRun> {
    return finished(this.start(step), step.name, timeoutMs);
  }
}

export function finished(
  child: ChildProcessWithoutNullStreams,
  name: string,
  timeoutMs = 60_000,
): Promise<StepRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`step "${name}" did not finish:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/**
 * `convox` as the examples call it: it reads RACK_URL the way the stock CLI does (Basic `convox:<token>`
 * in the URL, the rack proxy path) and makes the stock CLI's build, upload and promote requests through
 * the rack-gateway CLI's Convox commands (the convox binary is not installed on the test machine).
 */
function convoxStandIn(log: string): string {
  return [
    `#!${process.execPath}`,
    "const { spawnSync } = require('node:child_process');",
    "const { appendFileSync } = require('node:fs');",
    'const raw = process.env.RACK_URL;',
    `appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), rackUrl: raw }) + '\\n');`,
    "if (!raw) { console.error('ERROR: RACK_URL is not set'); process.exit(1); }",
    'const url = new URL(raw);',
    "if (url.username !== 'convox' || !url.password || url.pathname !== '/api/v1/rack-proxy') {",
    "  console.error('ERROR: RACK_URL must be <scheme>://convox:<token>@<gateway>/api/v1/rack-proxy'); process.exit(1);",
    '}',
    'const env = { ...process.env, RACK_GATEWAY_URL: `${url.protocol}//${url.host}`, RACK_GATEWAY_API_TOKEN: decodeURIComponent(url.password) };',
    'delete env.RACK_URL;',
    `const run = spawnSync(${JSON.stringify(process.execPath)}, [${JSON.stringify(CLI_BINARY)}, ...process.argv.slice(2)], { env, stdio: 'inherit' });`,
    'process.exit(run.status ?? 1);',
    '',
  ].join('\n');
}
