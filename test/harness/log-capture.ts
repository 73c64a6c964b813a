import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line in memory, so a test can search what the gateway logged. */
export class LogCapture implements DestinationStream {
  private readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  /** Everything logged so far, one JSON object per line. */
  text(): string {
    return this.lines.join('');
  }

  get lineCount(): number {
    return this.lines.length;
  }
}
