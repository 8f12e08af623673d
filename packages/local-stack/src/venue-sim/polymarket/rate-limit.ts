// Polymarket's per-signer trading rate limits as the docs ("CLOB Trading Rate Limits") describe them: each signer has
// an order bucket (POST /order: 1 token) and a cancel bucket (DELETE /order: 1; /cancel-all: 1 + orders cancelled),
// refilled continuously at the tier's rate up to its burst. Every evaluated response carries
// Poly-RateLimit-Remaining / -Reset (unix seconds when enough tokens are expected) / -Tier; a request without
// enough tokens is refused with 429 and Retry-After (whole seconds, rounded up). Standard tier by default: orders
// 40/s burst 60, cancels 80/s burst 120; `POST /_sim/polymarket/rate-limit` sets other figures for tests.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendJson } from './http.ts';

export type Bucket = 'order' | 'cancel';

export const RateLimitConfigSchema = z.object({
  tier: z.string().default('standard'),
  orderPerSecond: z.number().positive().default(40),
  orderBurst: z.number().positive().default(60),
  cancelPerSecond: z.number().positive().default(80),
  cancelBurst: z.number().positive().default(120),
});
export type RateLimitConfig = z.infer<typeof RateLimitConfigSchema>;

export interface RateLimitAnswer {
  ok: boolean;
  headers: Record<string, string>;
}

export class SignerRateLimits {
  private config: RateLimitConfig = RateLimitConfigSchema.parse({});
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  /** 429 answers given, per bucket (tests assert no storm). */
  readonly refused: Record<Bucket, number> = { order: 0, cancel: 0 };

  configure(config: RateLimitConfig): void {
    this.config = config;
    this.buckets.clear();
  }

  private limits(bucket: Bucket): { rate: number; burst: number } {
    return bucket === 'order'
      ? { rate: this.config.orderPerSecond, burst: this.config.orderBurst }
      : { rate: this.config.cancelPerSecond, burst: this.config.cancelBurst };
  }

  /** Takes `cost` tokens from the signer's bucket if it holds them; the headers to send either way. */
  take(signer: string, bucket: Bucket, cost: number, nowMs: number): RateLimitAnswer {
    const { rate, burst } = this.limits(bucket);
    const key = `${signer.toLowerCase()}|${bucket}`;
    const b = this.buckets.get(key) ?? { tokens: burst, atMs: nowMs };
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, nowMs - b.atMs) / 1000) * rate);
    b.atMs = nowMs;
    this.buckets.set(key, b);
    const ok = b.tokens + 1e-9 >= cost;
    if (ok) b.tokens -= cost;
    else this.refused[bucket]++;
    // Refused: when enough tokens are expected for this request. Admitted: when the next one-token request can pass
    // (now while tokens are left) — the docs allow any time up to then for an admitted request.
    const waitS = Math.max(0, ((ok ? 1 : cost) - b.tokens) / rate);
    const headers: Record<string, string> = {
      'Poly-RateLimit-Remaining': String(Math.floor(b.tokens)),
      'Poly-RateLimit-Reset': String(Math.ceil(nowMs / 1000 + waitS)),
      'Poly-RateLimit-Tier': this.config.tier,
    };
    if (!ok) headers['Retry-After'] = String(Math.max(1, Math.ceil(waitS)));
    return { ok, headers };
  }

  /** What a request costs once its outcome is known (/cancel-all: one more per order cancelled; may go negative). */
  charge(signer: string, bucket: Bucket, cost: number): void {
    const b = this.buckets.get(`${signer.toLowerCase()}|${bucket}`);
    if (b) b.tokens -= cost;
  }
}

/** Takes the request's token; sets the headers; answers 429 (and false) when the bucket cannot pay. */
export function admitted(
  limits: SignerRateLimits,
  nowMs: number,
  res: ServerResponse,
  signer: string,
  bucket: Bucket,
): boolean {
  const answer = limits.take(signer, bucket, 1, nowMs);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (!answer.ok) sendJson(res, 429, { error: 'Too Many Requests' });
  return answer.ok;
}
