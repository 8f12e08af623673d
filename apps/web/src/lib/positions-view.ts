// What the positions page and the dashboard show of the user's positions and P&L: rows read through
// @polybot/db/user positions.ts, every figure computed by the one P&L module (@polybot/schemas pnl.ts:
// valueOpenPositions, markPrice, summarizePnl). This file only arranges their results for the page; it adds no
// formula of its own, so the page, the dashboard and replayFills cannot disagree.
import type { UserTx } from '@polybot/db';
import {
  bucketEvents,
  listOwnPositionsToValue,
  listOwnRealizedBuckets,
  positionRowToPnl,
  type PositionRow,
  type RealizedBucket,
} from '@polybot/db/user';
import {
  markPrice,
  summarizePnl,
  valueOpenPositions,
  type OpenValuation,
  type PnlPosition,
  type VenueId,
} from '@polybot/schemas';

/** One open position as a row of the page. */
export interface LegView {
  row: PositionRow;
  /** The price it is valued at (the mark rule: no books here, so the last stored mark, else the entry price). */
  mark: number;
  markSource: 'mark' | 'entry';
  /** Contracts of this leg inside its basket's complete sets (0 for a position on its own). */
  inBasket: number;
  /** Unrealized P&L of what is marked per leg: the whole position, or the excess over its basket's sets. */
  unrealized: number;
}

/** Open positions bought together as an arbitrage (one leg group), or one position on its own. */
export interface BasketView {
  key: string;
  legGroupId: string | null;
  strategy: string | null;
  legs: LegView[];
  /** Set for an arbitrage basket: its complete sets pay `payout` whatever the outcome. */
  locked: { sets: number; payout: number; cost: number; profit: number } | null;
  cost: number;
  markValue: number;
  /** Locked profit (baskets) + the per-leg unrealized of the rest. */
  unrealized: number;
  lockedProfit: number;
}

export interface OpenView {
  baskets: BasketView[];
  /** Open positions shown (basket legs counted one by one). */
  count: number;
  cost: number;
  markValue: number;
  /** Locked profit of the baskets + the per-leg unrealized of everything else. */
  unrealized: number;
  lockedProfit: number;
  /** Unrealized by the strategy that opened the position (a basket's by its strategy). */
  unrealizedByStrategy: Map<string, number>;
}

export interface RealizedView {
  total: number;
  byDay: { day: string; sales: number; settlements: number; total: number }[];
  byStrategy: { strategy: string | null; realized: number; unrealized: number }[];
  byVenueMode: { platform: string; mode: string; realized: number }[];
}

/** The page's mark of a stored position: pnl.ts markPrice without books (the manager writes marks from its books). */
const markOf = (p: PnlPosition): number => markPrice({ lastMark: p.markPrice, avgPrice: p.avgPrice });

/** Values the rows with valueOpenPositions (whole baskets first, then the venue filter, so a basket stays whole). */
export function openView(rows: readonly PositionRow[], platform?: VenueId): OpenView {
  const byPosition = new Map<PnlPosition, PositionRow>();
  const positions = rows.map((r) => {
    const p = positionRowToPnl(r);
    byPosition.set(p, r);
    return p;
  });
  const valuation: OpenValuation = valueOpenPositions(positions, markOf);
  const leg = (p: PnlPosition, inBasket: number, unrealized: number): LegView => {
    const row = byPosition.get(p) as PositionRow;
    return { row, mark: markOf(p), markSource: p.markPrice === null ? 'entry' : 'mark', inBasket, unrealized };
  };
  const baskets: BasketView[] = [
    ...valuation.baskets.map((b) => ({
      key: `${b.mode}|${b.legGroupId}`,
      legGroupId: b.legGroupId,
      strategy: b.strategy,
      legs: b.legs.map((p) => leg(p, b.sets, b.excess.find((e) => e.position === p)?.unrealizedUsd ?? 0)),
      locked: { sets: b.sets, payout: b.lockedPayoutUsd, cost: b.lockedCostUsd, profit: b.lockedProfitUsd },
      cost: b.costUsd,
      unrealized: b.unrealizedUsd,
      markValue: b.markValueUsd,
      lockedProfit: b.lockedProfitUsd,
    })),
    ...valuation.singles.map((s) => ({
      key: `position-${byPosition.get(s.position)?.id}`,
      legGroupId: s.position.legGroupId,
      strategy: s.position.strategy,
      legs: [leg(s.position, 0, s.unrealizedUsd)],
      locked: null,
      cost: s.costUsd,
      unrealized: s.unrealizedUsd,
      markValue: s.markValueUsd,
      lockedProfit: 0,
    })),
  ]
    .filter((b) => !platform || b.legs.some((l) => l.row.platform === platform))
    // Oldest first, as the rows came: a basket where its first leg was booked.
    .sort((a, b) => Math.min(...a.legs.map((l) => l.row.id)) - Math.min(...b.legs.map((l) => l.row.id)));
  const unrealizedByStrategy = new Map<string, number>();
  for (const b of baskets) {
    const k = b.strategy ?? 'unknown';
    unrealizedByStrategy.set(k, (unrealizedByStrategy.get(k) ?? 0) + b.unrealized);
  }
  return {
    baskets,
    count: baskets.reduce((n, b) => n + b.legs.length, 0),
    cost: baskets.reduce((s, b) => s + b.cost, 0),
    markValue: baskets.reduce((s, b) => s + b.markValue, 0),
    unrealized: baskets.reduce((s, b) => s + b.unrealized, 0),
    lockedProfit: baskets.reduce((s, b) => s + b.lockedProfit, 0),
    unrealizedByStrategy,
  };
}

