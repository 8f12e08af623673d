// The positions page's reads (packages/db/src/user/positions.ts) against real Postgres, as the signed-in user (RLS):
// positions booked by the platform's own path (recordTrade + applyFillToPosition), markets settled by settleMarket.
// What they return, run through the P&L module, equals replayFills over the same fills and resolutions to the cent;
// another user's rows never appear; anon reads nothing.
import { withUser } from '@polybot/db';
import { applyFillToPosition, recordTrade, settleMarket, type TradeRecord } from '@polybot/db/service';
import {
  bucketEvents,
  latestOwnSettlementId,
  listOwnPositionsToValue,
  listOwnRealizedBuckets,
  listOwnSettlements,
  positionRowToPnl,
} from '@polybot/db/user';
import {
  markPrice,
  replayFills,
  summarizePnl,
  valueOpenPositions,
  type MarketResolution,
  type PnlFill,
  type PnlPosition,
} from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let alice: string;
let bob: string;
const at = new Date();

const fill = (
  instrumentId: string,
  side: 'buy' | 'sell',
  size: number,
  price: number,
  fee: number,
  over: Partial<PnlFill> = {},
): PnlFill => ({
  at,
  platform: 'polymarket',
  marketId: instrumentId.split('-')[0] ?? instrumentId,
  instrumentId,
  outcome: instrumentId.endsWith('Y') ? 'Yes' : 'No',
  mode: 'paper',
  side,
  size,
  price,
  fee,
  strategy: 'single_platform',
  legGroupId: null,
  ...over,
});

// An open complete-set basket (A), a sold-off leg that breaks a basket (B), a partly sold position that wins (C),
// a loser (D), a 50-50 (E), a voided Kalshi market (K), and a live position (L).
const aliceFills: PnlFill[] = [
  fill('A-Y', 'buy', 10, 0.45, 0.05, { legGroupId: 'ga' }),
  fill('A-N', 'buy', 12, 0.5, 0.06, { legGroupId: 'ga' }),
  fill('B-Y', 'buy', 10, 0.4, 0.02, { legGroupId: 'gb' }),
  fill('B-N', 'buy', 10, 0.55, 0.02, { legGroupId: 'gb' }),
  fill('B-N', 'sell', 10, 0.5, 0.02, { strategy: 'unwind' }),
  fill('C-Y', 'buy', 20, 0.3, 0.1, { strategy: 'news', legGroupId: 'gc' }),
  fill('C-Y', 'sell', 5, 0.42, 0.03, { strategy: 'unwind' }),
  fill('D-Y', 'buy', 8, 0.6, 0.02, { strategy: 'copy_trading', legGroupId: 'gd' }),
  fill('E-Y', 'buy', 6, 0.4, 0.01, { strategy: 'news', legGroupId: 'ge' }),
  fill('K:no', 'buy', 4, 0.55, 0.02, { platform: 'kalshi', marketId: 'K', outcome: 'no', strategy: 'news' }),
  fill('L-Y', 'buy', 7, 0.7, 0, { mode: 'live', strategy: 'news' }),
];
const resolution = (marketId: string, payouts: Record<string, number>, over: Partial<MarketResolution> = {}) =>
  ({
    platform: 'polymarket',
    marketId,
    status: 'resolved',
    payouts,
    winningOutcome: null,
    resolvedAt: at,
    source: 'venue',
    ...over,
  }) as MarketResolution;
const resolutions: MarketResolution[] = [
  resolution('C', { 'C-Y': 1, 'C-N': 0 }),
  resolution('D', { 'D-Y': 0, 'D-N': 1 }),
  resolution('E', { 'E-Y': 0.5, 'E-N': 0.5 }),
  resolution('K', {}, { platform: 'kalshi', status: 'voided' }),
];

