// What a runner reports in every heartbeat (RunnerStats), assembled from the parts that own each figure.
import { classifyRunnerError, type OrderBook } from '@polybot/schemas';
import type { IgnoredNewsRule, RunnerStats } from '../shared/ipc.ts';
import type { DecisionLatencies } from './decision-latency.ts';
import type { ModeDecision } from './mode.ts';
import type { RecentOpportunities } from './recent.ts';
import type { RiskEngine } from './risk.ts';

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
    haltReason:
      halt ??
      (lr !== null
        ? `monthly trade limit reached: no room for ${lr.orders} more orders (one per leg); no new orders that size until the limit resets or the plan changes`
        : null),
    haltCode: halt ? 'daily_loss_limit' : lr !== null ? 'monthly_limit_reached' : null,
    lastError: src.counters.lastError,
    lastErrorCode: src.counters.lastError === null ? null : classifyRunnerError(src.counters.lastError),
    decisionP99Ms: src.latencies.p99(nowMs),
    decisions: src.latencies.decisions,
    recentOpportunities: src.recent.list(),
    ignoredNewsRules: src.ignoredNewsRules,
  };
}
