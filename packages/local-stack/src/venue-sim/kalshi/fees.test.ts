import { describe, expect, it } from 'vitest';
import { takerFeeCents } from './fees.ts';

describe('takerFeeCents', () => {
  it('rounds 0.07 × C × P × (1 − P) up to the cent', () => {
    expect(takerFeeCents(50, 100)).toBe(2); // 1.75¢
    expect(takerFeeCents(50, 10_000)).toBe(175);
    expect(takerFeeCents(10, 100)).toBe(1); // 0.63¢
    expect(takerFeeCents(85, 12_000)).toBe(108); // 107.1¢
    expect(takerFeeCents(1, 100)).toBe(1); // 0.0693¢
    expect(takerFeeCents(50, 100, 0)).toBe(0);
  });
});