async function book(userId: string, fills: PnlFill[], prefix: string): Promise<void> {
  for (const [i, x] of fills.entries()) {
    const t: Omit<TradeRecord, 'userId'> = {
      clientOrderId: `pos-read-${prefix}-${i}`,
      venueOrderId: null,
      platform: x.platform,
      marketId: x.marketId,
      instrumentId: x.instrumentId,
      outcome: x.outcome,
      side: x.side,
      strategy: x.strategy ?? 'single_platform',
      mode: x.mode,
      orderType: 'FOK',
      status: 'filled',
      limitPrice: x.price,
      price: x.price,
      size: x.size,
      filledSize: x.size,
      fee: x.fee,
      opportunityId: null,
      legGroupId: x.legGroupId,
      rejectReason: null,
      marketTitle: `market ${x.marketId} (${prefix})`,
    };
    await db.sql.begin(async (tx) => {
      const r = await recordTrade(tx, { userId, ...t });
      if (r.inserted) await applyFillToPosition(tx, userId, { ...t, tradeId: r.id });
    });
  }
}

const markOf = (p: PnlPosition) => markPrice({ lastMark: p.markPrice, avgPrice: p.avgPrice });
const cents = (x: number) => Math.round(x * 100);

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createAuthUser(db, 'alice-positions@example.test');
  bob = await createAuthUser(db, 'bob-positions@example.test');
  await book(alice, aliceFills, 'a');
  // Bob holds positions in the same markets (and one of his own): none may reach Alice's reads.
  await book(
    bob,
    [fill('A-Y', 'buy', 3, 0.45, 0), fill('D-Y', 'buy', 50, 0.6, 0.02), fill('Z-Y', 'buy', 1, 0.2, 0)],
    'b',
  );
  for (const r of resolutions) await settleMarket(db.sql, r);
});
afterAll(async () => db?.stop());

