import { expect, it } from 'vitest';
import { venuesStayingPaper, type LiveKeyState } from './live-readiness.ts';

const key = (
  platform: LiveKeyState['platform'],
  validation_status: LiveKeyState['validation_status'],
  is_paper = false,
) => ({
  platform,
  is_paper,
  is_active: true,
  validation_status,
});
const both = { polymarket: true, kalshi: true };

it('a venue goes live only with a validated live key and a plan with live; otherwise it says why it stays paper', () => {
  expect(venuesStayingPaper(both, true, [key('polymarket', 'valid'), key('kalshi', 'valid')])).toEqual([]);
  expect(venuesStayingPaper(both, true, [key('polymarket', 'valid', true), key('kalshi', 'invalid')])).toEqual([
    { venue: 'polymarket', why: 'no live Polymarket key saved' },
    { venue: 'kalshi', why: 'Kalshi rejected your live key' },
  ]);
  expect(venuesStayingPaper({ polymarket: true, kalshi: false }, true, [key('polymarket', 'pending')])).toEqual([
    { venue: 'polymarket', why: 'your live Polymarket key is not checked with Polymarket yet' },
  ]);
  expect(venuesStayingPaper({ polymarket: true, kalshi: false }, false, [key('polymarket', 'valid')])).toEqual([
    { venue: 'polymarket', why: 'your plan does not include live trading' },
  ]);
});
