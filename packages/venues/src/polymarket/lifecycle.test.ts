import { expect, test } from 'vitest';
import { parseMarketState } from './lifecycle.ts';

const base = {
  id: '1',
  question: 'Q?',
  conditionId: '0xc1',
  slug: 'q',
  outcomes: '["Yes","No"]',
  clobTokenIds: '["111","222"]',
};

test('resolved only when closed, UMA says resolved, and the outcome prices are there', () => {
  const open = parseMarketState({ ...base, closed: false, acceptingOrders: true, outcomePrices: '["0.52","0.48"]' });
  expect(open).toMatchObject({ closed: false, resolved: false });
  const proposed = parseMarketState({
    ...base,
    closed: true,
    acceptingOrders: false,
    outcomePrices: '["1","0"]',
    umaResolutionStatus: 'proposed',
  });
  expect(proposed).toMatchObject({ closed: true, resolved: false });
  const resolved = parseMarketState({
    ...base,
    closed: true,
    acceptingOrders: false,
    outcomePrices: '["0.5","0.5"]',
    umaResolutionStatus: 'resolved',
  });
  expect(resolved).toMatchObject({ closed: true, resolved: true, outcomePrices: [0.5, 0.5], tokens: ['111', '222'] });
});
