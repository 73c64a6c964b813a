const WINDOW_MS = 60_000;
/** Past this many tracked addresses, idle ones are swept every second rather than once a window. */
const SWEEP_THRESHOLD = 50_000;

interface AddressWindow {
  startedAt: number;
  refusals: number;
  blockedUntil: number;
  /** A lookup of an unknown credential from this (blocked) address is running. */
  probing: boolean;
}

/**
 * Refusals per client address in fixed one-minute windows, entirely in memory and synchronous: the
 * decision to answer 429 never waits for anything. Going over the budget blocks the address for a minute.
 * While blocked, an address may still have one credential the gateway has not seen looked up at a time
 * (`probe`), and only a few such lookups run at once across all addresses, so a valid credential from a
 * shared address still gets through while a flood of guesses cannot reach the database in parallel.
 */
export class AddressBudget {
  private readonly windows = new Map<string, AddressWindow>();
  private probes = 0;
  private lastSweep: number;

  constructor(
    private readonly perMinute: number,
    private readonly maxProbes = 4,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  /** Seconds until `address` may be refused with 401 again; 0 when it is not blocked. */
  blockedFor(address: string): number {
    const window = this.windows.get(address);
    const now = this.now();
    return window && window.blockedUntil > now ? Math.ceil((window.blockedUntil - now) / 1000) : 0;
  }

  /** Counts one refusal. Returns the seconds to wait when this refusal is over budget, else 0. */
  refuse(address: string): number {
    const now = this.now();
    this.sweep(now);
    const window = this.windowOf(address, now);
    if (window.blockedUntil > now) return Math.ceil((window.blockedUntil - now) / 1000);
    window.refusals += 1;
    if (window.refusals <= this.perMinute) return 0;
    window.blockedUntil = now + WINDOW_MS;
    return WINDOW_MS / 1000;
  }

  /** A slot for one lookup from a blocked address, or undefined when its slot or all slots are taken. */
  probe(address: string): (() => void) | undefined {
    const window = this.windows.get(address);
    if (!window || window.probing || this.probes >= this.maxProbes) return undefined;
    window.probing = true;
    this.probes += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      window.probing = false;
      this.probes -= 1;
    };
  }

  private windowOf(address: string, now: number): AddressWindow {
    let window = this.windows.get(address);
    if (!window) {
      window = { startedAt: now, refusals: 0, blockedUntil: 0, probing: false };
      this.windows.set(address, window);
    } else if (now - window.startedAt >= WINDOW_MS) {
      window.startedAt = now;
      window.refusals = 0;
    }
    return window;
  }

  /** Forgets addresses whose window and block are over, so memory follows the addresses of the last minute. */
  private sweep(now: number): void {
    const interval = this.windows.size >= SWEEP_THRESHOLD ? 1000 : WINDOW_MS;
    if (now - this.lastSweep < interval) return;
    this.lastSweep = now;
    for (const [address, window] of this.windows) {
      if (now - window.startedAt >= WINDOW_MS && window.blockedUntil <= now && !window.probing) {
        this.windows.delete(address);
      }
    }
  }
}
