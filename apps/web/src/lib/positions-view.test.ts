// How the positions page arranges the P&L module's results: a cross-platform basket stays whole under a venue filter,
// its legs read "in basket", a sold leg breaks a basket, and the by-strategy lines join realized with unrealized.
import { positionRowToPnl, type PositionRow, type RealizedBucket } from '@polybot/db/user';
import { valueOpenPositions } from '@polybot/schemas';
import { describe, expect, it } from 'vitest';
import { openView, pnlCardView, realizedView } from './positions-view.ts';

let nextId = 1;
function row(over: Partial<PositionRow>): PositionRow {
  return {
    id: nextId++,
    platform: 'polymarket',
    market_id: 'M',
    market_title: null,
    instrument_id: `I-${nextId}`,
    outcome: 'Yes',
    mode: 'paper',
    status: 'open',
    strategy: 'single_platform',
    leg_group_id: null,
    size: 10,
    avg_price: 0.45,
    cost_basis_usd: 4.5,
    realized_pnl_usd: 0,
    mark_price: null,
    marked_at: new Date(0),
    opened_at: new Date(0),
    ...over,
  };
}

describe('openView', () => {
  // A cross-platform arbitrage: Polymarket YES 0.45 + Kalshi NO 0.50, 10 sets, both legs marked low.
  const cross = () => [
    row({ leg_group_id: 'x', strategy: 'cross_platform', size: 10, cost_basis_usd: 4.55, mark_price: 0.4 }),
    row({
      platform: 'kalshi',
      instrument_id: 'K:no',
      leg_group_id: 'x',
      strategy: 'cross_platform',
      size: 12,
      avg_price: 0.5,
      cost_basis_usd: 6.06,
      mark_price: 0.45,
    }),
    row({ strategy: 'news', leg_group_id: 'n', cost_basis_usd: 3, avg_price: 0.3, mark_price: 0.35 }),
  ];

  it('values a basket as the P&L module does and keeps it whole under a venue filter', () => {
    const rows = cross();
    const view = openView(rows, 'kalshi');
    expect(view.baskets).toHaveLength(1);
    const [basket] = view.baskets;
    expect(basket?.legs.map((l) => l.row.platform).sort()).toEqual(['kalshi', 'polymarket']);
    expect(basket?.locked?.sets).toBe(10);
    // the 2 Kalshi contracts over the complete sets are marked per leg, the rest is in the basket
    expect(basket?.legs.map((l) => l.inBasket)).toEqual([10, 10]);
    const module = valueOpenPositions(rows.map(positionRowToPnl), (p) => p.markPrice ?? p.avgPrice);
    expect(basket?.locked?.profit).toBeCloseTo(module.baskets[0]?.lockedProfitUsd ?? NaN, 9);
    expect(openView(rows).unrealized).toBeCloseTo(module.unrealizedUsd, 9);
    expect(openView(rows).count).toBe(3);
  });

  it('a basket that sold a leg is no basket: its open leg stands alone, marked', () => {
    const rows = [
      row({ leg_group_id: 'b', mark_price: 0.5 }),
      row({ leg_group_id: 'b', status: 'closed', size: 0, cost_basis_usd: 0 }),
    ];
    const view = openView(rows);
    expect(view.baskets.map((b) => [b.locked, b.legs.length])).toEqual([[null, 1]]);
    expect(view.unrealized).toBeCloseTo(10 * 0.5 - 4.5, 9);
    expect(view.count).toBe(1);
  });
});

describe('realizedView and pnlCardView', () => {
  const bucket = (over: Partial<RealizedBucket>): RealizedBucket => ({
    day: new Date('2026-12-05T00:00:00Z'),
    source: 'sale',
    strategy: 'news',
    platform: 'kalshi',
    mode: 'paper',
    realized_usd: 1,
    count: 1,
    ...over,
  });
  const buckets = [
    bucket({ realized_usd: 0.55 }),
    bucket({ source: 'settlement', realized_usd: 10 }),
    bucket({ day: new Date('2026-12-01T00:00:00Z'), strategy: null, platform: 'polymarket', realized_usd: -2 }),
  ];

  it('splits days into sales and resolutions and joins strategies with the open positions', () => {
    const open = openView([row({ strategy: 'copy_trading', mark_price: 0.5 })]);
    const view = realizedView(buckets, open);
    expect(view.total).toBeCloseTo(8.55, 9);
    expect(view.byDay).toEqual([
      { day: '2026-12-01', sales: -2, settlements: 0, total: -2 },
      { day: '2026-12-05', sales: 0.55, settlements: 10, total: 10.55 },
    ]);
    expect(view.byStrategy.map((s) => [s.strategy, s.realized, s.unrealized])).toEqual([
      ['copy_trading', 0, open.unrealized],
      ['news', 10.55, 0],
      [null, -2, 0],
    ]);
  });

  it('the dashboard card: today, the month, and the same open valuation', () => {
    const card = pnlCardView(buckets, [row({ mark_price: 0.5 })], new Date('2026-12-05T12:00:00Z'));
    expect(card.today).toBeCloseTo(10.55, 9);
    expect(card.month).toBeCloseTo(8.55, 9);
    expect(card.open.unrealized).toBeCloseTo(0.5, 9);
  });
});
