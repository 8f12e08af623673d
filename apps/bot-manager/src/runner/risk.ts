// The risk engine: per-opportunity checks against the tighter of the user's config and the plan's limits, and the
// daily loss halt (realized + marked-to-market; once hit, no new positions until the next UTC day). Its marked P&L is
// the P&L model's (@polybot/schemas pnl.ts): the mark rule, and an arbitrage basket valued as a basket.
import {
  holdsPosition,
  markPrice,
  saleRealizedUsd,
  valueOpenPositions,
  type Opportunity,
  type OpportunitySkipCode,
  type OrderBook,
  type PnlPosition,
  type TradeStrategy,
} from '@polybot/schemas';
import type { RunnerConfig, RunnerPlan } from '../shared/ipc.ts';

export interface Holding {
  size: number;
  /** Money paid for what is held, fees included (re-based to the mark at each UTC midnight). */
  cost: number;
  /** Average entry price (fees excluded): the mark when no bid was ever seen. */
  avgPrice: number;
  /** The last best bid seen: the mark while the book has no bid. */
  lastBid: number | null;
  /** P&L of earlier UTC days taken out by the midnight re-basing (a settlement's realized less this is today's). */
  carriedUsd: number;
  /** The opening buy's basket and strategy: legs of one arbitrage are valued together. */
  legGroupId: string | null;
  strategy: TradeStrategy | null;
}

/** What the opening buy of a holding was part of. */
export interface FillOrigin {
  legGroupId: string | null;
  strategy: TradeStrategy | null;
}

/** A refusal carries the skip code the recent-opportunities list shows, and its words. */
export type RiskVerdict = { ok: true } | { ok: false; code: OpportunitySkipCode; reason: string };

