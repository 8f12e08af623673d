// The throttle a runner over its CPU budget is put under (IPC `throttle`, sent by manager/cpu-budget.ts;
// docs/SECURITY.md §7.2): for `forMs` it makes no decisions, because a runner's CPU goes to pricing books and news
// rules. Only decisions stop: books are still stored, heartbeats, venue heartbeats and reconciliation go on, so
// nothing is suspended that a live account or the manager's watchdogs depend on. When the throttle ends, `ended` runs
// and the runner prices what changed meanwhile (a quiet venue may never send that book again).
// Its own module so the guard can be tested with a clock the test moves (runner-throttle.test.ts).

/** The time source and timer of a throttle: the real ones, or a test's. */
export interface ThrottleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export class DecisionThrottle {
  private until = 0;
  private timer: unknown = null;
  /** Pricings (a book update, a look at what waited) put off by the throttle since the runner started. */
  skipped = 0;

  constructor(
    private readonly ended: () => void,
    private readonly clock: ThrottleClock = realClock,
  ) {}

  /** No decisions for `forMs` from now; a new throttle replaces one still running (the manager sends each window's). */
  hold(forMs: number): void {
    this.until = this.clock.now() + forMs;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      // Over when its timer fires, even if the clock reads a millisecond short of `until` (timers may fire early by
      // the clock's rounding): otherwise what waited would stay unpriced until the next book.
      this.until = 0;
      this.ended();
    }, forMs);
  }

  get active(): boolean {
    return this.clock.now() < this.until;
  }

  /** Whether a pricing due now must wait for the throttle's end (and it is counted). */
  defers(): boolean {
    if (!this.active) return false;
    this.skipped++;
    return true;
  }

  /** The runner stops: nothing is priced any more, so the end is not waited for. */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
