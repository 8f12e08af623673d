// A light brake on password guessing: after `maxFailures` failed sign-ins for one email within `windowMs`, further
// attempts for that email get GoTrue's 429 `over_request_rate_limit` until the window passes. (Hosted Supabase limits
// sign-ins per IP; per email is what matters on a local stack where every request comes from 127.0.0.1.)
const MAX_TRACKED_EMAILS = 10_000;

export interface SignInLimiterOptions {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: SignInLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  isBlocked(email: string): boolean {
    return this.recent(email).length >= this.options.maxFailures;
  }

  recordFailure(email: string): void {
    const key = email.toLowerCase();
    // Bounded memory even if someone sprays random addresses: drop the oldest-inserted entry.
    if (!this.failures.has(key) && this.failures.size >= MAX_TRACKED_EMAILS) {
      const oldest = this.failures.keys().next();
      if (!oldest.done) this.failures.delete(oldest.value);
    }
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  recordSuccess(email: string): void {
    this.failures.delete(email.toLowerCase());
  }

  private recent(email: string): number[] {
    const key = email.toLowerCase();
    const cutoff = this.now() - this.options.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