/** Realized P&L by day (sales and resolutions apart), by strategy (with the open positions' unrealized), by venue. */
export function realizedView(buckets: readonly RealizedBucket[], open: OpenView): RealizedView {
  const events = bucketEvents(buckets);
  const sales = new Map(
    summarizePnl(
      events.filter((e) => e.kind === 'sale'),
      'day',
    ).map((r) => [r.key, r.realizedUsd]),
  );
  const settled = new Map(
    summarizePnl(
      events.filter((e) => e.kind === 'settlement'),
      'day',
    ).map((r) => [r.key, r.realizedUsd]),
  );
  const byDay = summarizePnl(events, 'day').map((r) => ({
    day: r.key,
    sales: sales.get(r.key) ?? 0,
    settlements: settled.get(r.key) ?? 0,
    total: r.realizedUsd,
  }));
  const realizedByStrategy = new Map(summarizePnl(events, 'strategy').map((r) => [r.key, r.realizedUsd]));
  const strategies = new Set([...realizedByStrategy.keys(), ...open.unrealizedByStrategy.keys()]);
  const byStrategy = [...strategies].sort().map((k) => ({
    strategy: k === 'unknown' ? null : k,
    realized: realizedByStrategy.get(k) ?? 0,
    unrealized: open.unrealizedByStrategy.get(k) ?? 0,
  }));
  const byVenueMode = summarizePnl(events, 'venue').flatMap((v) =>
    summarizePnl(
      events.filter((e) => e.platform === v.key),
      'mode',
    ).map((m) => ({ platform: v.key, mode: m.key, realized: m.realizedUsd })),
  );
  return { total: events.reduce((s, e) => s + e.realizedUsd, 0), byDay, byStrategy, byVenueMode };
}

export interface PnlCardView {
  /** Realized by UTC day this month (what the chart draws). */
  days: { day: string; pnl: number }[];
  today: number;
  month: number;
  open: OpenView;
}

/** The dashboard's P&L card: realized today and this month, and the open positions valued as the positions page does. */
export function pnlCardView(
  monthBuckets: readonly RealizedBucket[],
  rows: readonly PositionRow[],
  now: Date,
): PnlCardView {
  const days = summarizePnl(bucketEvents(monthBuckets), 'day').map((r) => ({ day: r.key, pnl: r.realizedUsd }));
  const todayKey = now.toISOString().slice(0, 10);
  return {
    days,
    today: days.find((d) => d.day === todayKey)?.pnl ?? 0,
    month: days.reduce((s, d) => s + d.pnl, 0),
    open: openView(rows),
  };
}

/** Reads and builds the P&L card for the signed-in user: the dashboard and the Telegram bot's /pnl show this. */
export async function loadPnlCard(tx: UserTx, now: Date): Promise<PnlCardView> {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return pnlCardView(await listOwnRealizedBuckets(tx, { since: monthStart }), await listOwnPositionsToValue(tx), now);
}
