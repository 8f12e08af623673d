import { describe, expect, it } from 'vitest';
import { takerFeeCents } from './fees.ts';

describe('takerFeeCents', () => {
  it('rounds 0.07 × C × P × (1 − P) up to the cent, once per order', () => {
    expect(takerFeeCents([{ priceCents: 50, countHundredths: 100 }])).toBe(2); // 1.75¢
    expect(takerFeeCents([{ priceCents: 50, countHundredths: 10_000 }])).toBe(175);
    expect(takerFeeCents([{ priceCents: 10, countHundredths: 100 }])).toBe(1); // 0.63¢
    // one rounding for the order: 3 × 0.63¢ = 1.89¢ → 2¢ (per-level rounding would give 3¢)
    expect(takerFeeCents([10, 10, 10].map((p) => ({ priceCents: p, countHundredths: 100 })))).toBe(2); // 1.89¢
    expect(takerFeeCents([{ priceCents: 50, countHundredths: 100 }], 0)).toBe(0);
  });
});
