// The LISTEN reconnect schedule: exponential, capped, with equal jitter (half fixed, half random). The end-to-end
// reconnect — a database refusing the listener for a while — is in test/lifecycle.test.ts.
import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './listener.ts';

const BASE = 200;
const MAX = 15_000;

describe('reconnectDelayMs', () => {
  it('doubles with every failed attempt, from half the step (no luck) to the whole step (all luck)', () => {
    const low = [0, 1, 2, 3, 4].map((a) => reconnectDelayMs(a, BASE, MAX, () => 0));
    const high = [0, 1, 2, 3, 4].map((a) => reconnectDelayMs(a, BASE, MAX, () => 1));
    expect(low).toEqual([100, 200, 400, 800, 1600]);
    expect(high).toEqual([200, 400, 800, 1600, 3200]);
  });

  it('stays inside [step / 2, step] whatever the draw, so waits grow even with jitter', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const step = Math.min(MAX, BASE * 2 ** attempt);
      for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
        const d = reconnectDelayMs(attempt, BASE, MAX, () => r);
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      }
      // The slowest draw of the next attempt is never earlier than the fastest of this one, until the cap.
      if (step * 2 <= MAX)
        expect(reconnectDelayMs(attempt + 1, BASE, MAX, () => 0)).toBeGreaterThanOrEqual(
          reconnectDelayMs(attempt, BASE, MAX, () => 1),
        );
    }
  });

  it('is capped at the maximum, and the jitter still spreads capped waits', () => {
    expect(reconnectDelayMs(30, BASE, MAX, () => 1)).toBe(MAX);
    expect(reconnectDelayMs(30, BASE, MAX, () => 0)).toBe(MAX / 2);
    expect(reconnectDelayMs(1000, BASE, MAX, () => 0.5)).toBe(MAX * 0.75);
  });

  it('uses the real random source by default: two managers rarely pick the same wait', () => {
    const draws = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(3, BASE, MAX)));
    expect(draws.size).toBeGreaterThan(40);
    for (const d of draws) expect(d).toBeGreaterThanOrEqual(800);
  });
});
