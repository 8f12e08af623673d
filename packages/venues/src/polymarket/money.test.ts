// Money on Polymarket, through the real clob-client-v2 against the simulator: fees on a two-leg arbitrage leave both
// legs with the same shares (CLOB V2 charges the taker fee in pUSD on top, as the SDK's adjustBuyAmountForFees
// assumes), paper agrees with live to the micro-dollar, the P&L model values the pair as complete sets; balance and
// allowance of the paying wallet are read, and an order beyond them is refused in the venue's words; the per-signer
// Poly-RateLimit-* headers and 429 + Retry-After are honoured (a burst never becomes a 429 storm).
import { adjustBuyAmountForFees } from '@polymarket/clob-client-v2';
import {
  fee,
  valueOpenPositions,
  type FeeSchedule,
  type Opportunity,
  type OrderRequest,
  type PnlPosition,
} from '@polybot/schemas';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BTC_DOWN,
  BTC_UP,
  marketDataFor,
  simControl,
  startPolymarketSim,
  type VenueSim,
} from '../../test/polymarket-sim.ts';
import { executeArbitrage } from '../paper/execute-arbitrage.ts';
import { PaperTrading } from '../paper/paper-trading.ts';
import { TokenBucket } from '../rate-limit/index.ts';
import { PolymarketTrading } from './trading.ts';

// The arb-rich BTC Up/Down market: asks 0.47 and 0.48, taker fee rate 0.25, exponent 2.
const BTC_FEES: FeeSchedule = { type: 'polymarket', rate: 0.25, exponent: 2, takerOnly: true, rebateRate: 0 };
const SIZE = 20;

function arbitrage(): Opportunity {
  const legs = [
    { instrumentId: BTC_UP, price: 0.47 },
    { instrumentId: BTC_DOWN, price: 0.48 },
  ].map(({ instrumentId, price }) => ({
    venue: 'polymarket' as const,
    instrumentId,
    side: 'buy' as const,
    size: SIZE,
    vwap: price,
    limitPrice: price,
    fee: fee(BTC_FEES, SIZE, price),
  }));
  const cost = legs.reduce((s, l) => s + l.limitPrice * l.size + l.fee, 0);
  return {
    id: 'money-test:btc-up-down',
    strategy: 'single_platform',
    legs,
    cost,
    expectedProfit: SIZE - cost,
    profitPct: ((SIZE - cost) / cost) * 100,
    detectedAtMs: 0,
    description: 'BTC Up + Down',
  };
}

const buy = (clientOrderId: string, size = 5): OrderRequest => ({
  venue: 'polymarket',
  instrumentId: BTC_UP,
  side: 'buy',
  limitPrice: 0.47,
  size,
  orderType: 'FOK',
  clientOrderId,
});

