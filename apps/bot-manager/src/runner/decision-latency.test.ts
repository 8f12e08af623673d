// The latency p99 forgets what is older than its window (the start-up burst), and the ring bounds what it keeps.
import { describe, expect, it } from 'vitest';
import { DecisionLatencies } from './decision-latency.ts';

describe('decision latency p99', () => {
  it('covers only the decisions of the last window', () => {
    const l = new DecisionLatencies(60_000);
    expect(l.p99(0)).toBeNull();
    // A start-up burst of slow decisions...
    for (let i = 0; i < 500; i++) l.record(800, 1000 + i);
    expect(l.p99(2000)).toBe(800);
    // ...then, over a minute later, a steady stream of fast ones: the burst is out of the window.
    for (let i = 0; i < 200; i++) l.record(2 + (i % 3), 70_000 + i * 10);
    expect(l.decisions).toBe(700);
    expect(l.p99(72_000)).toBe(4);
    // Nothing in the last minute.
    expect(l.p99(200_000)).toBeNull();
  });

  it('keeps at most its ring of samples, newest first', () => {
    const l = new DecisionLatencies(60_000);
    for (let i = 0; i < 3000; i++) l.record(1000, 10_000);
    // 5,000 fast decisions in the same millisecond push every slow one out of the 4,096-sample ring.
    for (let i = 0; i < 5000; i++) l.record(1, 10_000);
    expect(l.decisions).toBe(8000);
    expect(l.p99(10_000)).toBe(1);
  });
});
