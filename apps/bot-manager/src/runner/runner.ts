// PolybotRunner: market data from the manager's hub → enabled strategies → risk → execution → persistence, for one
// user. Decisions run one at a time; a new config is applied between decisions (the safe point) and acknowledged.
import { NO_FEES, type Instrument, type MarketLink, type OrderBook } from '@polybot/schemas';
import { IncrementalArbEvaluator, type ArbParams, type MarketSnapshot } from '@polybot/strategies';
import type { Logger } from 'pino';
import type {
  FromRunner,
  InitMessage,
  InstrumentsMessage,
  NewsItemMessage,
  PositionsSettledMessage,
  RunnerConfig,
  RunnerStats,
  WalletTradeMessage,
} from '../shared/ipc.ts';
import { copyEnabled, CopyTrader } from './copy.ts';
import type { DbRpc } from './db-rpc.ts';
import { DecisionLatencies } from './decision-latency.ts';
import { decideMode, type ModeDecision } from './mode.ts';
import { newsEnabled, NewsTrader, strategyRules } from './news.ts';
import { FundsCheck } from './funds.ts';
import { Decider, FUNDS_RECHECK_MS, type DecisionCounters } from './decision.ts';
import { differenceWords, LivePositionCheck } from './reconcile-positions.ts';
import type { OrderPath } from './order-path.ts';
import { RecentOpportunities } from './recent.ts';
import { RiskEngine } from './risk.ts';
import { assembleStats } from './runner-stats.ts';
import { buildPlans } from './strategies.ts';
import { TradingRouter } from './trading-router.ts';
import { KalshiReconciler } from './reconcile.ts';
import { IntentBook } from './intents.ts';
import { IntentReconciler } from './reconcile-intents.ts';
import { KeyRejectedReporter } from './key-rejected.ts';
import { DeadMan } from './dead-man.ts';
import { Universe } from './universe.ts';
import { staleBook } from './fresh-books.ts';
import { VenuePauses, venueProbe } from './venue-pause.ts';

export class PolybotRunner {
  private config: RunnerConfig;
  private configVersion: number;
  private pendingConfig: { config: RunnerConfig; version: number } | null = null;
  private links: MarketLink[];
  private pendingLinks: MarketLink[] | null = null;
  private readonly books = new Map<string, OrderBook>();
  /** Listed instruments and their fees, changed in place by the manager's `instruments` messages (universe.ts). */
  private readonly universe: Universe;
  private readonly instruments: Map<string, Instrument>;
  private evaluator: IncrementalArbEvaluator;
  private readonly risk: RiskEngine;
  private readonly router: TradingRouter;
  private mode: ModeDecision;
  private readonly recent = new RecentOpportunities();
  private readonly dirty = new Set<string>();
  private rescanAll = false;
  private stopping = false;
  private readonly latencies = new DecisionLatencies();
  private readonly stats: DecisionCounters = { tradesPlaced: 0, opportunitiesSeen: 0, lastError: null };
  private readonly snapshot: MarketSnapshot;
  private readonly copy: CopyTrader;
  private readonly news: NewsTrader;
  private readonly orderPath: OrderPath;
  private readonly reconciler: KalshiReconciler;
  private readonly intents: IntentBook;
  private readonly intentReconciler: IntentReconciler;
  /** With no book at all, market data counts as stale from here (blocked.ts). */
  private readonly startedAtMs = Date.now();
  /** Venue heartbeats while live, cancel-all on the way out (dead-man.ts). */
  private readonly deadMan: DeadMan;
  /** Venues paused by maintenance or an engine restart: no orders there until they trade again (venue-pause.ts). */
  private readonly pauses: VenuePauses;
  /** Live positions compared with the venues once per runner, after its intents are resolved (reconcile-positions.ts). */
  private readonly positionCheck: LivePositionCheck;
  /** From the strategies' opportunities to orders and bookings, one decision at a time (decision.ts). */
  private readonly decider: Decider;

