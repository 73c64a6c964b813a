import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { RackContext } from '../rack-context';
import type { RackRole } from '../http/rack-jwt';

/** How long the mock keeps a socket open after its EOF frame if the client never hangs up. */
const LINGER_AFTER_EOF_MS = 30_000;

/**
 * One websocket conversation with rack framing (spec §3.2): payload goes out as TEXT frames, the end of
 * the stream is an empty BINARY frame (both ways), client text frames are a byte stream (stdin).
 * Like the rack, the mock sends no close frame and leaves hanging up to the client.
 */
export class SocketSession {
  private eofSent = false;
  private pendingInput: Buffer[] = [];
  private inputListener?: (chunk: Buffer) => void;
  private inputEnded = false;
  private readonly inputEndWaiters: (() => void)[] = [];
  readonly closed: Promise<void>;

  constructor(
    readonly ws: WebSocket,
    readonly req: IncomingMessage,
    readonly params: Record<string, string>,
    readonly rack: RackContext,
    readonly role: RackRole,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.endInput();
      else if (this.inputListener) this.inputListener(data);
      else this.pendingInput.push(data);
    });
    ws.once('close', () => this.endInput());
    ws.on('error', () => undefined);
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** True once the EOF frame went out: nothing more may be written. */
  get finished(): boolean {
    return this.eofSent;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Bool headers as the rack reads them: anything but `true`/`false` means "not given". */
  flag(name: string): boolean | undefined {
    const raw = this.header(name)?.toLowerCase();
    return raw === 'true' ? true : raw === 'false' ? false : undefined;
  }

  /** Sends one text frame; resolves once it is handed to the socket (or at once if the client left). */
  write(data: string | Buffer): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => this.ws.send(data, { binary: false }, () => resolve()));
  }

  /** In-band error, as the rack reports everything after the upgrade. */
  async fail(message: string): Promise<void> {
    await this.write(`ERROR: ${message}\n`);
    this.eof();
  }

  eof(): void {
    if (this.eofSent || !this.open) return;
    this.eofSent = true;
    this.ws.send(Buffer.alloc(0), { binary: true });
    const linger = setTimeout(() => this.ws.terminate(), LINGER_AFTER_EOF_MS);
    linger.unref();
    this.ws.once('close', () => clearTimeout(linger));
  }

  /** Delivers client stdin (text frames), including any that arrived before the handler listened. */
  onInput(listener: (chunk: Buffer) => void): void {
    this.inputListener = listener;
    for (const chunk of this.pendingInput.splice(0)) listener(chunk);
  }

  /** Resolves when the client sends its empty binary EOF frame or goes away. */
  inputEnd(): Promise<void> {
    if (this.inputEnded) return Promise.resolve();
    return new Promise((resolve) => this.inputEndWaiters.push(resolve));
  }

  private endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    for (const resolve of this.inputEndWaiters.splice(0)) resolve();
  }
}
