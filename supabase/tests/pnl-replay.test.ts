// What "the dashboard's numbers equal an independent recomputation" rests on: for a random sequence of fills and
// resolutions, booked the way the platform books them (recordTrade + applyFillToPosition in one transaction, as the
// manager's recordExecution does; settle_market for each resolution), the database's realized P&L (sales' realized on
// the trades + settlements' realized), positions and settlements equal, to the cent, replayFills (@polybot/schemas)
// run on nothing but the user's fills and the recorded resolutions.
import { applyFillToPosition, asService, readResolution, recordTrade, settleMarket } from '@polybot/db/service';
import {
  replayFills,
  type MarketResolution,
  type PnlFill,
  type TradeStrategy,
  type TradingMode,
  type VenueId,
} from '@polybot/schemas';
import { seededRandom } from '@polybot/local-stack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

interface Market {
  platform: VenueId;
  marketId: string;
  instruments: [string, string];
}

function marketsFor(seed: number): Market[] {
  return [
    { platform: 'polymarket', marketId: `0xp1-${seed}`, instruments: [`p1y-${seed}`, `p1n-${seed}`] },
    { platform: 'polymarket', marketId: `0xp2-${seed}`, instruments: [`p2y-${seed}`, `p2n-${seed}`] },
    { platform: 'kalshi', marketId: `KX1-${seed}`, instruments: [`KX1-${seed}:yes`, `KX1-${seed}:no`] },
    { platform: 'kalshi', marketId: `KX2-${seed}`, instruments: [`KX2-${seed}:yes`, `KX2-${seed}:no`] },
    { platform: 'polymarket', marketId: `0xp3-${seed}`, instruments: [`p3y-${seed}`, `p3n-${seed}`] },
  ];
}

function resolutionFor(m: Market, how: number): MarketResolution {
  const [yes, no] = m.instruments;
  const base = { platform: m.platform, marketId: m.marketId, resolvedAt: new Date(), source: 'venue' as const };
  switch (how) {
    case 0:
      return { ...base, status: 'resolved', payouts: { [yes]: 1, [no]: 0 }, winningOutcome: 'Yes' };
    case 1:
      return { ...base, status: 'resolved', payouts: { [yes]: 0, [no]: 1 }, winningOutcome: 'No' };
    case 2:
      return { ...base, status: 'resolved', payouts: { [yes]: 0.5, [no]: 0.5 }, winningOutcome: null };
    case 3:
      return { ...base, status: 'voided', payouts: {}, winningOutcome: null };
    default:
      return { ...base, status: 'resolved', payouts: { [yes]: 0.37, [no]: 0.63 }, winningOutcome: null };
  }
}

/** Plays `steps` random fills and resolutions for `userId` through the platform's own booking and settlement. */
async function play(userId: string, seed: number, steps: number): Promise<Market[]> {
  const rnd = seededRandom(seed); // a failure replays exactly
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const markets = marketsFor(seed);
  const resolved = new Set<string>();
  const strategies: TradeStrategy[] = ['single_platform', 'cross_platform', 'news', 'copy_trading', 'unwind'];
  for (let i = 0; i < steps; i++) {
    const open = markets.filter((m) => !resolved.has(m.marketId));
    if (open.length === 0) break;
    const m = pick(open);
    if (rnd() < 0.04) {
      resolved.add(m.marketId);
      await asService(db.sql, (tx) => settleMarket(tx, resolutionFor(m, Math.floor(rnd() * 5))));
      continue;
    }
    const side = rnd() < 0.6 ? 'buy' : 'sell';
    const filledSize = Math.floor(1 + rnd() * 4000) / 100;
    const price = Math.floor(1 + rnd() * 98) / 100;
    const fee = Math.floor(rnd() * 3000) / 10000;
    const mode: TradingMode = rnd() < 0.8 ? 'paper' : 'live';
    const instrumentId = pick(m.instruments);
    // As the manager's recordExecution: the trade and its position change in one transaction, as the service.
    await asService(db.sql, async (tx) => {
      const t = {
        userId,
        clientOrderId: `replay-${seed}-${i}`,
        venueOrderId: null,
        platform: m.platform,
        marketId: m.marketId,
        instrumentId,
        outcome: instrumentId.endsWith('n') || instrumentId.endsWith(':no') ? 'No' : 'Yes',
        side,
        strategy: pick(strategies),
        mode,
        orderType: 'FOK',
        status: 'filled',
        limitPrice: price,
        price,
        size: filledSize,
        filledSize,
        fee,
        opportunityId: null,
        legGroupId: `g-${Math.floor(rnd() * 4)}`,
        rejectReason: null,
      } as const;
      const r = await recordTrade(tx, t);
      await applyFillToPosition(tx, userId, { ...t, tradeId: r.id });
    });
  }
  return markets;
}

