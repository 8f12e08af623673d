import type { Opportunity } from '@polybot/schemas';
import { expect, test } from 'vitest';
import { TradingRouter } from './trading-router.ts';

const urls = { polymarketClob: 'http://clob.invalid', polymarketGamma: 'http://gamma.invalid', polymarketWs: '' };
// Only the legs' venues matter to routing.
const crossVenue = {
  legs: [{ venue: 'polymarket' }, { venue: 'kalshi' }],
} as unknown as Opportunity;

test('with no key at all, paper routes every leg of both venues to the paper accounts; live is refused', async () => {
  const router = new TradingRouter(new Map(), {}, [], urls);
  const paper = await router.route('paper', crossVenue);
  expect(paper.ok).toBe(true);
  if (!paper.ok) return;
  expect(paper.tradingFor('polymarket')).toBeDefined();
  expect(paper.tradingFor('kalshi')).toBeDefined();
  expect(paper.tradingFor('kalshi')).not.toBe(paper.tradingFor('polymarket'));
  expect(await router.route('live', crossVenue)).toEqual({
    ok: false,
    reason: 'live mode: no validated live polymarket key for the polymarket leg',
  });
});
