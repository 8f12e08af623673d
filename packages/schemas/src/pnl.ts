// The one P&L model: realized, unrealized (and the mark rule), fees, basket valuation, summaries. Pure; the runner's
// risk engine, the manager and the web app compute with it. How the platform books money (SQL) is mirrored by
// replayFills (pnl-replay.ts), the independent recomputation the tests hold the database to, to the cent.
//
// Definitions (docs/ARCHITECTURE.md section 13):
//   cost basis     money put into the contracts held, buy fees included;
//   realized       a sale: proceeds − its fee − the average cost per contract (cost basis / size) of the contracts it
//                  closes; a settlement: size × payout per contract − cost basis (migration 20261205000100);
//   unrealized     mark value − cost basis of what is still open;
//   mark           resolved → the payout; else the best bid; no bid → the last stored mark; none → average entry price;
//   basket         open legs of one arbitrage (same leg group, an arbitrage strategy, ≥ 2 legs, none sold off): a
//                  complete set (one contract of each leg) pays the same in every outcome — 1, or k − 1 when the legs
//                  are NO on each of k mutually exclusive markets (exactly one resolves YES, the other k − 1 NOs pay);
//                  that is its locked payout, and locked profit is that less its cost; only the excess over the
//                  complete sets is marked.
// So realized + unrealized = cash delta + mark value, whatever happens (the property test in pnl.test.ts).
import { z } from 'zod';
import type { TradeStrategy, TradingMode, VenueId } from './market.ts';
import { holdsPosition } from './positions.ts';
import type { MarketResolution } from './resolution.ts';

/** Stored money and sizes are numeric(…, 6): the platform rounds each stored value to 6 decimals. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The same as public.sale_realized_pnl_usd: never more contracts than held carry a cost. */
export function saleRealizedUsd(sold: number, price: number, fee: number, avgCost: number, held: number): number {
  return sold * price - fee - avgCost * Math.min(held, sold);
}

/** Payout per contract at settlement: the resolution's payout, or the average entry price for a voided market. */
export function settlementPayoutPerContract(r: MarketResolution, instrumentId: string, avgPrice: number): number {
  if (r.status === 'voided') return avgPrice;
  const payout = r.payouts[instrumentId];
  if (payout === undefined) throw new Error(`resolution of ${r.marketId} names no payout for ${instrumentId}`);
  return payout;
}

export interface MarkInputs {
  /** The resolution's payout, when the market is resolved. */
  payout?: number | null;
  bestBid?: number | null;
  /** polybot_positions.mark_price. */
  lastMark?: number | null;
  avgPrice: number;
}

/** The mark rule: resolved → payout; best bid; no bid → last stored mark; none → average entry price. */
export function markPrice(m: MarkInputs): number {
  return m.payout ?? m.bestBid ?? m.lastMark ?? m.avgPrice;
}

export const PositionStatusSchema = z.enum(['open', 'closed', 'settled']);
export type PositionStatus = z.infer<typeof PositionStatusSchema>;

/** A position as polybot_positions holds it (the fields the P&L model reads). */
export interface PnlPosition {
  platform: VenueId;
  marketId: string;
  instrumentId: string;
  outcome: string | null;
  mode: TradingMode;
  status: PositionStatus;
  size: number;
  avgPrice: number;
  costBasisUsd: number;
  realizedPnlUsd: number;
  markPrice: number | null;
  strategy: TradeStrategy | null;
  legGroupId: string | null;
}

/** Strategies whose baskets are complete sets by construction (they pay ≥ 1 per set in every outcome). */
export const BASKET_STRATEGIES: readonly TradeStrategy[] = ['single_platform', 'cross_platform', 'overlapping'];

export interface LegValue {
  position: PnlPosition;
  /** Contracts marked individually (all of them, or the excess over a basket's complete sets). */
  size: number;
  costUsd: number;
  mark: number;
  markValueUsd: number;
  unrealizedUsd: number;
}

export interface BasketValue {
  legGroupId: string;
  mode: TradingMode;
  strategy: TradeStrategy;
  legs: PnlPosition[];
  /** Complete sets held: the smallest leg. */
  sets: number;
  lockedPayoutUsd: number;
  lockedCostUsd: number;
  lockedProfitUsd: number;
  /** Each leg's contracts beyond the complete sets, marked per leg. */
  excess: LegValue[];
  markValueUsd: number;
  costUsd: number;
  unrealizedUsd: number;
}

export interface OpenValuation {
  /** Open positions not in a basket, marked per leg. */
  singles: LegValue[];
  baskets: BasketValue[];
  markValueUsd: number;
  costUsd: number;
  unrealizedUsd: number;
  lockedProfitUsd: number;
}

/** A NO contract (Polymarket outcome "No", Kalshi `<ticker>:no`). */
function isNoLeg(p: PnlPosition): boolean {
  return p.outcome?.toLowerCase() === 'no' || p.instrumentId.endsWith(':no');
}

/**
 * What one complete set of an arbitrage basket pays whatever the outcome. The strategies build three shapes: YES+NO of
 * one market, YES (or YES/NO across linked markets) covering every outcome — 1 — and NO on every one of k mutually
 * exclusive outcomes — k − 1 (packages/strategies single-platform "NO on all").
 */
