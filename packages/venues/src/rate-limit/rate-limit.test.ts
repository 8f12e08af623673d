import { describe, expect, it } from 'vitest';
import { TokenBucket, backoffDelay, withRetry } from './index.ts';

describe('TokenBucket', () => {
  it('serves a burst up to capacity, then makes callers wait for refill in FIFO order', async () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 200 });
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(bucket.available()).toBeLessThan(1);
    const order: number[] = [];
    await Promise.all([bucket.take(2).then(() => order.push(1)), bucket.take(1).then(() => order.push(2))]);
    expect(order).toEqual([1, 2]);
  });

  it('rejects a cost larger than the capacity and bad options', async () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 });
    await expect(bucket.take(3)).rejects.toThrow(/outside/);
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(/positive/);
  });
});

describe('withRetry', () => {
  it('retries retryable failures and returns the eventual result', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('503');
        return 'ok';
      },
      { retries: 5, baseDelayMs: 1, maxDelayMs: 2, isRetryable: () => true },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry a non-retryable failure, and gives up after `retries`', async () => {
    let calls = 0;
    const fail = async (): Promise<never> => {
      calls++;
      throw new Error(`fail ${calls}`);
    };
    await expect(
      withRetry(fail, { retries: 5, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => false }),
    ).rejects.toThrow('fail 1');
    calls = 0;
    await expect(
      withRetry(fail, { retries: 2, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => true }),
    ).rejects.toThrow('fail 3');
  });

  it('caps the backoff at maxDelayMs', () => {
    expect(backoffDelay(10, 100, 500, () => 0.999)).toBeLessThan(500);
    expect(backoffDelay(0, 100, 500, () => 0.5)).toBe(50);
  });
});
