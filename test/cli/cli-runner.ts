import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BINARY } from '../harness/built-binaries';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to the CLI's stdin, which is then closed (stdin is always a pipe, never a TTY). */
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

export interface StoredRack {
  url: string;
  token?: string;
  expiresAt?: string;
  email?: string;
}

export interface StoredConfig {
  current?: string;
  racks: Record<string, StoredRack>;
}

/**
 * One person's machine: a home, a config directory (RACK_GATEWAY_CONFIG_DIR) and a bin folder in front of
 * PATH for fake tools. Runs the built CLI as a child process, exactly as a user's shell would.
 */
export class CliRunner {
  readonly home: string;
  readonly configDir: string;
  readonly binDir: string;

  constructor(root: string) {
    this.home = join(root, 'home');
    this.configDir = join(root, 'config');
    this.binDir = join(root, 'bin');
    for (const dir of [this.home, this.binDir]) mkdirSync(dir, { recursive: true });
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      HOME: this.home,
      PATH: `${this.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      RACK_GATEWAY_CONFIG_DIR: this.configDir,
      NO_COLOR: '1',
      ...extra,
    };
  }

  /** Starts the CLI and hands back the child (for commands a test must interact with, like login). */
  spawn(args: string[], options: RunOptions = {}) {
    return spawn(process.execPath, [CLI_BINARY, ...args], {
      cwd: options.cwd ?? this.home,
      env: this.env(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  run(args: string[], options: RunOptions = {}): Promise<CliRun> {
    const child = this.spawn(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end(options.input ?? '');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`rack-gateway ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
      }, options.timeoutMs ?? 20_000);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
  }

  /** Like run, but fails the test with the CLI's own output when it exits non-zero. */
  async ok(args: string[], options: RunOptions = {}): Promise<CliRun> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(
        `rack-gateway ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  }

  config(): StoredConfig {
    return JSON.parse(readFileSync(join(this.configDir, 'config.json'), 'utf8')) as StoredConfig;
  }

  /** A fake `convox` on PATH that records its arguments and RACK_URL as JSON lines in `<binDir>/convox.log`. */
  installFakeConvox(exitCode = 0): string {
    const log = join(this.binDir, 'convox.log');
    writeFileSync(
      join(this.binDir, 'convox'),
      [
        '#!/usr/bin/env node',
        "const fs = require('node:fs');",
        `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), rackUrl: process.env.RACK_URL }) + '\\n');`,
        "process.stdout.write('fake convox ran\\n');",
        `process.exit(${exitCode});`,
        '',
      ].join('\n'),
    );
    chmodSync(join(this.binDir, 'convox'), 0o755);
    return log;
  }
}