export function setPayoutUsd(legs: readonly PnlPosition[]): number {
  if (legs.length >= 2 && legs.every(isNoLeg)) return new Set(legs.map((l) => `${l.platform}|${l.marketId}`)).size - 1;
  return 1;
}

function legValue(position: PnlPosition, size: number, costUsd: number, mark: number): LegValue {
  const markValueUsd = size * mark;
  return { position, size, costUsd, mark, markValueUsd, unrealizedUsd: markValueUsd - costUsd };
}

/**
 * Values a user's positions (open ones count; closed and settled ones only disqualify a basket that sold a leg).
 * `markOf` gives each open position's mark (apply `markPrice` with the caller's books and resolutions).
 */
export function valueOpenPositions(
  positions: readonly PnlPosition[],
  markOf: (p: PnlPosition) => number,
): OpenValuation {
  const open = positions.filter((p) => p.status === 'open' && holdsPosition(p.size));
  const groups = new Map<string, PnlPosition[]>();
  const soldGroups = new Set<string>();
  for (const p of positions) {
    if (p.legGroupId === null || p.strategy === null || !BASKET_STRATEGIES.includes(p.strategy)) continue;
    const key = `${p.mode}|${p.legGroupId}`;
    if (p.status === 'closed') soldGroups.add(key);
    else if (p.status === 'open' && holdsPosition(p.size)) groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const inBasket = new Set<PnlPosition>();
  const baskets: BasketValue[] = [];
  for (const [key, legs] of groups) {
    if (legs.length < 2 || soldGroups.has(key)) continue;
    const sets = Math.min(...legs.map((l) => l.size));
    let lockedCostUsd = 0;
    const excess: LegValue[] = [];
    for (const leg of legs) {
      inBasket.add(leg);
      const setCost = (leg.costBasisUsd * sets) / leg.size;
      lockedCostUsd += setCost;
      if (leg.size > sets) excess.push(legValue(leg, leg.size - sets, leg.costBasisUsd - setCost, markOf(leg)));
    }
    const lockedPayoutUsd = sets * setPayoutUsd(legs);
    const markValueUsd = lockedPayoutUsd + excess.reduce((s, e) => s + e.markValueUsd, 0);
    const costUsd = legs.reduce((s, l) => s + l.costBasisUsd, 0);
    const first = legs[0] as PnlPosition;
    baskets.push({
      legGroupId: first.legGroupId as string,
      mode: first.mode,
      strategy: first.strategy as TradeStrategy,
      legs,
      sets,
      lockedPayoutUsd,
      lockedCostUsd,
      lockedProfitUsd: lockedPayoutUsd - lockedCostUsd,
      excess,
      markValueUsd,
      costUsd,
      unrealizedUsd: markValueUsd - costUsd,
    });
  }
  const singles = open.filter((p) => !inBasket.has(p)).map((p) => legValue(p, p.size, p.costBasisUsd, markOf(p)));
  const all = [...singles, ...baskets];
  const markValueUsd = all.reduce((s, v) => s + v.markValueUsd, 0);
  const costUsd = all.reduce((s, v) => s + v.costUsd, 0);
  return {
    singles,
    baskets,
    markValueUsd,
    costUsd,
    unrealizedUsd: markValueUsd - costUsd,
    lockedProfitUsd: baskets.reduce((s, b) => s + b.lockedProfitUsd, 0),
  };
}

/** One realized or fee amount, for the summaries (a sale, a settlement, or a fill's fee). */
export interface PnlEvent {
  at: Date | string;
  kind: 'sale' | 'settlement' | 'fee';
  platform: VenueId;
  mode: TradingMode;
  /** The strategy that opened the position (an unwind's loss belongs to the arbitrage it cleaned up). */
  strategy: TradeStrategy | null;
  realizedUsd: number;
  feesUsd: number;
}

export const PnlGroupingSchema = z.enum(['strategy', 'venue', 'mode', 'day']);
export type PnlGrouping = z.infer<typeof PnlGroupingSchema>;

export interface PnlSummaryRow {
  /** The strategy, venue, mode, or UTC day (YYYY-MM-DD); 'unknown' for a strategy the platform did not record. */
  key: string;
  realizedUsd: number;
  feesUsd: number;
  /** Sales and settlements counted (fees alone are not). */
  count: number;
}

function keyOf(e: PnlEvent, by: PnlGrouping): string {
  switch (by) {
    case 'strategy':
      return e.strategy ?? 'unknown';
    case 'venue':
      return e.platform;
    case 'mode':
      return e.mode;
    case 'day':
      return new Date(e.at).toISOString().slice(0, 10);
  }
}

/** Realized P&L and fees grouped by strategy, venue, mode or UTC day, sorted by key. */
export function summarizePnl(events: readonly PnlEvent[], by: PnlGrouping): PnlSummaryRow[] {
  const rows = new Map<string, PnlSummaryRow>();
  for (const e of events) {
    const key = keyOf(e, by);
    const row = rows.get(key) ?? { key, realizedUsd: 0, feesUsd: 0, count: 0 };
    row.realizedUsd += e.realizedUsd;
    row.feesUsd += e.feesUsd;
    if (e.kind !== 'fee') row.count += 1;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
}
