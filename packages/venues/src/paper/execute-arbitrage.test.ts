import { describe, expect, it } from 'vitest';
import type { FeeSchedule, Opportunity, OrderBook, VenueId } from '@polybot/schemas';
import { executeArbitrage } from './execute-arbitrage.ts';
import { PaperTrading } from './paper-trading.ts';

const T0 = 1_778_997_900_000;
const lv = (xs: [number, number][]) => xs.map(([price, size]) => ({ price, size }));
const mk = (venue: VenueId, instrumentId: string, asks: [number, number][], bids: [number, number][]): OrderBook => ({
  venue,
  instrumentId,
  asks: lv(asks),
  bids: lv(bids),
  timestampMs: T0,
  seq: 1,
});

// Cross-venue opportunity: Polymarket YES 100 @ 0.40 + Kalshi NO 100 @ 0.55.
const opportunity: Opportunity = {
  id: 'cross:1:aYes-bNo@0.4,0.55x100',
  strategy: 'cross_platform',
  legs: [
    { venue: 'polymarket', instrumentId: 'PM1-Y', side: 'buy', size: 100, vwap: 0.4, limitPrice: 0.4, fee: 0 },
    { venue: 'kalshi', instrumentId: 'KXA-1:no', side: 'buy', size: 100, vwap: 0.55, limitPrice: 0.55, fee: 1.74 },
  ],
  cost: 96.74,
  expectedProfit: 3.26,
  profitPct: (3.26 / 96.74) * 100,
  detectedAtMs: T0,
  description: 'test',
};

function setup(opts: { kalshiCash?: number; pmBids?: [number, number][]; pmFees?: FeeSchedule } = {}) {
  const books = new Map<string, OrderBook>([
    [
      'PM1-Y',
      mk(
        'polymarket',
        'PM1-Y',
        [[0.4, 100]],
        opts.pmBids ?? [
          [0.38, 60],
          [0.36, 100],
        ],
      ),
    ],
    ['KXA-1:no', mk('kalshi', 'KXA-1:no', [[0.55, 200]], [[0.53, 100]])],
  ]);
  const getBook = (id: string) => books.get(id);
  const pm = new PaperTrading({
    venue: 'polymarket',
    getBook,
    feeSchedule: () => opts.pmFees ?? { type: 'none' },
    initialCash: 1000,
    now: () => T0,
  });
  const k = new PaperTrading({
    venue: 'kalshi',
    getBook,
    feeSchedule: () => ({ type: 'quadratic', takerRate: 0.07 }),
    initialCash: opts.kalshiCash ?? 1000,
    now: () => T0,
  });
  const tradingFor = (v: VenueId) => (v === 'kalshi' ? k : pm);
  return { pm, k, getBook, tradingFor };
}

