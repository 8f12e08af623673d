// The runner's own deadline (issue 15). A manager holds a user only while its lease on the user's shard is live; it
// hands the runner a deadline on the machine's monotonic clock (init `leaseUntil`) and extends it (`lease` messages)
// after each successful renewal. A manager that froze (SIGSTOP), lost its database, or was fenced stops extending,
// and another manager may take the user over once the lease expires — so the runner must have stopped by itself
// before then: no order leaves once the deadline has passed (checked right before each order, paper too), and at the
// deadline the runner stops trading, cancels its live venues' resting orders and exits (runner/main.ts).
import { monotonicMs } from '../shared/monotonic.ts';

/** setTimeout's longest delay (a longer one fires at once): a far deadline is waited for in steps of this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LeaseGuardOptions {
  /** The first deadline (init `leaseUntil`), monotonicMs(). */
  until: number;
  /** Called once, when the deadline passes without an extension. */
  onExpired: () => void;
  /** The clock (tests inject one); the monotonic clock shared with the manager by default. */
  now?: () => number;
}

export class LeaseGuard {
  private until: number;
  private timer: NodeJS.Timeout | null = null;
  private expired = false;
  private readonly now: () => number;
  private readonly onExpired: () => void;

  constructor(opts: LeaseGuardOptions) {
    this.until = opts.until;
    this.now = opts.now ?? monotonicMs;
    this.onExpired = opts.onExpired;
    this.arm();
  }

  /** The deadline now (monotonicMs()). */
  get deadline(): number {
    return this.until;
  }

  /**
   * A later deadline from the manager. Only ever forward (a message overtaken by a newer one changes nothing), and
   * never after expiry: a runner that stopped trading does not start again (its manager starts a new one).
   */
  extend(until: number): void {
    if (this.expired || until <= this.until) return;
    this.until = until;
    this.arm();
  }

  /** Whether an order may leave now: strictly before the deadline, and never once it has expired. */
  canTrade(): boolean {
    return !this.expired && this.now() < this.until;
  }

  /** The words a refused order and the log carry. */
  refusal(): string {
    return 'the lease from the bot manager expired (the manager went silent or lost this user): no order sent';
  }

  /** No more timer (the runner stops for another reason). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A timer at the deadline; always asynchronous, so onExpired never runs inside the constructor or extend(). */
  private arm(): void {
    this.stop();
    const left = Math.max(0, this.until - this.now());
    // A far deadline (no lease: NO_LEASE_DEADLINE) is checked again in steps; it never fires early.
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (this.now() >= this.until) this.expire();
        else this.arm();
      },
      Math.min(left, MAX_TIMER_MS),
    );
    this.timer.unref();
  }

  private expire(): void {
    if (this.expired) return;
    this.expired = true;
    this.onExpired();
  }
}
