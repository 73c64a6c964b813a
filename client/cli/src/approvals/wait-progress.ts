import ora, { type Ora } from 'ora';
import type { ApprovalRequest } from './approval-request';

/** "45s", "3m05s", "1h02m": the elapsed time shown while waiting. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

/** Plain lines are printed at most this often without a terminal, so CI logs stay short. */
const PLAIN_LINE_EVERY_MS = 30_000;

/**
 * Progress while waiting, on stderr: a spinner with the elapsed time on a terminal; otherwise a line
 * when waiting starts, every 30 s, and on each change of status.
 */
export class WaitProgress {
  private spinner?: Ora;
  private timer?: NodeJS.Timeout;
  private lastLineAt = 0;
  private lastStatus = '';
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly request: ApprovalRequest,
  ) {}

  start(): void {
    const what = `Waiting for approval of ${this.request.id} (${this.request.app} at ${this.request.gitCommit.slice(0, 12)})`;
    this.lastStatus = this.request.status;
    // ora draws only on an interactive terminal (not TERM=dumb, not under CI); otherwise plain lines.
    const spinner: (Ora & { isEnabled?: boolean }) | undefined = this.stream.isTTY
      ? ora({ text: what, stream: this.stream })
      : undefined;
    if (spinner?.isEnabled) {
      this.spinner = spinner.start();
      // The spinner redraws itself; the text is refreshed every second so the elapsed time moves.
      this.timer = setInterval(() => this.refresh(), 1000);
      return;
    }
    this.line(`${what}: ${this.request.status}`);
  }

  update(request: ApprovalRequest, elapsedMs: number): void {
    const changed = request.status !== this.lastStatus;
    this.lastStatus = request.status;
    if (this.spinner) return this.refresh();
    if (changed || elapsedMs - this.lastLineAt >= PLAIN_LINE_EVERY_MS) {
      this.lastLineAt = elapsedMs;
      this.line(`${request.status} after ${formatElapsed(elapsedMs)}`);
    }
  }

  transientFailure(reason: string): void {
    if (this.spinner) this.spinner.text = `${this.spinnerText()} (retrying: ${reason})`;
    else this.line(`poll failed, retrying: ${reason}`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.spinner?.stop();
  }

  private refresh(): void {
    if (this.spinner) this.spinner.text = this.spinnerText();
  }

  private spinnerText(): string {
    return `Waiting for approval of ${this.request.id}: ${this.lastStatus} (${formatElapsed(Date.now() - this.started)})`;
  }

  private line(text: string): void {
    this.stream.write(`${text}\n`);
  }
}
