// Public (unauthenticated) JSON GETs against the CLOB and Gamma, rate limited by a token bucket and retried
// with backoff on 429/5xx/network errors. GETs are idempotent, so retrying them is always safe.
import type { TokenBucket } from '../rate-limit/index.ts';
import { isRetryableStatus, withRetry } from '../rate-limit/index.ts';

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface PublicHttpOptions {
  bucket: TokenBucket;
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export function isRetryableError(e: unknown): boolean {
  if (e instanceof HttpError) return e.status === undefined || isRetryableStatus(e.status);
  // fetch rejects with TypeError on connection failures.
  return e instanceof TypeError;
}

export class PublicHttp {
  constructor(private readonly opts: PublicHttpOptions) {}

  async getJson(url: string): Promise<unknown> {
    return withRetry(
      async () => {
        await this.opts.bucket.take();
        const res = await fetch(url, { headers: { accept: 'application/json' } });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the raw text for the error message
        }
        if (!res.ok) {
          const detail =
            typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : text.slice(0, 200);
          throw new HttpError(`GET ${new URL(url).pathname} → ${res.status}: ${detail}`, res.status, body);
        }
        return body;
      },
      {
        retries: this.opts.retries ?? 4,
        baseDelayMs: this.opts.baseDelayMs ?? 200,
        maxDelayMs: this.opts.maxDelayMs ?? 5000,
        isRetryable: isRetryableError,
      },
    );
  }
}
