// What a runner reports in every heartbeat (RunnerStats), assembled from the parts that own each figure.
import { classifyRunnerError, type Instrument, type OrderBook } from '@polybot/schemas';
import type { IgnoredNewsRule, RunnerConfig, RunnerKey, RunnerPlan, RunnerStats } from '../shared/ipc.ts';
import { copyEnabled, newsEnabled } from '../shared/signal-gates.ts';
import { whyNotTrading } from './blocked.ts';
import type { DecisionLatencies } from './decision-latency.ts';
import type { ModeDecision } from './mode.ts';
import type { RecentOpportunities } from './recent.ts';
import type { RiskEngine } from './risk.ts';
import { enabledFeatures, enabledVenues } from './strategies.ts';

export interface StatsSources {
  config: RunnerConfig;
  plan: RunnerPlan;
  instruments: ReadonlyMap<string, Instrument>;
  startedAtMs: number;
  risk: RiskEngine;
  books: ReadonlyMap<string, OrderBook>;
  mode: ModeDecision;
  /** The last denied reservation: the month has room for fewer than `orders` more orders. */
  limitReached: { atMs: number; orders: number } | null;
  counters: { tradesPlaced: number; opportunitiesSeen: number; lastError: string | null };
  latencies: DecisionLatencies;
  recent: RecentOpportunities;
  ignoredNewsRules: IgnoredNewsRule[];
  /** The keys the runner got (live_key_invalid names the venue that rejected its live key, and when). */
  keys?: readonly RunnerKey[];
  /** Words for a paused venue (venue-pause.ts), or null. */
  venuePaused?: string | null;
  /** The CPU throttle now, and the pricings it put off so far (decision-throttle.ts). */
  throttle?: { active: boolean; skipped: number };
}

export function assembleStats(src: StatsSources, nowMs = Date.now()): RunnerStats {
  const getBook = (id: string): OrderBook | undefined => src.books.get(id);
  const halt = src.risk.refresh(nowMs, getBook);
  const lr = src.limitReached;
  const blocked = whyNotTrading(blockInputs(src, halt, nowMs));
  return {
    state: lr !== null ? 'limit_reached' : 'running',
    mode: src.mode.mode,
    modeReason: src.mode.reason,
    pnlTodayUsd: Math.round(src.risk.pnlToday(getBook) * 1e6) / 1e6,
    openPositions: src.risk.openPositions(),
    tradesPlaced: src.counters.tradesPlaced,
    opportunitiesSeen: src.counters.opportunitiesSeen,
    haltedUntil: halt ? (src.risk.halted()?.toISOString() ?? null) : null,
    haltReason: blocked?.reason ?? null,
    haltCode: blocked?.code ?? null,
    lastError: src.counters.lastError,
    lastErrorCode: src.counters.lastError === null ? null : classifyRunnerError(src.counters.lastError),
    decisionP99Ms: src.latencies.p99(nowMs),
    decisions: src.latencies.decisions,
    recentOpportunities: src.recent.list(),
    ignoredNewsRules: src.ignoredNewsRules,
    throttled: src.throttle?.active ?? false,
    decisionsSkippedThrottled: src.throttle?.skipped ?? 0,
  };
}

/** What whyNotTrading reads, from the runner's parts. */
function blockInputs(src: StatsSources, dailyLossHalt: string | null, nowMs: number) {
  const { config, plan } = src;
  const venues = enabledVenues(config);
  let newestBookMs: number | null = null;
  for (const b of src.books.values())
    if (venues.has(b.venue) && (newestBookMs === null || b.timestampMs > newestBookMs)) newestBookMs = b.timestampMs;
  const liveAsked = !config.dry_run;
  const paperVenues =
    liveAsked && plan.liveTradingAllowed ? [...venues].filter((v) => src.mode.venues[v] === 'paper') : [];
  return {
    venues,
    anyStrategy:
      enabledFeatures(config, plan.features).size > 0 ||
      copyEnabled(config, plan.features) ||
      newsEnabled(config, plan.features),
    instruments: src.instruments.values(),
    maxTradeSizeUsd: src.risk.maxTradeSizeUsd(),
    openPositions: src.risk.openPositions(),
    maxPositions: src.risk.maxPositions(),
    dailyLossHalt,
    monthlyLimit: src.limitReached,
    liveNotInPlan: liveAsked && !plan.liveTradingAllowed,
    liveKeysMissing: paperVenues,
    newestBookMs,
    startedAtMs: src.startedAtMs,
    maxBookAgeMs: config.max_book_age_ms,
    nowMs,
    liveKeysInvalid: paperVenues.flatMap((venue) =>
      (src.keys ?? [])
        .filter((k) => k.platform === venue && !k.isPaper && k.validationStatus === 'invalid')
        .map((k) => ({ venue, checkedAt: k.validatedAt, reason: k.validationError })),
    ),
    venuePaused: src.venuePaused ?? null,
  };
}
