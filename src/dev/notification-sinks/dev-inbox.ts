/** One message a development sink received: what it was sent as, and its content in readable form. */
export interface ReceivedMessage {
  channel: 'slack' | 'webhook' | 'email';
  receivedAt: string;
  /** One line for the console. */
  summary: string;
  /** Slack: the Block Kit JSON; webhook: `{verdict, headers, body}`; email: `{from, to, subject, text}`. */
  content: unknown;
}

const KEEP = 200;

/**
 * What the development stack's mock Slack, webhook receiver and SMTP server received, newest first, kept
 * in memory for the sink's web page and for tests; each arrival is also printed.
 */
export class DevInbox {
  private readonly messages: ReceivedMessage[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly print: (line: string) => void = () => undefined) {}

  add(message: Omit<ReceivedMessage, 'receivedAt'>): void {
    const received = { ...message, receivedAt: new Date().toISOString() };
    this.messages.unshift(received);
    this.messages.length = Math.min(this.messages.length, KEEP);
    this.print(`[${message.channel}] ${message.summary}`);
    for (const wake of this.waiters) wake();
  }

  list(channel?: ReceivedMessage['channel']): ReceivedMessage[] {
    return this.messages.filter((m) => !channel || m.channel === channel);
  }

  /** Resolves with the first message (newest first) that `match` accepts, waiting up to `timeoutMs`. */
  async waitFor(match: (message: ReceivedMessage) => boolean, timeoutMs = 30_000): Promise<ReceivedMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching notification arrived in time');
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }
}