describe('positions reads (as the user, under RLS)', () => {
  it('open positions and sold legs of their baskets value to what replayFills gives', async () => {
    const rows = await withUser(db.sql, alice, (tx) => listOwnPositionsToValue(tx));
    const replay = replayFills(aliceFills, resolutions);
    // open: A-Y, A-N, B-Y, L-Y; plus B-N, sold, which keeps basket gb from counting as complete sets
    expect(rows.map((r) => `${r.instrument_id}:${r.status}`).sort()).toEqual(
      ['A-N:open', 'A-Y:open', 'B-N:closed', 'B-Y:open', 'L-Y:open'].sort(),
    );
    const mine = valueOpenPositions(rows.map(positionRowToPnl), markOf);
    const theirs = valueOpenPositions(replay.positions, markOf);
    expect(mine.baskets.map((b) => b.legGroupId)).toEqual(['ga']);
    expect(cents(mine.lockedProfitUsd)).toBe(cents(theirs.lockedProfitUsd));
    expect(cents(mine.unrealizedUsd)).toBe(cents(theirs.unrealizedUsd));
    expect(cents(mine.costUsd)).toBe(cents(theirs.costUsd));
    // the mode filter (a basket never spans modes)
    const live = await withUser(db.sql, alice, (tx) => listOwnPositionsToValue(tx, { mode: 'live' }));
    expect(live.map((r) => r.instrument_id)).toEqual(['L-Y']);
  });

  it('settlements: one per settled position with its rule, newest first, filters and pages', async () => {
    const replay = replayFills(aliceFills, resolutions);
    const rows = await withUser(db.sql, alice, (tx) => listOwnSettlements(tx));
    expect(rows.map((r) => `${r.instrument_id}:${r.rule}:${cents(r.realized_pnl_usd)}`).sort()).toEqual(
      replay.settlements.map((s) => `${s.instrumentId}:${s.rule}:${cents(s.realizedPnlUsd)}`).sort(),
    );
    expect(rows.map((r) => r.rule).sort()).toEqual(['lost', 'split', 'voided', 'won']);
    expect(rows.every((r) => r.market_title?.endsWith('(a)'))).toBe(true);
    expect(rows.find((r) => r.instrument_id === 'C-Y')?.strategy).toBe('news');
    const kalshi = await withUser(db.sql, alice, (tx) => listOwnSettlements(tx, { platform: 'kalshi' }));
    expect(kalshi.map((r) => r.instrument_id)).toEqual(['K:no']);
    const first = await withUser(db.sql, alice, (tx) => listOwnSettlements(tx, { limit: 2 }));
    const next = await withUser(db.sql, alice, (tx) => listOwnSettlements(tx, { limit: 2, beforeId: first[1]?.id }));
    expect([...first, ...next].map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });

  it('realized buckets: sales + settlements, by day and strategy as summarizePnl gives them from the replay', async () => {
    const replay = replayFills(aliceFills, resolutions);
    const buckets = await withUser(db.sql, alice, (tx) => listOwnRealizedBuckets(tx));
    const total = buckets.reduce((s, b) => s + b.realized_usd, 0);
    expect(cents(total)).toBe(cents(replay.realizedUsd));
    const realizedEvents = replay.events.filter((e) => e.kind !== 'fee');
    const byStrategy = (rows: { key: string; realizedUsd: number }[]) =>
      rows.map((r) => `${r.key}:${cents(r.realizedUsd)}`);
    const asEvents = bucketEvents(buckets);
    expect(byStrategy(summarizePnl(asEvents, 'strategy'))).toEqual(
      byStrategy(summarizePnl(realizedEvents, 'strategy')),
    );
    expect(byStrategy(summarizePnl(asEvents, 'day'))).toEqual(byStrategy(summarizePnl(realizedEvents, 'day')));
    // the unwind sale of the news position counts for news, the strategy that opened it
    expect(buckets.some((b) => b.strategy === 'unwind')).toBe(false);
    // since: nothing from before it, everything after
    const tomorrow = new Date(at.getTime() + 86_400_000);
    expect(await withUser(db.sql, alice, (tx) => listOwnRealizedBuckets(tx, { since: tomorrow }))).toEqual([]);
    const kalshi = await withUser(db.sql, alice, (tx) => listOwnRealizedBuckets(tx, { platform: 'kalshi' }));
    expect(kalshi.map((b) => `${b.source}:${cents(b.realized_usd)}`)).toEqual(['settlement:-2']);
  });

  it('RLS: another user sees only their own rows; anon reads nothing', async () => {
    const bobsOpen = await withUser(db.sql, bob, (tx) => listOwnPositionsToValue(tx));
    expect(bobsOpen.map((r) => r.instrument_id).sort()).toEqual(['A-Y', 'Z-Y']);
    const bobsSettled = await withUser(db.sql, bob, (tx) => listOwnSettlements(tx));
    expect(bobsSettled.map((r) => `${r.instrument_id}:${r.rule}`)).toEqual(['D-Y:lost']);
    expect(await withUser(db.sql, bob, latestOwnSettlementId)).toBe(bobsSettled[0]?.id);
    const bobsBuckets = await withUser(db.sql, bob, (tx) => listOwnRealizedBuckets(tx));
    expect(bobsBuckets.map((b) => cents(b.realized_usd))).toEqual([cents(-(50 * 0.6 + 0.02))]);
    // Alice's reads, for contrast, never contain Bob's rows (his titles end in "(b)")
    const alices = await withUser(db.sql, alice, (tx) => listOwnSettlements(tx));
    expect(alices.some((r) => r.market_title?.endsWith('(b)'))).toBe(false);
    const anon = await attempt(db.sql, { role: 'anon' }, (tx) => listOwnSettlements(tx));
    expect(anon.outcome.ok).toBe(false);
    const anonPositions = await attempt(db.sql, { role: 'anon' }, (tx) => listOwnPositionsToValue(tx));
    expect(anonPositions.outcome.ok ? anonPositions.outcome.value : []).toEqual([]);
  });
});
