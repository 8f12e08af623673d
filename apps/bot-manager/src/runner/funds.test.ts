// Money checks: what a basket costs per venue, the words a user reads when an account cannot pay or the venue refuses
// for funds, and the brief cache that keeps a decision from waiting on a balance read each time.
import { classifyRunnerError, type Opportunity } from '@polybot/schemas';
import type { Funds, Trading } from '@polybot/venues';
import { expect, test } from 'vitest';
import { costByVenue, FundsCheck, fundsRefusal, fundsShortfall } from './funds.ts';

const WALLET = '0x1234567890abcdef1234567890abcdef12345678';
const opportunity: Opportunity = {
  id: 'cross:1',
  strategy: 'cross_platform',
  legs: [
    { venue: 'polymarket', instrumentId: 'yes', side: 'buy', size: 10, vwap: 0.4, limitPrice: 0.42, fee: 0.1 },
    { venue: 'kalshi', instrumentId: 'K:no', side: 'buy', size: 10, vwap: 0.5, limitPrice: 0.5, fee: 0.18 },
  ],
  cost: 9.48,
  expectedProfit: 0.52,
  profitPct: 5,
  detectedAtMs: 0,
  description: 'cross',
};

test('each venue needs its legs at their limit prices plus fees', () => {
  const cost = costByVenue(opportunity);
  expect(cost.get('polymarket')).toBeCloseTo(4.3, 9);
  expect(cost.get('kalshi')).toBeCloseTo(5.18, 9);
});

test('too little balance or allowance → words that say whose money, how much, and what to do', () => {
  const poly = (balance: number, allowance: number | null): Funds => ({ account: WALLET, balance, allowance });
  expect(fundsShortfall('polymarket', poly(3.2, null), 8.4)).toBe(
    'Your Polymarket wallet 0x1234…5678 has $3.20 of pUSD and the trade needs $8.40: deposit, or lower Max trade size.',
  );
  expect(fundsShortfall('polymarket', poly(100, 0), 8.4)).toMatch(
    /^Your Polymarket wallet 0x1234…5678 has approved only \$0\.00 of pUSD for trading and the trade needs \$8\.40: enable trading/,
  );
  expect(fundsShortfall('polymarket', poly(100, null), 8.4)).toBeNull();
  expect(fundsShortfall('kalshi', { account: null, balance: 1, allowance: null }, 5.18)).toBe(
    'Your Kalshi account has $1.00 and the trade needs $5.18: deposit, or lower Max trade size.',
  );
});

test("a venue's refusal for funds is recognised in its own words and classified as insufficient_balance", () => {
  const poly = fundsRefusal('polymarket', 'not enough balance / allowance');
  const kalshi = fundsRefusal('kalshi', 'insufficient_balance: insufficient balance for this order');
  expect(poly).toMatch(/deposit pUSD to your Polymarket wallet/);
  expect(kalshi).toMatch(/deposit funds to your Kalshi account/);
  expect(classifyRunnerError(poly ?? '')).toBe('insufficient_balance');
  expect(classifyRunnerError(kalshi ?? '')).toBe('insufficient_balance');
  expect(fundsRefusal('polymarket', "order couldn't be fully filled")).toBeNull();
  expect(fundsRefusal('kalshi', null)).toBeNull();
});

test('balances are read once per venue while fresh, and again after forget() or once stale', async () => {
  let now = 0;
  const reads: string[] = [];
  const client = (venue: 'polymarket' | 'kalshi', balance: () => number): Trading =>
    ({
      venue,
      funds: () => {
        reads.push(venue);
        return Promise.resolve({
          account: venue === 'polymarket' ? WALLET : null,
          balance: balance(),
          allowance: null,
        });
      },
    }) as Trading;
  let polyBalance = 1;
  const clients = { polymarket: client('polymarket', () => polyBalance), kalshi: client('kalshi', () => 100) };
  const check = new FundsCheck({ maxAgeMs: 5_000, now: () => now });
  const verdict = await check.check(opportunity, (v) => clients[v]);
  expect(verdict).toMatchObject({
    ok: false,
    code: 'insufficient_funds',
    reason: expect.stringMatching(/has \$1\.00 of pUSD/) as unknown,
  });
  polyBalance = 50;
  now = 4_999;
  expect((await check.check(opportunity, (v) => clients[v])).ok).toBe(false); // still the cached $1
  now = 5_000;
  expect(await check.check(opportunity, (v) => clients[v])).toEqual({ ok: true });
  check.forget();
  expect(await check.check(opportunity, (v) => clients[v])).toEqual({ ok: true });
  expect(reads).toEqual(['polymarket', 'polymarket', 'kalshi', 'polymarket', 'kalshi']);
});

test('a balance that cannot be read holds the basket (never sent blind) and is asked again next time', async () => {
  let fail = true;
  const client = {
    venue: 'polymarket',
    funds: () =>
      fail
        ? Promise.reject(new Error('socket hang up'))
        : Promise.resolve({ account: WALLET, balance: 100, allowance: null }),
  } as unknown as Trading;
  const kalshi = {
    venue: 'kalshi',
    funds: () => Promise.resolve({ account: null, balance: 100, allowance: null }),
  } as unknown as Trading;
  const check = new FundsCheck();
  const tradingFor = (v: 'polymarket' | 'kalshi'): Trading => (v === 'polymarket' ? client : kalshi);
  expect(await check.check(opportunity, tradingFor)).toEqual({
    ok: false,
    code: 'order_failed',
    reason: 'the Polymarket balance could not be read: socket hang up',
  });
  fail = false;
  expect(await check.check(opportunity, tradingFor)).toEqual({ ok: true });
});
