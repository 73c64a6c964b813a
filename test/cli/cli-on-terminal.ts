import { spawn } from 'node:child_process';
import { CLI_BINARY } from '../harness/built-binaries';
import type { CliRunner } from './cli-runner';

export interface TerminalRun {
  code: number;
  /** Everything the terminal showed (stdout and stderr share it, with \r\n line ends). */
  screen: string;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs the CLI with a real pseudo-terminal as stdin/stdout (util-linux `script`), as a person at a
 * terminal would: when the screen first matches `question`, `answer` is typed followed by Enter.
 */
export function runOnTerminal(
  cli: CliRunner,
  args: string[],
  question: RegExp,
  answer: () => string,
  timeoutMs = 20_000,
  term = 'dumb',
): Promise<TerminalRun> {
  const command = [process.execPath, CLI_BINARY, ...args].map(shellQuote).join(' ');
  // -q no banner, -e the child's exit code, -f flush at once, -c the command; /dev/null: no typescript file
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    cwd: cli.home,
    env: { ...cli.env(), TERM: term },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let answered = false;
  const onOutput = (chunk: string) => {
    screen += chunk;
    if (!answered && question.test(screen)) {
      answered = true;
      child.stdin.write(`${answer()}\r`);
    }
  };
  child.stdout.setEncoding('utf8').on('data', onOutput);
  child.stderr.setEncoding('utf8').on('data', onOutput);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rack-gateway ${args.join(' ')} on a terminal did not finish:\n${screen}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code: code ?? (signal ? 128 : 1), screen });
    });
  });
}
