import { setTimeout as sleep } from 'node:timers/promises';
import type { MockRack, RecordedRequest } from '../../src/dev/mock-rack';

/**
 * Looks at the mock rack behind the gateway's back: what requests reached it and what state it holds, so
 * the tests prove what the CLI made the gateway forward rather than trusting the CLI's own output.
 */
export class RackInspector {
  constructor(private readonly rack: MockRack) {}

  /** Requests that reached the rack since `mark()` (matched routes only). */
  since(mark: number): RecordedRequest[] {
    return this.rack.requests.slice(mark).filter((r) => r.matched);
  }

  mark(): number {
    return this.rack.requests.length;
  }

  /** `METHOD /path` of each request since `mark`, in order. */
  calls(mark: number): string[] {
    return this.since(mark).map((r) => `${r.method} ${r.path}`);
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.rack.url}${path}`, {
      headers: { authorization: `Basic ${Buffer.from(`convox:${this.rack.password}`).toString('base64')}` },
    });
    if (!response.ok) throw new Error(`mock rack GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  }

  /** Waits until the app's rollout is over, so the next promote is not refused as "updating". */
  async untilRunning(app: string): Promise<{ release: string }> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const current = await this.get<{ status: string; release: string }>(`/apps/${app}`);
      if (current.status === 'running') return current;
      await sleep(50);
    }
    throw new Error(`app ${app} never became running`);
  }
}