  constructor(
    private readonly init: InitMessage,
    private readonly db: DbRpc,
    private readonly send: (msg: FromRunner) => void,
    private readonly log: Logger,
  ) {
    this.config = init.config;
    this.configVersion = init.configVersion;
    this.links = init.links;
    this.universe = new Universe(init.instruments, init.fees);
    this.instruments = this.universe.instruments;
    const fees = this.universe.fees;
    this.snapshot = {
      instruments: this.instruments,
      books: this.books,
      fees: (i) => fees[i.instrumentId] ?? NO_FEES,
    };
    this.evaluator = this.buildEvaluator();
    this.risk = new RiskEngine(init.config, init.plan, Date.now(), init.openInstrumentIds, init.pnlTodayUsd);
    this.router = new TradingRouter(
      this.books,
      fees,
      init.keys,
      init.venueUrls,
      new KeyRejectedReporter((venue, reason) => this.send({ type: 'keyRejected', venue, reason })),
    );
    this.mode = decideMode(init.config, init.plan, init.keys);
    this.deadMan = new DeadMan(this.router, log, { heartbeatMs: init.venueHeartbeatMs });
    this.deadMan.arm(this.mode.venues);
    this.copy = new CopyTrader(init.copiedTxHashes);
    this.news = new NewsTrader(init.newsSeenKeys);
    this.news.setRules(strategyRules(this.config, this.instruments, this.log));
    this.reconciler = new KalshiReconciler(
      init.keys.find((k) => k.platform === 'kalshi' && !k.isPaper && k.validationStatus === 'valid'),
      init.venueUrls,
      db,
      log,
    );
    // Live Kalshi settlements a previous runner of this user did not get to reconcile.
    if (init.reconcileKalshi.length > 0) this.reconciler.reconcile(init.reconcileKalshi);
    // Orders a previous runner wrote down and never booked: nothing more on their instruments until reconciled.
    this.intents = new IntentBook(db, log, init.testHooks);
    this.intents.adopt(init.unresolvedIntents);
    this.pauses = new VenuePauses({
      probe: venueProbe(init.venueUrls),
      log,
      onChange: () => {
        // Paused or trading again: the status says so now, and what waited may be priced again.
        this.heartbeat();
        this.rescanAll = true;
        this.resume();
      },
    });
    this.orderPath = {
      db,
      router: this.router,
      risk: this.risk,
      books: this.books,
      instruments: this.instruments,
      closedLeg: (o) => this.universe.closedLeg(o),
      funds: new FundsCheck({ maxAgeMs: FUNDS_RECHECK_MS }),
      intents: this.intents,
      holdBeforeSend: (o) =>
        this.pauses.blocked(o) ?? staleBook(o.legs, this.books, this.config.max_book_age_ms, Date.now()),
      pauses: this.pauses,
    };
    this.intentReconciler = new IntentReconciler({
      intents: this.intents,
      router: this.router,
      db,
      risk: this.risk,
      title: (id) => this.instruments.get(id)?.title?.slice(0, 300) ?? null,
      log,
      onResolved: () => {
        this.rescanAll = true;
        this.resume();
      },
    });
    this.intentReconciler.start();
    this.positionCheck = new LivePositionCheck({
      router: this.router,
      db,
      log,
      listed: (id) => this.instruments.has(id) && !this.universe.isClosed(id),
      venues: () => (['polymarket', 'kalshi'] as const).filter((v) => this.mode.venues[v] === 'live'),
      ready: () => !this.decider.busy && this.intents.pending.length === 0,
      done: (differences) => {
        if (differences.length > 0) {
          this.stats.lastError = differenceWords(differences);
          this.heartbeat();
        }
        this.rescanAll = true;
        this.resume();
      },
    });
    this.decider = new Decider({
      db,
      log,
      universe: this.universe,
      intents: this.intents,
      pauses: this.pauses,
      risk: this.risk,
      books: this.books,
      router: this.router,
      orderPath: this.orderPath,
      copy: this.copy,
      news: this.news,
      recent: this.recent,
      counters: this.stats,
      mode: () => this.mode,
      heartbeat: () => this.heartbeat(),
      rescan: () => {
        this.rescanAll = true;
        this.resume();
      },
      settled: () => {
        this.applyPendingConfig();
        this.resume();
      },
      held: () => this.positionCheck.holding,
    });
  }

  /** Strategies that run = config toggle AND plan feature, over the enabled venues (strategies.ts). */
  private buildEvaluator(): IncrementalArbEvaluator {
    return new IncrementalArbEvaluator(buildPlans(this.instruments, this.links, this.config, this.init.plan.features));
  }

