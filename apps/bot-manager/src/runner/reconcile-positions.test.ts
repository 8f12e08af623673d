import { expect, test } from 'vitest';
import { differenceWords, positionDifferences } from './reconcile-positions.ts';

test('differences beyond the dust, per venue, in a stable order', () => {
  const booked = [
    { venue: 'polymarket' as const, instrumentId: 'b', size: 10 },
    { venue: 'polymarket' as const, instrumentId: 'a', size: 2 },
    { venue: 'kalshi' as const, instrumentId: 'K-1', size: 3 },
  ];
  const atVenue = [
    { venue: 'polymarket' as const, instrumentId: 'a', size: 2.0000001, averagePrice: 0.4 },
    { venue: 'polymarket' as const, instrumentId: 'b', size: 12, averagePrice: 0.4 },
    { venue: 'polymarket' as const, instrumentId: 'c', size: 1, averagePrice: 0.4 },
  ];
  const d = positionDifferences('polymarket', booked, atVenue);
  expect(d).toEqual([
    { venue: 'polymarket', instrumentId: 'b', booked: 10, atVenue: 12 },
    { venue: 'polymarket', instrumentId: 'c', booked: 0, atVenue: 1 },
  ]);
  expect(differenceWords(d)).toBe(
    'Your Polymarket account holds 12.00 of b where PolyBot booked 10.00 (and 1 more): a trade made outside PolyBot ' +
      'on this account? PolyBot manages only what it booked; use a separate account for manual trading.',
  );
  // Kalshi booked 3, the venue holds none: a difference too.
  expect(positionDifferences('kalshi', booked, [])).toEqual([
    { venue: 'kalshi', instrumentId: 'K-1', booked: 3, atVenue: 0 },
  ]);
  expect(differenceWords([])).toBe('');
});