describe('Polymarket money checks against the simulator', () => {
  let sim: VenueSim;
  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
  });
  afterAll(async () => {
    await sim.close();
  });

  it('a two-leg arbitrage holds equal shares after fees, live and paper alike, and the P&L model locks its profit', async () => {
    const opportunity = arbitrage();
    const live = await PolymarketTrading.connect({ clobUrl: sim.origin, privateKey: generatePrivateKey() });
    const before = await live.balance();
    const liveRun = await executeArbitrage(live, opportunity, { getBook: (id) => marketDataFor(sim).getBook(id) });
    expect(liveRun.status).toBe('complete');
    const held = await live.positions();
    expect(held.map((p) => p.size)).toEqual([SIZE, SIZE]);
    const liveFees = liveRun.legs.reduce((s, l) => s + (l.result?.fees ?? 0), 0);
    expect(liveFees).toBeCloseTo(
      opportunity.legs.reduce((s, l) => s + l.fee, 0),
      6,
    );
    // The fee is paid in pUSD on top of the notional: shares are whole, the balance pays cost + fees.
    expect(before - (await live.balance())).toBeCloseTo(opportunity.cost, 6);

    const books = new Map(
      await Promise.all([BTC_UP, BTC_DOWN].map(async (id) => [id, await marketDataFor(sim).getBook(id)] as const)),
    );
    const paper = new PaperTrading({
      venue: 'polymarket',
      getBook: (id) => books.get(id),
      feeSchedule: () => BTC_FEES,
      initialCash: 1000,
    });
    const paperRun = await executeArbitrage(paper, opportunity, { getBook: (id) => books.get(id) });
    expect(paperRun.status).toBe('complete');
    expect((await paper.positions()).map((p) => p.size)).toEqual([SIZE, SIZE]);
    expect(1000 - (await paper.balance())).toBeCloseTo(opportunity.cost, 6);

    // The P&L model: the two legs are SIZE complete sets, each paying 1 whatever the outcome.
    const positions: PnlPosition[] = liveRun.legs.map((l) => ({
      platform: 'polymarket',
      marketId: 'btc',
      instrumentId: l.leg.instrumentId,
      outcome: l.leg.instrumentId === BTC_UP ? 'Up' : 'Down',
      mode: 'live',
      status: 'open',
      size: l.result?.filledSize ?? 0,
      avgPrice: l.result?.averagePrice ?? 0,
      costBasisUsd: (l.result?.filledSize ?? 0) * (l.result?.averagePrice ?? 0) + (l.result?.fees ?? 0),
      realizedPnlUsd: 0,
      markPrice: null,
      strategy: 'single_platform',
      legGroupId: opportunity.id,
    }));
    const valued = valueOpenPositions(positions, () => 0.5);
    expect(valued.baskets).toHaveLength(1);
    expect(valued.baskets[0]).toMatchObject({ sets: SIZE, excess: [] });
    expect(valued.lockedProfitUsd).toBeCloseTo(opportunity.expectedProfit, 6);

    // The SDK's own rule says the same: a balance of exactly the notional cannot also pay the fee, so it buys less.
    const notional = 0.47 * SIZE;
    expect(adjustBuyAmountForFees(notional, 0.47, 1000, 0.25, 2, 0)).toBe(notional);
    expect(adjustBuyAmountForFees(notional, 0.47, notional, 0.25, 2, 0)).toBeLessThan(notional);
  });

  it("reads the paying wallet's balance and allowance; beyond them the venue refuses in its own words", async () => {
    const key = generatePrivateKey();
    const address = privateKeyToAccount(key).address;
    const t = await PolymarketTrading.connect({ clobUrl: sim.origin, privateKey: key });
    const funds = await t.funds();
    expect(funds).toMatchObject({ account: address, balance: 1000 });
    expect(funds.allowance).toBeGreaterThan(1e60); // unlimited approval

    await simControl(sim, 'allowance', { address, amount: 1 });
    expect(await t.funds()).toEqual({ account: address, balance: 1000, allowance: 1 });
    const refused = await t.placeOrder(buy('allowance-0001'));
    expect(refused).toMatchObject({ status: 'rejected', rejectReason: 'not enough balance / allowance' });

    await simControl(sim, 'allowance', { address, amount: null });
    await simControl(sim, 'fund', { address, amount: -999 });
    expect((await t.funds()).balance).toBeCloseTo(1, 6);
    expect(await t.placeOrder(buy('balance-0001'))).toMatchObject({
      status: 'rejected',
      rejectReason: 'not enough balance / allowance',
    });
    await simControl(sim, 'fund', { address, amount: 100 });
    expect(await t.placeOrder(buy('balance-0002'))).toMatchObject({ status: 'filled', filledSize: 5 });
  });
});

describe('Polymarket per-signer rate limits', () => {
  let sim: VenueSim;
  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
    // A tight order bucket, so a runner-sized burst meets it: 2 orders/s, burst 3.
    await simControl(sim, 'rate-limit', { tier: 'standard', orderPerSecond: 2, orderBurst: 3 });
  });
  afterAll(async () => {
    await sim.close();
  });

  const refused = async (): Promise<number> => ((await simControl(sim, 'rate-limited', {})) as { order: number }).order;
  // Our own bucket far above the venue's: only the venue's headers can hold the burst back.
  const connect = (retries: number): Promise<PolymarketTrading> =>
    PolymarketTrading.connect({
      clobUrl: sim.origin,
      privateKey: generatePrivateKey(),
      bucket: new TokenBucket({ capacity: 100, refillPerSecond: 100 }),
      retries,
      baseDelayMs: 1,
    });

  it('a sequential burst past the bucket waits for Poly-RateLimit-Reset: every order fills, no 429 at all', async () => {
    const t = await connect(0);
    const start = await refused();
    for (let i = 0; i < 6; i++)
      expect(await t.placeOrder(buy(`sequential-${i}`, 5))).toMatchObject({ status: 'filled' });
    expect((await refused()) - start).toBe(0);
  });

  it('orders sent at once are refused with Retry-After and retried only after it: every order fills', async () => {
    const t = await connect(3);
    const start = await refused();
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => t.placeOrder(buy(`concurrent-${i}`, 5))));
    expect(results.map((r) => r.status)).toEqual(['filled', 'filled', 'filled', 'filled', 'filled']);
    // The first volley may meet the empty bucket once per order; retries wait for Retry-After instead of hammering
    // (with a 1 ms backoff and no header handling they would be refused on every attempt and give up).
    expect((await refused()) - start).toBeLessThanOrEqual(5);
  });
});
