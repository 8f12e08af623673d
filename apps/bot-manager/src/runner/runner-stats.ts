// What a runner reports in every heartbeat (RunnerStats), assembled from the parts that own each figure, and the
// book-update-to-decision latencies it keeps for the p99.
import type { OrderBook } from '@polybot/schemas';
import type { IgnoredNewsRule, RunnerStats } from '../shared/ipc.ts';
import type { ModeDecision } from './mode.ts';
import type { RecentOpportunities } from './recent.ts';
import type { RiskEngine } from './risk.ts';

/** Hub receive in the manager → strategy evaluated here, per book update priced at once. */
export class DecisionLatencies {
  private readonly samples: number[] = [];
  private count = 0;

  record(ms: number): void {
    this.count++;
    this.samples.push(ms);
    if (this.samples.length > 2000) this.samples.splice(0, 1000);
  }

  get decisions(): number {
    return this.count;
  }

  p99(): number | null {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? null);
  }
}

export interface StatsSources {
  risk: RiskEngine;
  books: ReadonlyMap<string, OrderBook>;
  mode: ModeDecision;
  /** The last denied reservation: the month has room for fewer than `orders` more orders. */
  limitReached: { atMs: number; orders: number } | null;
  counters: { tradesPlaced: number; opportunitiesSeen: number; lastError: string | null };
  latencies: DecisionLatencies;
  recent: RecentOpportunities;
  ignoredNewsRules: IgnoredNewsRule[];
}

export function assembleStats(src: StatsSources, nowMs = Date.now()): RunnerStats {
  const getBook = (id: string): OrderBook | undefined => src.books.get(id);
  const halt = src.risk.refresh(nowMs, getBook);
  const lr = src.limitReached;
  return {
    state: lr !== null ? 'limit_reached' : 'running',
    mode: src.mode.mode,
    modeReason: src.mode.reason,
    pnlTodayUsd: Math.round(src.risk.pnlToday(getBook) * 1e6) / 1e6,
    openPositions: src.risk.openPositions(),
    tradesPlaced: src.counters.tradesPlaced,
    opportunitiesSeen: src.counters.opportunitiesSeen,
    haltedUntil: halt ? (src.risk.halted()?.toISOString() ?? null) : null,
    haltReason: halt ?? (lr !== null
      ? `monthly trade limit reached: no room for ${lr.orders} more orders (one per leg); no new orders that size until the limit resets or the plan changes`
      : null),
    lastError: src.counters.lastError,
    decisionP99Ms: src.latencies.p99(),
    decisions: src.latencies.decisions,
    recentOpportunities: src.recent.list(),
    ignoredNewsRules: src.ignoredNewsRules,
  };
}