describe('executeArbitrage', () => {
  it('all legs fill: complete, both positions held, no loss', async () => {
    const { pm, k, getBook, tradingFor } = setup();
    const r = await executeArbitrage(tradingFor, opportunity, { getBook });
    expect(r.status).toBe('complete');
    expect(r.realizedLoss).toBe(0);
    expect(r.legs.map((l) => l.result?.status)).toEqual(['filled', 'filled']);
    expect(await pm.positions()).toMatchObject([{ instrumentId: 'PM1-Y', size: 100 }]);
    expect(await k.positions()).toMatchObject([{ instrumentId: 'KXA-1:no', size: 100 }]);
    // Kalshi leg: 55 + ceil(0.07×100×0.55×0.45×100)/100 = 55 + 1.74
    expect(await k.balance()).toBeCloseTo(1000 - 56.74, 9);
  });

  it.each([
    ['YES', 1, 0],
    ['NO', 0, 1],
  ])(
    'after settlement (%s wins) the paper P&L equals the reported expected profit, 3.26',
    async (_w, pmPayout, kPayout) => {
      const { pm, k, getBook, tradingFor } = setup();
      await executeArbitrage(tradingFor, opportunity, { getBook });
      pm.settle('PM1-Y', pmPayout);
      k.settle('KXA-1:no', kPayout);
      expect(pm.realizedPnl() + k.realizedPnl()).toBeCloseTo(opportunity.expectedProfit, 9);
      expect((await pm.balance()) + (await k.balance()) - 2000).toBeCloseTo(3.26, 9);
    },
  );

  it('sends the thinnest leg first (PM: depth 100 for 100, Kalshi: 200 for 100)', async () => {
    const { getBook, tradingFor } = setup();
    const r = await executeArbitrage(tradingFor, opportunity, { getBook });
    expect(r.legs.map((l) => l.leg.instrumentId)).toEqual(['PM1-Y', 'KXA-1:no']);
  });

  it('second leg rejected: unwinds the first by selling into the bids: 60@0.38 + 40@0.36 = 37.2 for a cost of 40 → loss 2.8', async () => {
    const { pm, k, getBook, tradingFor } = setup({ kalshiCash: 10 });
    const r = await executeArbitrage(tradingFor, opportunity, { getBook });
    expect(r.status).toBe('unwound');
    expect(r.legs.map((l) => l.result?.status)).toEqual(['filled', 'rejected']);
    expect(r.unwinds).toHaveLength(1);
    expect(r.unwinds[0]).toMatchObject({ instrumentId: 'PM1-Y', size: 100, stranded: 0 });
    expect(r.unwinds[0]?.result?.fills.map((f) => [f.price, f.size])).toEqual([
      [0.38, 60],
      [0.36, 40],
    ]);
    expect(r.realizedLoss).toBeCloseTo(2.8, 9);
    expect(await pm.positions()).toEqual([]);
    expect(pm.realizedPnl()).toBeCloseTo(-2.8, 9);
    expect(await k.positions()).toEqual([]);
  });

  it('counts fees on both sides of the unwind: buy fee 1.2, sell fees 0.7068 + 0.4608 → loss 5.1676', async () => {
    const pmFees: FeeSchedule = { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 };
    const { getBook, tradingFor } = setup({ kalshiCash: 10, pmFees });
    const r = await executeArbitrage(tradingFor, opportunity, { getBook });
    // cost 40 + 1.2 = 41.2; proceeds 37.2 − (60×0.05×0.38×0.62 + 40×0.05×0.36×0.64) = 37.2 − 1.1676
    expect(r.realizedLoss).toBeCloseTo(5.1676, 9);
  });

  it('bids below the slippage floor are not hit: 0.30 < 0.38 − 0.05, so 40 contracts stay stranded', async () => {
    const { pm, getBook, tradingFor } = setup({
      kalshiCash: 10,
      pmBids: [
        [0.38, 60],
        [0.3, 100],
      ],
    });
    const r = await executeArbitrage(tradingFor, opportunity, { getBook });
    expect(r.status).toBe('stranded');
    expect(r.unwinds[0]).toMatchObject({ stranded: 40 });
    // Loss on the 60 sold: 60 × (0.40 − 0.38) = 1.2
    expect(r.realizedLoss).toBeCloseTo(1.2, 9);
    expect(await pm.positions()).toMatchObject([{ instrumentId: 'PM1-Y', size: 40 }]);
  });

  it('first leg fails: nothing filled, nothing to unwind, later legs not sent', async () => {
    const { k, getBook, tradingFor } = setup();
    const thin = {
      ...opportunity,
      legs: opportunity.legs.map((l) => (l.venue === 'polymarket' ? { ...l, size: 150 } : { ...l, size: 150 })),
    };
    const r = await executeArbitrage(tradingFor, thin, { getBook });
    expect(r.status).toBe('nothing_filled');
    expect(r.legs).toHaveLength(1);
    expect(r.legs[0]?.result?.status).toBe('cancelled');
    expect(await k.fills()).toEqual([]);
  });

  it('is idempotent: executing the same opportunity twice books each leg once', async () => {
    const { pm, k, getBook, tradingFor } = setup();
    const a = await executeArbitrage(tradingFor, opportunity, { getBook });
    const b = await executeArbitrage(tradingFor, opportunity, { getBook });
    expect(b.legs.map((l) => l.result)).toEqual(a.legs.map((l) => l.result));
    expect(await pm.fills()).toHaveLength(1);
    expect(await k.fills()).toHaveLength(1);
    expect(a.legs[0]?.result?.clientOrderId).toMatch(/^arb-[0-9a-f]{16}-L0$/);
  });
});
