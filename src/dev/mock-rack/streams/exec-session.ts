import type { SocketSession } from './socket-session';
import { splitCommandLine } from './command-line';

/** The GUID the CLI looks for to read the exit code (spec §3.4). */
export const EXIT_MARKER = 'F1E49A85-0AD7-4AEF-A618-C249C6E6568D';

export interface ExecTarget {
  /** Shown by commands the mock does not emulate, e.g. `web-6d4f9c7b8-x2k9p`. */
  where: string;
  /** Printed by `env`. */
  env?: string;
}

/**
 * Exec and instance shell: the `Command` header picks the behaviour, then the exit marker goes out as a
 * frame of its own (the CLI parses everything after the colon in that chunk), then EOF.
 */
export async function runExec(session: SocketSession, target: ExecTarget): Promise<void> {
  const command = session.header('Command') ?? '';
  const code = await interpret(session, splitCommandLine(command), command, target);
  await session.write(`${EXIT_MARKER}:${code}\n`);
  session.eof();
}

async function interpret(
  session: SocketSession,
  words: string[],
  line: string,
  target: ExecTarget,
): Promise<number> {
  const [program, ...args] = words;
  if ((program === 'sh' || program === 'bash') && args[0] === '-c') {
    return interpret(session, splitCommandLine(args[1] ?? ''), args[1] ?? '', target);
  }
  switch (program) {
    case 'echo':
      await session.write(`${args.join(' ')}\n`);
      return 0;
    case 'exit':
      return exitCode(args[0]);
    case 'cat':
      return args.length === 0 ? echoStdin(session) : catFiles(session, args);
    case 'env':
      await session.write(`${target.env ?? ''}\n`);
      return 0;
    default:
      await session.write(`mock-rack: ran "${line}" in ${target.where}\n`);
      return 0;
  }
}

/** `exit N` behaves like a shell: N modulo 256, and a non-number is a usage error (2). */
function exitCode(arg: string | undefined): number {
  if (arg === undefined) return 0;
  return /^\d+$/.test(arg) ? Number(arg) % 256 : 2;
}

/** `cat` copies client stdin frames back until the client's empty binary frame. */
async function echoStdin(session: SocketSession): Promise<number> {
  if (session.flag('Disable-Stdin')) return 0;
  let writes: Promise<void> = Promise.resolve();
  session.onInput((chunk) => {
    writes = writes.then(() => session.write(chunk));
  });
  await session.inputEnd();
  await writes;
  return 0;
}

async function catFiles(session: SocketSession, files: string[]): Promise<number> {
  await session.write(files.map((file) => `cat: ${file}: No such file or directory\n`).join(''));
  return 1;
}
