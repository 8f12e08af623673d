// PolybotRunner: market data from the manager's hub → enabled strategies → risk → execution → persistence, for one
// user. Decisions run one at a time; a new config is applied between decisions (the safe point) and acknowledged.
import { NO_FEES, type Instrument, type Opportunity, type OrderBook } from '@polybot/schemas';
import { IncrementalArbEvaluator, singlePlatformPlans, type ArbParams, type MarketSnapshot } from '@polybot/strategies';
import type { Trading } from '@polybot/venues';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import type { FromRunner, InitMessage, RunnerConfig, RunnerStats } from '../shared/ipc.ts';
import type { DbRpc } from './db-rpc.ts';
import { createLiveTrading, createPaperTrading, runArbitrage, tradeRows } from './execution.ts';
import { decideMode, type ModeDecision } from './mode.ts';
import { RiskEngine } from './risk.ts';

const LIMIT_RECHECK_MS = 60_000;

export class PolybotRunner {
  private config: RunnerConfig;
  private configVersion: number;
  private pendingConfig: { config: RunnerConfig; version: number } | null = null;
  private readonly books = new Map<string, OrderBook>();
  private readonly instruments: Map<string, Instrument>;
  private evaluator: IncrementalArbEvaluator;
  private readonly risk: RiskEngine;
  private readonly paper: Trading;
  private live: Trading | null = null;
  private mode: ModeDecision;
  private busy: Promise<void> | null = null;
  private readonly acted = new Set<string>();
  private limitReachedAt: number | null = null;
  private stopping = false;
  private readonly latencies: number[] = [];
  private decisions = 0;
  private stats = { tradesPlaced: 0, opportunitiesSeen: 0, lastError: null as string | null };
  private readonly snapshot: MarketSnapshot;

  constructor(
    private readonly init: InitMessage,
    private readonly db: DbRpc,
    private readonly send: (msg: FromRunner) => void,
    private readonly log: Logger,
  ) {
    this.config = init.config;
    this.configVersion = init.configVersion;
    this.instruments = new Map(init.instruments.map((i) => [i.instrumentId, i]));
    this.snapshot = { instruments: this.instruments, books: this.books, fees: (i) => init.fees[i.instrumentId] ?? NO_FEES };
    this.evaluator = this.buildEvaluator();
    this.risk = new RiskEngine(init.config, init.plan, Date.now(), init.openPositions, init.pnlTodayUsd);
    this.paper = createPaperTrading(this.books, init.fees);
    this.mode = decideMode(init.config, init.plan, init.keys);
  }

  /** Strategies that run = config toggle AND plan feature. Cross/overlapping need links and a second venue feed. */
  private buildEvaluator(): IncrementalArbEvaluator {
    const single = this.config.enable_polymarket && this.config.enable_single_platform_arb && this.init.plan.features.single_platform;
    return new IncrementalArbEvaluator(single ? singlePlatformPlans(this.instruments) : []);
  }

  private params(): ArbParams {
    return { minProfitPct: this.config.min_profit_pct, maxTradeSizeUsd: this.risk.maxTradeSizeUsd(), maxBookAgeMs: this.config.max_book_age_ms };
  }

  onConfig(config: RunnerConfig, version: number): void {
    this.pendingConfig = { config, version };
    if (!this.busy) this.applyPendingConfig();
  }

  private applyPendingConfig(): void {
    const next = this.pendingConfig;
    if (!next) return;
    this.pendingConfig = null;
    this.config = next.config;
    this.configVersion = next.version;
    this.risk.setConfig(next.config);
    this.evaluator = this.buildEvaluator();
    this.mode = decideMode(next.config, this.init.plan, this.init.keys);
    this.log.info({ configVersion: next.version, mode: this.mode.mode }, 'config applied in place');
    this.send({ type: 'configAck', configVersion: next.version });
    this.heartbeat();
  }

