// Retry with exponential backoff and full jitter. The caller decides what is retryable: an order POST that may
// have reached the venue must NOT be retried blindly (see the adapters' idempotency checks).

export interface RetryOptions {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  isRetryable: (e: unknown) => boolean;
  /** Called before each wait; handy for logging. */
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
}

export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= opts.retries || !opts.isRetryable(e)) throw e;
      const delayMs = backoffDelay(attempt, opts.baseDelayMs, opts.maxDelayMs);
      opts.onRetry?.(e, attempt + 1, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** HTTP statuses worth retrying for idempotent requests: rate limited or the venue's own trouble. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 429 || (status !== undefined && status >= 500 && status <= 599);
}
