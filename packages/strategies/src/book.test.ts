import { describe, expect, it } from 'vitest';
import { depthWithin, floorToStep, walkAsks, walkBids } from './book.ts';
import { book } from '../test/helpers.ts';

const b = book(
  't',
  [
    [0.4, 100],
    [0.42, 50],
    [0.45, 200],
  ],
  [
    [0.38, 30],
    [0.35, 70],
  ],
);
const fed = { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 } as const;

describe('walkAsks', () => {
  it('walks three levels for 180: 100×0.40 + 50×0.42 + 30×0.45 = 74.5, vwap 74.5/180, worst 0.45', () => {
    const w = walkAsks(b, 180, { type: 'none' });
    expect(w.filled).toBe(180);
    expect(w.notional).toBeCloseTo(74.5, 10);
    expect(w.vwap).toBeCloseTo(74.5 / 180, 12);
    expect(w.worstPrice).toBe(0.45);
    expect(w.slices).toEqual([
      { price: 0.4, size: 100 },
      { price: 0.42, size: 50 },
      { price: 0.45, size: 30 },
    ]);
  });
  it('charges the fee per level: 1.2 + 0.609 + 0.37125 = 2.18025', () => {
    // 100×0.05×0.40×0.60 = 1.2; 50×0.05×0.42×0.58 = 0.609; 30×0.05×0.45×0.55 = 0.37125
    expect(walkAsks(b, 180, fed).fee).toBeCloseTo(2.18025, 10);
  });
  it('stops at the price cap and reports a partial fill: 150 for 61', () => {
    const w = walkAsks(b, 180, { type: 'none' }, 0.42);
    expect(w.filled).toBe(150);
    expect(w.notional).toBeCloseTo(61, 10);
    expect(w.worstPrice).toBe(0.42);
  });
  it('returns what exists when the book is thinner than the request', () => {
    const w = walkAsks(b, 1000, { type: 'none' });
    expect(w.filled).toBe(350);
    expect(w.notional).toBeCloseTo(40 + 21 + 90, 10);
  });
  it('empty book: nothing, vwap null', () => {
    const w = walkAsks(book('e', []), 10, { type: 'none' });
    expect(w).toMatchObject({ filled: 0, notional: 0, vwap: null, worstPrice: null });
  });
});

describe('walkBids / depth / lots', () => {
  it('sells 50 into bids: 30×0.38 + 20×0.35 = 18.4', () => {
    const w = walkBids(b, 50, { type: 'none' });
    expect(w.notional).toBeCloseTo(18.4, 10);
    expect(w.worstPrice).toBe(0.35);
  });
  it('sell limit 0.36 takes only the 0.38 level', () => {
    expect(walkBids(b, 50, { type: 'none' }, 0.36).filled).toBe(30);
  });
  it('depth within a cap counts whole levels at or better than the cap', () => {
    expect(depthWithin(b.asks, 'buy', 0.42)).toBe(150);
    expect(depthWithin(b.asks, 'buy', 0.39)).toBe(0);
    expect(depthWithin(b.bids, 'sell', 0.35)).toBe(100);
  });
  it('floors sizes to the lot without float noise', () => {
    expect(floorToStep(12.349, 0.01)).toBe(12.34);
    expect(floorToStep(7.99, 1)).toBe(7);
    expect(floorToStep(0.29, 0.01)).toBe(0.29);
  });
});