  private params(): ArbParams {
    return {
      minProfitPct: this.config.min_profit_pct,
      maxTradeSizeUsd: this.risk.maxTradeSizeUsd(),
      maxBookAgeMs: this.config.max_book_age_ms,
    };
  }

  onConfig(config: RunnerConfig, version: number): void {
    this.pendingConfig = { config, version };
    if (!this.decider.busy) {
      this.applyPendingConfig();
      this.resume();
    }
  }

  onLinks(links: MarketLink[]): void {
    this.pendingLinks = links;
    if (!this.decider.busy) {
      this.applyPendingConfig();
      this.resume();
    }
  }

  /** Markets listed, closed or resolved: closed instruments are refused from now on, the rest waits for the safe point. */
  onInstruments(msg: InstrumentsMessage): void {
    this.universe.receive(msg);
    if (!this.decider.busy) {
      this.applyPendingConfig();
      this.resume();
    }
  }

  /** This user's positions in these instruments were settled: they no longer count as open (max open positions). */
  onPositionsSettled(msg: PositionsSettledMessage): void {
    for (const id of msg.instrumentIds) this.risk.onSettled(id, msg.realizedPnlUsd?.[id] ?? 0);
    if (msg.reconcileKalshi && msg.reconcileKalshi.length > 0 && !this.stopping)
      this.reconciler.reconcile(msg.reconcileKalshi);
    this.log.info({ instruments: msg.instrumentIds.length }, 'positions settled');
    // Opportunities refused for max open positions may pass now: priced again, their books may not change any more.
    this.rescanAll = true;
    this.resume();
    this.heartbeat();
  }

  private applyPendingConfig(): void {
    if (this.universe.hasPending) {
      const { added, removed } = this.universe.applyPending();
      for (const id of removed) {
        this.books.delete(id);
        this.dirty.delete(id);
      }
      if (!this.pendingConfig) {
        this.evaluator = this.buildEvaluator();
        this.news.setRules(strategyRules(this.config, this.instruments, this.log));
        this.rescanAll = true;
      }
      this.log.info({ added, removed: removed.length, instruments: this.instruments.size }, 'market universe applied');
    }
    if (this.pendingLinks) {
      this.links = this.pendingLinks;
      this.pendingLinks = null;
      if (!this.pendingConfig) {
        this.evaluator = this.buildEvaluator();
        this.rescanAll = true;
      }
      this.log.info({ links: this.links.length }, 'approved market links applied');
    }
    const next = this.pendingConfig;
    if (!next) return;
    this.pendingConfig = null;
    this.config = next.config;
    this.configVersion = next.version;
    this.risk.setConfig(next.config);
    this.news.setRules(strategyRules(next.config, this.instruments, this.log));
    this.evaluator = this.buildEvaluator();
    this.rescanAll = true;
    this.mode = decideMode(next.config, this.init.plan, this.init.keys);
    this.deadMan.arm(this.mode.venues);
    this.log.info({ configVersion: next.version, mode: this.mode.mode }, 'config applied in place');
    this.send({ type: 'configAck', configVersion: next.version });
    this.heartbeat();
  }

  /** A followed wallet traded: mirrored between decisions, when copy trading is on (config AND plan). */
  onWalletTrade(trade: WalletTradeMessage): void {
    if (this.stopping) return;
    // As for news: the config that turned copy trading on may still wait for the safe point; the queue waits with it.
    if (!copyEnabled(this.pendingConfig?.config ?? this.config, this.init.plan.features)) {
      this.log.debug({ txHash: trade.txHash }, 'wallet trade ignored: copy trading is off');
      return;
    }
    this.copy.push(trade);
    this.resume();
  }

  /** A news item of a feed this user's rules read: priced at once (between decisions), when news is on (config AND plan). */
  onNewsItem(item: NewsItemMessage): void {
    if (this.stopping) return;
    // The config that turned news on may still wait for the safe point: the manager replays items right after sending it.
    if (!newsEnabled(this.pendingConfig?.config ?? this.config, this.init.plan.features)) {
      this.log.debug({ feed: item.feed, itemId: item.id }, 'news item ignored: news rules are off');
      return;
    }
    this.news.push(item);
    this.resume();
  }