export const nextUtcMidnight = (nowMs: number): Date => {
  const d = new Date(nowMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
};
const utcDay = (nowMs: number): number => Math.floor(nowMs / 86_400_000);

export class RiskEngine {
  private readonly holdings = new Map<string, Holding>();
  private realizedToday = 0;
  private day: number;
  private haltedUntil: Date | null = null;
  /** Counted as open positions; not marked here (today's P&L at the start, pnlAtStart, already holds them). */
  private readonly heldAtStart: Set<string>;
  haltReason: string | null = null;

  constructor(
    private config: RunnerConfig,
    private readonly plan: RunnerPlan,
    nowMs: number,
    /** Instruments held when the runner started (the database's open positions). */
    openAtStart: readonly string[] = [],
    pnlAtStart = 0,
  ) {
    this.heldAtStart = new Set(openAtStart);
    this.day = utcDay(nowMs);
    this.realizedToday = pnlAtStart;
  }

  setConfig(config: RunnerConfig): void {
    this.config = config;
  }

  maxTradeSizeUsd(): number {
    return Math.min(this.config.max_trade_size_usd, this.plan.maxTradeSizeUsd);
  }
  maxDailyLossUsd(): number {
    return Math.min(this.config.max_daily_loss_usd, this.plan.maxDailyLossUsd);
  }
  maxPositions(): number {
    return Math.min(this.config.max_open_positions, this.plan.maxPositions);
  }
  /**
   * Positions really open: one per instrument held (holdsPosition, the one definition), from before the start or
   * since. The runner only ever sells what it just bought (an unwind), so a position held at the start stays open.
   */
  openPositions(): number {
    let n = this.heldAtStart.size;
    for (const [id, h] of this.holdings) if (!this.heldAtStart.has(id) && holdsPosition(h.size)) n++;
    return n;
  }

  private holds(instrumentId: string): boolean {
    return this.heldAtStart.has(instrumentId) || holdsPosition(this.holdings.get(instrumentId)?.size ?? 0);
  }

  /**
   * Realized today plus the unrealized P&L of what is held, by the P&L model: each leg marked by the mark rule (best
   * bid; no bid → the last bid seen; none → average entry price), an arbitrage basket's complete sets at 1 each.
   */
  pnlToday(book: (id: string) => OrderBook | undefined): number {
    const positions: PnlPosition[] = [];
    const holdingOf = new Map<PnlPosition, Holding>();
    for (const [id, h] of this.holdings) {
      if (!holdsPosition(h.size)) continue;
      const p = asPosition(id, h);
      positions.push(p);
      holdingOf.set(p, h);
    }
    const { unrealizedUsd } = valueOpenPositions(positions, (p) => {
      const h = holdingOf.get(p) as Holding;
      const bestBid = book(p.instrumentId)?.bids[0]?.price ?? null;
      if (bestBid !== null) h.lastBid = bestBid;
      return markPrice({ bestBid, lastMark: h.lastBid, avgPrice: h.avgPrice });
    });
    return this.realizedToday + unrealizedUsd;
  }

  /** Re-evaluates the halt; returns the halt reason while halted. */
  refresh(nowMs: number, book: (id: string) => OrderBook | undefined): string | null {
    if (utcDay(nowMs) !== this.day) {
      // New UTC day: yesterday's losses no longer count, and the halt lifts.
      this.day = utcDay(nowMs);
      this.realizedToday = 0;
      // Held positions are re-based at today's mark so only today's moves count against today's limit.
      for (const [id, h] of this.holdings) {
        const rebased =
          h.size * markPrice({ bestBid: book(id)?.bids[0]?.price ?? null, lastMark: h.lastBid, avgPrice: h.avgPrice });
        h.carriedUsd += rebased - h.cost;
        h.cost = rebased;
      }
      this.haltedUntil = null;
      this.haltReason = null;
    }
    if (this.haltedUntil && nowMs < this.haltedUntil.getTime()) return this.haltReason;
    const pnl = this.pnlToday(book);
    if (pnl <= -this.maxDailyLossUsd()) {
      this.haltedUntil = nextUtcMidnight(nowMs);
      this.haltReason = `daily loss limit reached: ${pnl.toFixed(2)} USD today (limit ${this.maxDailyLossUsd().toFixed(2)}); no new positions until ${this.haltedUntil.toISOString()}`;
      return this.haltReason;
    }
    return null;
  }

  halted(): Date | null {
    return this.haltedUntil;
  }

  check(opportunity: Opportunity, nowMs: number, book: (id: string) => OrderBook | undefined): RiskVerdict {
    const halt = this.refresh(nowMs, book);
    if (halt) return { ok: false, code: 'daily_loss_limit', reason: halt };
    if (opportunity.cost > this.maxTradeSizeUsd() + 1e-9)
      return {
        ok: false,
        code: 'above_max_trade_size',
        reason: `costs $${opportunity.cost.toFixed(2)}, above the max trade size of $${this.maxTradeSizeUsd().toFixed(2)}`,
      };
    const newPositions = new Set(opportunity.legs.filter((l) => !this.holds(l.instrumentId)).map((l) => l.instrumentId))
      .size;
    if (this.openPositions() + newPositions > this.maxPositions())
      return {
        ok: false,
        code: 'max_positions',
        reason: `would open ${newPositions} new position${newPositions === 1 ? '' : 's'} with ${this.openPositions()} of ${this.maxPositions()} open`,
      };
    return { ok: true };
  }

  /** A fill changes holdings: buys add cost; sells realize against the average cost (saleRealizedUsd). */
  onFill(
    instrumentId: string,
    side: 'buy' | 'sell',
    size: number,
    price: number,
    fee: number,
    origin: FillOrigin = { legGroupId: null, strategy: null },
  ): void {
    const h = this.holdings.get(instrumentId) ?? {
      size: 0,
      cost: 0,
      avgPrice: 0,
      lastBid: null,
      carriedUsd: 0,
      legGroupId: origin.legGroupId,
      strategy: origin.strategy,
    };
    if (side === 'buy') {
      // The buy that opens a position names its basket and strategy (as the platform's booking does).
      if (!holdsPosition(h.size))
        Object.assign(h, { legGroupId: origin.legGroupId, strategy: origin.strategy, carriedUsd: 0 });
      h.avgPrice = (h.avgPrice * h.size + price * size) / (h.size + size);
      h.size += size;
      h.cost += size * price + fee;
    } else {
      const avg = h.size > 0 ? h.cost / h.size : 0;
      const sold = Math.min(size, h.size);
      this.realizedToday += saleRealizedUsd(size, price, fee, avg, h.size);
      h.carriedUsd = h.size > 0 ? h.carriedUsd * (1 - sold / h.size) : 0;
      h.size -= sold;
      h.cost -= avg * sold;
    }
    this.holdings.set(instrumentId, h);
  }

  /**
   * The market of `instrumentId` settled (the manager's `positionsSettled`): the position is no longer open, and its
   * settlement's realized P&L (`realizedUsd`, the sum of the user's settlements of that instrument, as settleMarket
   * returned them) counts today, less what earlier days already counted through the midnight re-basing. A position
   * held since before this runner started was never marked here (pnlAtStart holds it): it only stops counting as open.
   */
  onSettled(instrumentId: string, realizedUsd: number): void {
    const h = this.holdings.get(instrumentId);
    if (h && !this.heldAtStart.has(instrumentId) && holdsPosition(h.size)) {
      this.realizedToday += realizedUsd - h.carriedUsd;
    }
    this.holdings.delete(instrumentId);
    this.heldAtStart.delete(instrumentId);
  }
}

function asPosition(instrumentId: string, h: Holding): PnlPosition {
  return {
    platform: 'polymarket', // not read by the valuation
    marketId: instrumentId,
    instrumentId,
    outcome: null,
    mode: 'paper',
    status: 'open',
    size: h.size,
    avgPrice: h.avgPrice,
    costBasisUsd: h.cost,
    realizedPnlUsd: 0,
    markPrice: h.lastBid,
    strategy: h.strategy,
    legGroupId: h.legGroupId,
  };
}
