import { expect, test } from 'vitest';
import { parseMarketState } from './lifecycle.ts';

test('a Kalshi market is decided from `determined` on with a result; settlement value in cents either way', () => {
  expect(parseMarketState({ ticker: 'T', status: 'active', result: '' })).toMatchObject({
    decided: false,
    closed: false,
  });
  expect(parseMarketState({ ticker: 'T', status: 'closed', result: '' })).toMatchObject({
    decided: false,
    closed: true,
  });
  expect(
    parseMarketState({ ticker: 'T', status: 'determined', result: 'yes', settlement_value_dollars: '1.0000' }),
  ).toMatchObject({ decided: true, result: 'yes', settlementValueCents: 100 });
  expect(parseMarketState({ ticker: 'T', status: 'settled', result: 'no', settlement_value: 0 })).toMatchObject({
    decided: true,
    settlementValueCents: 0,
  });
  expect(parseMarketState({ ticker: 'T', status: 'finalized', result: 'void' })).toMatchObject({
    decided: true,
    result: 'void',
    settlementValueCents: null,
  });
});
