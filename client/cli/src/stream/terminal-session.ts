import type { GatewayClient } from '../http/gateway-client';
import { runConvoxSocket } from './convox-socket';

/**
 * An interactive exec over the websocket: the local terminal goes raw so keystrokes (Ctrl-C included)
 * reach the remote process, the window size travels as Height/Width headers (Convox has no resize
 * message), and the remote exit code comes back. Without a TTY, `Tty: false` asks for plain pipes.
 */
export async function runTerminalSession(
  client: GatewayClient,
  convoxPath: string,
  headers: Record<string, string | number | boolean | undefined>,
): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const interactive = Boolean(stdin.isTTY);
  const size = stdout.isTTY ? { Height: stdout.rows, Width: stdout.columns } : {};
  try {
    const code = await runConvoxSocket(client, convoxPath, {
      headers: { ...headers, ...size, Tty: interactive },
      input: stdin,
      output: stdout,
      exitMarker: true,
      // Raw only once the stream is open: an MFA prompt before it needs a line-edited terminal.
      onOpen: () => {
        if (interactive) stdin.setRawMode(true);
      },
    });
    return code ?? 0;
  } finally {
    if (interactive) stdin.setRawMode(false);
    stdin.pause();
  }
}
