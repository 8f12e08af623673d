// The risk engine: per-opportunity checks against the tighter of the user's config and the plan's limits, and the
// daily loss halt (realized + marked-to-market; once hit, no new positions until the next UTC day).
import { holdsPosition, type Opportunity, type OpportunitySkipCode, type OrderBook } from '@polybot/schemas';
import type { RunnerConfig, RunnerPlan } from '../shared/ipc.ts';

export interface Holding {
  size: number;
  /** Money paid for what is held, fees included. */
  cost: number;
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

  /** Realized today plus what held contracts would fetch at the best bid now, minus what they cost. */
  pnlToday(book: (id: string) => OrderBook | undefined): number {
    let marked = 0;
    for (const [id, h] of this.holdings) {
      if (!holdsPosition(h.size)) continue;
      const bid = book(id)?.bids[0]?.price ?? 0;
      marked += h.size * bid - h.cost;
    }
    return this.realizedToday + marked;
  }

  /** Re-evaluates the halt; returns the halt reason while halted. */
  refresh(nowMs: number, book: (id: string) => OrderBook | undefined): string | null {
    if (utcDay(nowMs) !== this.day) {
      // New UTC day: yesterday's losses no longer count, and the halt lifts.
      this.day = utcDay(nowMs);
      this.realizedToday = 0;
      // Held positions are re-based at today's mark so only today's moves count against today's limit.
      for (const [id, h] of this.holdings) h.cost = h.size * (book(id)?.bids[0]?.price ?? 0);
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

  /**
   * These instruments' positions were settled (their market resolved): no longer open, and the settlement's realized
   * P&L counts towards today's.
   */
  settled(instrumentIds: readonly string[], realizedPnlUsd: number): void {
    for (const id of instrumentIds) {
      this.heldAtStart.delete(id);
      this.holdings.delete(id);
    }
    this.realizedToday += realizedPnlUsd;
  }

  /** A fill changes holdings: buys add cost; sells realize against the average cost. */
  onFill(instrumentId: string, side: 'buy' | 'sell', size: number, price: number, fee: number): void {
    const h = this.holdings.get(instrumentId) ?? { size: 0, cost: 0 };
    if (side === 'buy') {
      h.size += size;
      h.cost += size * price + fee;
    } else {
      const avg = h.size > 0 ? h.cost / h.size : 0;
      const sold = Math.min(size, h.size);
      this.realizedToday += sold * price - fee - avg * sold;
      h.size -= sold;
      h.cost -= avg * sold;
    }
    this.holdings.set(instrumentId, h);
  }
}
