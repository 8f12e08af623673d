// Kalshi's per-key limits (its API tiers: Basic 20 reads/s and 10 writes/s; orders and cancels are writes), as token
// buckets of one second's worth. A request past them is refused with 429 and Kalshi's error envelope, before it is
// processed. `POST /_sim/kalshi/rate-limit {reads_per_second, writes_per_second}` sets another tier's figures.
import { z } from 'zod';

export const KalshiRateLimitBody = z.object({
  reads_per_second: z.number().positive().default(20),
  writes_per_second: z.number().positive().default(10),
});
export type KalshiRateLimitConfig = z.infer<typeof KalshiRateLimitBody>;

export class KeyRateLimits {
  private config: KalshiRateLimitConfig = KalshiRateLimitBody.parse({});
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  /** 429 answers given (tests assert no storm). */
  readonly refused = { read: 0, write: 0 };

  configure(config: KalshiRateLimitConfig): void {
    this.config = config;
    this.buckets.clear();
  }

  /** Takes one token of the key's read or write bucket; false (and counted) when it holds none. */
  take(keyId: string, kind: 'read' | 'write', nowMs: number): boolean {
    const rate = kind === 'read' ? this.config.reads_per_second : this.config.writes_per_second;
    const key = `${keyId}|${kind}`;
    const b = this.buckets.get(key) ?? { tokens: rate, atMs: nowMs };
    b.tokens = Math.min(rate, b.tokens + (Math.max(0, nowMs - b.atMs) / 1000) * rate);
    b.atMs = nowMs;
    this.buckets.set(key, b);
    if (b.tokens + 1e-9 < 1) {
      this.refused[kind]++;
      return false;
    }
    b.tokens -= 1;
    return true;
  }
}
