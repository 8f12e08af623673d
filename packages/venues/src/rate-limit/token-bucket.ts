// Client-side rate limiting: a token bucket keeps us below a venue's documented limit with headroom, so
// bursts queue locally instead of earning 429s (and bans) from the venue.

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
}

interface Waiter {
  cost: number;
  resolve: () => void;
}

export class TokenBucket {
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private tokens: number;
  private lastRefill: number;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.capacity > 0) || !(opts.refillPerSecond > 0)) {
      throw new Error(
        `TokenBucket: capacity and refillPerSecond must be positive (got ${opts.capacity}, ${opts.refillPerSecond})`,
      );
    }
    this.capacity = opts.capacity;
    this.refillPerMs = opts.refillPerSecond / 1000;
    this.tokens = opts.capacity;
    this.lastRefill = Date.now();
  }

  /** Resolves once `cost` tokens were taken. Waiters are served strictly in order (FIFO) so nobody starves. */
  take(cost = 1): Promise<void> {
    if (!(cost > 0) || cost > this.capacity) {
      return Promise.reject(new Error(`TokenBucket: cost ${cost} outside (0, ${this.capacity}]`));
    }
    this.refill();
    if (this.queue.length === 0 && this.tokens >= cost) {
      this.tokens -= cost;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push({ cost, resolve });
      this.schedule();
    });
  }

  /** Tokens available right now (for metrics and tests). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = Date.now();
    const elapsed = now - this.lastRefill;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerMs);
      this.lastRefill = now;
    }
  }

  private drain(): void {
    this.timer = null;
    this.refill();
    for (let head = this.queue[0]; head !== undefined && this.tokens >= head.cost; head = this.queue[0]) {
      this.tokens -= head.cost;
      this.queue.shift();
      head.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    const head = this.queue[0];
    if (head === undefined || this.timer !== null) return;
    const waitMs = Math.max(1, Math.ceil((head.cost - this.tokens) / this.refillPerMs));
    this.timer = setTimeout(() => this.drain(), waitMs);
    // A pending take() must not keep a shutting-down process alive on its own.
    this.timer.unref();
  }
}