/** The user's fills and the recorded resolutions: all replayFills is given. */
async function inputs(userId: string, markets: Market[]): Promise<[PnlFill[], MarketResolution[]]> {
  const rows = await db.sql`
    select executed_at, platform, market_id, instrument_id, outcome, mode, side, filled_size::float8 as size,
           price::float8 as price, fee::float8 as fee, strategy, leg_group_id
      from public.polybot_trades where user_id = ${userId} and filled_size > 0 order by id`;
  const fills = rows.map((r): PnlFill => ({
    at: r.executed_at as Date,
    platform: r.platform as VenueId,
    marketId: r.market_id as string,
    instrumentId: r.instrument_id as string,
    outcome: r.outcome as string | null,
    mode: r.mode as TradingMode,
    side: r.side as 'buy' | 'sell',
    size: r.size as number,
    price: r.price as number,
    fee: r.fee as number,
    strategy: r.strategy as TradeStrategy,
    legGroupId: r.leg_group_id as string | null,
  }));
  const resolutions: MarketResolution[] = [];
  for (const m of markets) {
    const r = await readResolution(db.sql, m.platform, m.marketId);
    if (r) resolutions.push(r);
  }
  return [fills, resolutions];
}

describe('SQL booking + settlement = replayFills, to the cent', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: realized P&L, positions and settlements agree`, async () => {
      const userId = await createAuthUser(db, `replay-${seed}@example.test`);
      const markets = await play(userId, seed, 160);
      const [fills, resolutions] = await inputs(userId, markets);
      expect(fills.length).toBeGreaterThan(30);
      const replay = replayFills(fills, resolutions);

      // The dashboard's realized P&L: what the platform wrote on sales and settlements.
      const [sums] = await db.sql`
        select (select coalesce(sum(realized_pnl_usd), 0) from public.polybot_trades where user_id = ${userId})::float8 as sales,
               (select coalesce(sum(realized_pnl_usd), 0) from public.polybot_settlements where user_id = ${userId})::float8 as settled,
               (select count(*) from public.polybot_settlements where user_id = ${userId})::int as n`;
      const realized = Number(sums?.sales) + Number(sums?.settled);
      expect(Math.abs(realized - replay.realizedUsd)).toBeLessThan(0.005);
      expect(sums?.n).toBe(replay.settlements.length);
      expect(replay.settlements.length).toBeGreaterThan(0);

      const positions = await db.sql`
        select platform, instrument_id, mode, status, size::float8 as size, cost_basis_usd::float8 as cost,
               realized_pnl_usd::float8 as realized, avg_price::float8 as avg
          from public.polybot_positions where user_id = ${userId}`;
      const key = (p: { platform: string; instrumentId: string; mode: string }) =>
        `${p.platform}|${p.instrumentId}|${p.mode}`;
      const fromDb = new Map(
        positions.map((p) => [key({ platform: p.platform, instrumentId: p.instrument_id, mode: p.mode }), p]),
      );
      expect(fromDb.size).toBe(replay.positions.length);
      for (const p of replay.positions) {
        const row = fromDb.get(key(p));
        expect(row, key(p)).toBeDefined();
        expect({ status: row?.status, size: row?.size, avg: row?.avg }).toEqual({
          status: p.status,
          size: p.size,
          avg: p.avgPrice,
        });
        expect(Math.abs((row?.cost as number) - p.costBasisUsd)).toBeLessThan(0.005);
        expect(Math.abs((row?.realized as number) - p.realizedPnlUsd)).toBeLessThan(0.005);
      }
      // Conservation: realized less what is still held at cost is exactly the cash that moved.
      const openCost = replay.positions.filter((p) => p.status === 'open').reduce((s, p) => s + p.costBasisUsd, 0);
      expect(Math.abs(replay.realizedUsd - openCost - replay.cashDeltaUsd)).toBeLessThan(0.005);

      // Replaying every resolution settles nothing more.
      for (const r of resolutions) expect(await asService(db.sql, (tx) => settleMarket(tx, r))).toEqual([]);
    });
  }
});