  onBook(book: OrderBook, hubAtMs: number): void {
    if (this.stopping) return;
    this.books.set(book.instrumentId, book);
    if (this.busy) return; // the decision in flight re-reads the books when it finishes
    const now = Date.now();
    const update = this.evaluator.onBookUpdate(book.instrumentId, this.snapshot, this.params(), now);
    this.decisions++;
    this.latencies.push(Date.now() - hubAtMs);
    if (this.latencies.length > 2000) this.latencies.splice(0, 1000);
    const best = update.opportunities.filter((o) => !this.acted.has(o.id)).sort((a, b) => b.expectedProfit - a.expectedProfit)[0];
    if (best) this.startDecision(best);
  }

  private startDecision(opportunity: Opportunity): void {
    this.stats.opportunitiesSeen++;
    this.busy = this.decide(opportunity)
      .catch((e: unknown) => {
        this.stats.lastError = coerceError(e).message;
        this.log.error({ err: coerceError(e).message, opportunityId: opportunity.id }, 'decision failed');
      })
      .finally(() => {
        this.busy = null;
        this.applyPendingConfig();
      });
  }

  private async decide(opportunity: Opportunity): Promise<void> {
    const now = Date.now();
    const verdict = this.risk.check(opportunity, now, (id) => this.books.get(id));
    if (!verdict.ok) return;
    if (this.limitReachedAt !== null && now - this.limitReachedAt < LIMIT_RECHECK_MS) return;
    this.acted.add(opportunity.id);
    // The monthly limit is reserved in the database before any order of this execution goes out.
    const reserved = (await this.db.call({ op: 'reserveTrade', legGroupId: opportunity.id })) === true;
    if (!reserved) {
      this.limitReachedAt = now;
      this.log.warn({ opportunityId: opportunity.id }, 'monthly trade limit reached: no order sent');
      this.heartbeat();
      return;
    }
    this.limitReachedAt = null;
    const trading = await this.trading();
    const execution = await runArbitrage(trading, opportunity, this.books);
    const rows = tradeRows(execution, opportunity, trading.mode, (id) => {
      const i = this.instruments.get(id);
      return { marketId: i?.marketId ?? id, outcome: i?.outcome ?? '' };
    });
    for (const r of rows) if (r.filledSize > 0 && r.price !== null) this.risk.onFill(r.instrumentId, r.side, r.filledSize, r.price, r.fee);
    if (rows.length > 0) await this.db.call({ op: 'recordExecution', trades: rows });
    this.stats.tradesPlaced++;
    this.log.info({ opportunityId: opportunity.id, status: execution.status, mode: trading.mode, legs: rows.length }, 'executed');
    if (this.risk.refresh(Date.now(), (id) => this.books.get(id))) this.heartbeat();
  }

  private async trading(): Promise<Trading> {
    if (this.mode.mode === 'paper') return this.paper;
    if (!this.live) {
      const key = this.init.keys.find((k) => k.platform === 'polymarket' && !k.isPaper && k.validationStatus === 'valid');
      if (!key) throw new Error('live mode without a live key');
      this.live = await createLiveTrading(key, this.init.venueUrls);
    }
    return this.live;
  }

  currentStats(): RunnerStats {
    const getBook = (id: string): OrderBook | undefined => this.books.get(id);
    const halt = this.risk.refresh(Date.now(), getBook);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const p99 = sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? null);
    return {
      state: this.limitReachedAt !== null ? 'limit_reached' : 'running',
      mode: this.mode.mode,
      modeReason: this.mode.reason,
      pnlTodayUsd: Math.round(this.risk.pnlToday(getBook) * 1e6) / 1e6,
      openPositions: this.risk.openPositions(),
      tradesPlaced: this.stats.tradesPlaced,
      opportunitiesSeen: this.stats.opportunitiesSeen,
      haltedUntil: halt ? (this.risk.halted()?.toISOString() ?? null) : null,
      haltReason: halt ?? (this.limitReachedAt !== null ? 'monthly trade limit reached: no new orders until the limit resets or the plan changes' : null),
      lastError: this.stats.lastError,
      decisionP99Ms: p99,
      decisions: this.decisions,
    };
  }

  heartbeat(): void {
    if (this.stopping) return;
    this.send({ type: 'heartbeat', configVersion: this.configVersion, stats: this.currentStats() });
  }

  /** Graceful stop: no new decisions; the one in flight finishes and is booked before we report stopped. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.busy) await this.busy;
  }
}