  onBook(book: OrderBook, hubAtMs: number): void {
    if (this.stopping) return;
    // A book still in flight from the hub after its market closed: nothing to price any more. (A book of an instrument
    // added but not applied yet is kept: its venue may not send it again.)
    if (this.universe.isClosed(book.instrumentId)) return;
    this.books.set(book.instrumentId, book);
    this.news.onBook(book.instrumentId, Date.now());
    if (this.copy.unpark(book.instrumentId)) this.resume();
    if (this.decider.busy || this.throttled()) {
      // Priced when the decision in flight (or the throttle) ends: a quiet venue may never send this book again.
      this.dirty.add(book.instrumentId);
      return;
    }
    const update = this.evaluator.onBookUpdate(book.instrumentId, this.snapshot, this.params(), Date.now());
    this.latencies.record(Date.now() - hubAtMs);
    this.decider.consider(update.opportunities);
    this.considerNews(Date.now());
  }

  /** News signals, when an item or a watched book changed since the last look. */
  private considerNews(now: number): void {
    if (this.decider.busy || !this.news.pending || !newsEnabled(this.config, this.init.plan.features)) return;
    this.decider.consider(this.news.signals(this.snapshot, this.params(), now));
  }

  /** Books that changed during a decision (or every book, after the baskets were rebuilt), then the best candidate. */
  private resume(): void {
    if (this.stopping || this.decider.busy || this.throttled() || this.positionCheck.poll()) return;
    const now = Date.now();
    // Followed wallets' trades first, one at a time: each is its own decision, and they are time-sensitive.
    while (this.copy.pending > 0 && copyEnabled(this.config, this.init.plan.features)) {
      this.decider.consider(this.copy.next(this.snapshot, this.config, this.risk.maxTradeSizeUsd(), now));
      if (this.decider.busy) return;
    }
    this.considerNews(now);
    if (this.decider.busy) return;
    if (this.rescanAll) {
      this.rescanAll = false;
      this.dirty.clear();
      this.decider.consider(this.evaluator.evaluateAll(this.snapshot, this.params(), now));
      return;
    }
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) this.evaluator.onBookUpdate(id, this.snapshot, this.params(), now);
    this.decider.consider(this.evaluator.current());
  }

  private throttledUntil = 0;
  private throttleTimer: NodeJS.Timeout | null = null;
  /**
   * Over its CPU budget (the manager's manager/cpu-budget.ts): no decisions for `forMs`. Books are still stored and
   * marked; what changed meanwhile is priced when the throttle ends. Heartbeats and reconciliation go on.
   */
  throttle(forMs: number): void {
    this.throttledUntil = Date.now() + forMs;
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    this.throttleTimer = setTimeout(() => {
      this.throttleTimer = null;
      this.resume();
    }, forMs);
  }

  private throttled(): boolean {
    return Date.now() < this.throttledUntil;
  }

  currentStats(): RunnerStats {
    return assembleStats({
      config: this.config,
      plan: this.init.plan,
      instruments: this.instruments,
      startedAtMs: this.startedAtMs,
      risk: this.risk,
      books: this.books,
      mode: this.mode,
      limitReached: this.decider.limitReached,
      counters: this.stats,
      latencies: this.latencies,
      recent: this.recent,
      ignoredNewsRules: this.news.ignored,
      keys: this.init.keys,
      venuePaused: this.pauses.haltReason(),
    });
  }

  heartbeat(): void {
    if (this.stopping) return;
    this.positionCheck.poll();
    this.send({ type: 'heartbeat', configVersion: this.configVersion, stats: this.currentStats() });
  }

  /** A decision (reservation → orders → booking) is in flight. */
  get deciding(): boolean {
    return this.decider.busy !== null;
  }

  /**
   * Graceful stop: no new decisions; the one in flight finishes and is booked, then the live venues' resting orders
   * are cancelled (dead-man.ts), before we report stopped.
   */
  async stop(why = 'stop'): Promise<void> {
    this.stopping = true;
    this.reconciler.stop();
    this.intentReconciler.stop();
    this.pauses.stop();
    if (this.decider.busy) await this.decider.busy;
    await this.deadMan.release(why);
  }

  /** The manager is gone: nothing can be booked any more, so nothing is waited for; resting orders are cancelled. */
  async abandon(): Promise<void> {
    this.stopping = true;
    this.reconciler.stop();
    await this.deadMan.release('manager lost');
  }
}
