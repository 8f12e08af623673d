import { expect, test } from 'vitest';
import { polymarketRedeemHowTo, REDEEM_POLYMARKET_HOWTO } from './redeem.ts';

test('the redeem how-to names the amount and the market, then the steps', () => {
  const text = polymarketRedeemHowTo(12.5, 'Will it rain?');
  expect(text.startsWith('You have $12.50 to collect from "Will it rain?".')).toBe(true);
  expect(text.endsWith(REDEEM_POLYMARKET_HOWTO)).toBe(true);
  expect(polymarketRedeemHowTo(1, null)).toContain('from this market');
});
