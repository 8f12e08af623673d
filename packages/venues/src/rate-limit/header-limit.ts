// Rate limits the venue tells us about, on top of our own TokenBucket: a venue's per-key budget can be smaller than
// our default (a lower tier, other clients on the same key), and only its answers say so.
//
// Polymarket (docs "CLOB Trading Rate Limits", per signer, separate order and cancel buckets): every evaluated
// response carries `Poly-RateLimit-Remaining` (tokens left, may be negative after cancel-all), `Poly-RateLimit-Reset`
// (unix seconds: when enough tokens are expected for the request — not when the bucket is full; may be "now"),
// `Poly-RateLimit-Tier` (e.g. `standard`) and, during the warning period, `Poly-RateLimit-Warning: true` (the
// request would have been refused). Over the limit: 429 with `Retry-After` (seconds). Kalshi: 429, `Retry-After`
// when present. Both read by `observe`; `wait` holds the next request until the venue said it may go.

export interface RateLimitState {
  remaining: number | null;
  /** Epoch ms from Poly-RateLimit-Reset. */
  resetAtMs: number | null;
  tier: string | null;
  /** Responses that carried Poly-RateLimit-Warning: true (would have been refused under enforcement). */
  warnings: number;
  /** 429 answers seen. */
  refused: number;
}

type HeaderBag = Record<string, unknown> | { get(name: string): unknown } | undefined | null;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  const getter = (headers as { get?: unknown }).get;
  const raw: unknown =
    typeof getter === 'function'
      ? (getter as (n: string) => unknown).call(headers, name)
      : ((headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()]);
  if (raw === undefined || raw === null) return null;
  const s = (Array.isArray(raw) ? String(raw[0]) : String(raw)).trim();
  return s === '' ? null : s;
}

const num = (s: string | null): number | null => {
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

/** Retry-After in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(headers: HeaderBag, nowMs = Date.now()): number | null {
  const v = header(headers, 'Retry-After');
  if (v === null) return null;
  const seconds = num(v);
  if (seconds !== null) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export class HeaderRateLimiter {
  private blockedUntilMs = 0;
  readonly state: RateLimitState = { remaining: null, resetAtMs: null, tier: null, warnings: 0, refused: 0 };

  /** @param maxWaitMs a header asking for a longer wait is capped here (a clock skew must not freeze trading). */
  constructor(private readonly opts: { maxWaitMs?: number; now?: () => number } = {}) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Reads one response's rate-limit headers (any status). */
  observe(status: number | undefined, headers: HeaderBag): void {
    const now = this.now();
    const remaining = num(header(headers, 'Poly-RateLimit-Remaining'));
    const reset = num(header(headers, 'Poly-RateLimit-Reset'));
    const tier = header(headers, 'Poly-RateLimit-Tier');
    if (remaining !== null) this.state.remaining = remaining;
    if (reset !== null) this.state.resetAtMs = reset * 1000;
    if (tier !== null) this.state.tier = tier;
    if (header(headers, 'Poly-RateLimit-Warning')?.toLowerCase() === 'true') this.state.warnings++;
    let until = 0;
    if (status === 429) {
      this.state.refused++;
      const after = retryAfterMs(headers, now);
      // Without Retry-After: the reset, else one second (never a retry storm).
      until = after !== null ? now + after : reset !== null ? reset * 1000 : now + 1000;
    } else if (remaining !== null && remaining < 1 && reset !== null) {
      // The bucket is empty: the next request would be refused before the reset.
      until = reset * 1000;
    }
    const cap = now + (this.opts.maxWaitMs ?? 60_000);
    this.blockedUntilMs = Math.max(this.blockedUntilMs, Math.min(until, cap));
  }

  /** How long the next request must wait, per the venue's last word. */
  waitMs(): number {
    return Math.max(0, this.blockedUntilMs - this.now());
  }

  async wait(): Promise<void> {
    for (let ms = this.waitMs(); ms > 0; ms = this.waitMs()) await new Promise((r) => setTimeout(r, ms));
  }
}
