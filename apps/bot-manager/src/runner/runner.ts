// PolybotRunner: market data from the manager's hub → enabled strategies → risk → execution → persistence, for one
// user. Decisions run one at a time; a new config is applied between decisions (the safe point) and acknowledged.
import { NO_FEES, type Instrument, type MarketLink, type Opportunity, type OrderBook } from '@polybot/schemas';
import type { MarketSnapshot } from '@polybot/strategies';
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
import { CopyTrader } from './copy.ts';
import type { DbRpc } from './db-rpc.ts';
import { decideMode, type ModeDecision } from './mode.ts';
import { NewsTrader, strategyRules } from './news.ts';
import { PricingScheduler } from './pricing-scheduler.ts';
import { FundsCheck } from './funds.ts';
import { Decider, FUNDS_RECHECK_MS, type DecisionCounters } from './decision.ts';
import { RecentOpportunities } from './recent.ts';
import { RiskEngine } from './risk.ts';
import { assembleStats } from './runner-stats.ts';
import { TradingRouter } from './trading-router.ts';
import { VenueReconciliation } from './venue-reconciliation.ts';
import { KeyRejectedReporter } from './key-rejected.ts';
import { DeadMan } from './dead-man.ts';
import { Universe } from './universe.ts';
import { staleBook } from './fresh-books.ts';
import { VenuePauses, venueProbe } from './venue-pause.ts';
import { LeaseGuard } from './lease-guard.ts';

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
  private readonly risk: RiskEngine;
  private readonly router: TradingRouter;
  private mode: ModeDecision;
  private readonly recent = new RecentOpportunities(undefined, (o) => this.opportunityFound(o));
  private stopping = false;
  private readonly stats: DecisionCounters = { tradesPlaced: 0, opportunitiesSeen: 0, lastError: null };
  private readonly snapshot: MarketSnapshot;
  private readonly copy: CopyTrader;
  private readonly news: NewsTrader;
  /** Kalshi settlements, order intents of unknown fate, live positions: squared with the venues (venue-reconciliation.ts). */
  private readonly reconciliation: VenueReconciliation;
  /** With no book at all, market data counts as stale from here (blocked.ts). */
  private readonly startedAtMs = Date.now();
  /** Venue heartbeats while live, cancel-all on the way out (dead-man.ts). */
  private readonly deadMan: DeadMan;
  /** Venues paused by maintenance or an engine restart: no orders there until they trade again (venue-pause.ts). */
  private readonly pauses: VenuePauses;
  /** From the strategies' opportunities to orders and bookings, one decision at a time (decision.ts). */
  private readonly decider: Decider;
  /** What is priced when: book arrivals, the safe point, rescans, the CPU throttle (pricing-scheduler.ts). */
  private readonly pricing: PricingScheduler;
  /** The deadline from the manager: no order after it; at it, `onLeaseExpired` (lease-guard.ts, main.ts). */
  private readonly lease: LeaseGuard;

  constructor(
    private readonly init: InitMessage,
    private readonly db: DbRpc,
    private readonly send: (msg: FromRunner) => void,
    private readonly log: Logger,
    onLeaseExpired: () => void = () => undefined,
  ) {
    this.lease = new LeaseGuard({ until: init.leaseUntil, onExpired: onLeaseExpired });
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
    this.reconciliation = new VenueReconciliation({
      init,
      db,
      log,
      router: this.router,
      risk: this.risk,
      universe: this.universe,
      liveVenues: () => (['polymarket', 'kalshi'] as const).filter((v) => this.mode.venues[v] === 'live'),
      idle: () => !this.decider.busy,
      rescan: () => this.pricing.rescan(),
      differs: (words) => {
        this.stats.lastError = words;
        this.heartbeat();
      },
    });
    const { intents, positions } = this.reconciliation;
    this.pauses = new VenuePauses({
      probe: venueProbe(init.venueUrls),
      log,
      onChange: () => {
        // Paused or trading again: the status says so now, and what waited may be priced again.
        this.heartbeat();
        this.pricing.rescan();
      },
    });
    this.decider = new Decider({
      db,
      log,
      universe: this.universe,
      intents,
      pauses: this.pauses,
      risk: this.risk,
      books: this.books,
      router: this.router,
      orderPath: {
        db,
        router: this.router,
        risk: this.risk,
        books: this.books,
        instruments: this.instruments,
        closedLeg: (o) => this.universe.closedLeg(o),
        funds: new FundsCheck({ maxAgeMs: FUNDS_RECHECK_MS }),
        intents,
        holdBeforeSend: (o) =>
          this.pauses.blocked(o) ?? staleBook(o.legs, this.books, this.config.max_book_age_ms, Date.now()),
        pauses: this.pauses,
        lease: this.lease,
      },
      copy: this.copy,
      news: this.news,
      recent: this.recent,
      counters: this.stats,
      mode: () => this.mode,
      heartbeat: () => this.heartbeat(),
      rescan: () => this.pricing.rescan(),
      settled: () => this.safePoint(),
      held: () => positions.holding,
    });
    this.pricing = new PricingScheduler({
      snapshot: this.snapshot,
      books: this.books,
      universe: this.universe,
      decider: this.decider,
      copy: this.copy,
      news: this.news,
      risk: this.risk,
      config: () => this.config,
      nextConfig: () => this.pendingConfig?.config ?? this.config,
      features: init.plan.features,
      links: () => this.links,
      log,
      stopping: () => this.stopping,
      holding: () => positions.poll(),
    });
  }

  /** Between decisions: what waited for the safe point is applied, then what changed is priced. */
  private safePoint(): void {
    this.applyPendingConfig();
    this.pricing.resume();
  }

  onConfig(config: RunnerConfig, version: number): void {
    this.pendingConfig = { config, version };
    if (!this.decider.busy) this.safePoint();
  }

  onLinks(links: MarketLink[]): void {
    this.pendingLinks = links;
    if (!this.decider.busy) this.safePoint();
  }

  /** Markets listed, closed or resolved: closed instruments are refused from now on, the rest waits for the safe point. */
  onInstruments(msg: InstrumentsMessage): void {
    this.universe.receive(msg);
    if (!this.decider.busy) this.safePoint();
  }

  /** This user's positions in these instruments were settled: they no longer count as open (max open positions). */
  onPositionsSettled(msg: PositionsSettledMessage): void {
    for (const id of msg.instrumentIds) this.risk.onSettled(id, msg.realizedPnlUsd?.[id] ?? 0);
    if (!this.stopping) this.reconciliation.settled(msg.reconcileKalshi ?? []);
    this.log.info({ instruments: msg.instrumentIds.length }, 'positions settled');
    // Opportunities refused for max open positions may pass now: priced again, their books may not change any more.
    this.pricing.rescan();
    this.heartbeat();
  }

  private applyPendingConfig(): void {
    if (this.universe.hasPending) {
      const { added, removed } = this.universe.applyPending();
      for (const id of removed) {
        this.books.delete(id);
        this.pricing.forget(id);
      }
      if (!this.pendingConfig) {
        this.pricing.rebuild();
        this.news.setRules(strategyRules(this.config, this.instruments, this.log));
      }
      this.log.info({ added, removed: removed.length, instruments: this.instruments.size }, 'market universe applied');
    }
    if (this.pendingLinks) {
      this.links = this.pendingLinks;
      this.pendingLinks = null;
      if (!this.pendingConfig) this.pricing.rebuild();
      this.log.info({ links: this.links.length }, 'approved market links applied');
    }
    const next = this.pendingConfig;
    if (!next) return;
    this.pendingConfig = null;
    this.config = next.config;
    this.configVersion = next.version;
    this.risk.setConfig(next.config);
    this.news.setRules(strategyRules(next.config, this.instruments, this.log));
    this.pricing.rebuild();
    this.mode = decideMode(next.config, this.init.plan, this.init.keys);
    this.deadMan.arm(this.mode.venues);
    this.log.info({ configVersion: next.version, mode: this.mode.mode }, 'config applied in place');
    this.send({ type: 'configAck', configVersion: next.version });
    this.heartbeat();
  }

  /** A followed wallet traded: mirrored between decisions, when copy trading is on (config AND plan). */
  onWalletTrade(trade: WalletTradeMessage): void {
    if (!this.stopping) this.pricing.onWalletTrade(trade);
  }

  /** A news item of a feed this user's rules read: priced between decisions, when news is on (config AND plan). */
  onNewsItem(item: NewsItemMessage): void {
    if (!this.stopping) this.pricing.onNewsItem(item);
  }

  /** A book from the hub: stored and priced, or marked while a decision or the throttle is in the way. */
  onBook(book: OrderBook, hubAtMs: number): void {
    if (!this.stopping) this.pricing.onBook(book, hubAtMs);
  }

  /**
   * Over its CPU budget (the manager's manager/cpu-budget.ts): no decisions for `forMs`. Books are still stored and
   * marked; what changed meanwhile is priced when the throttle ends. Heartbeats and reconciliation go on.
   */
  throttle(forMs: number): void {
    this.pricing.throttleFor(forMs);
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
      latencies: this.pricing.latencies,
      recent: this.recent,
      ignoredNewsRules: this.news.ignored,
      keys: this.init.keys,
      venuePaused: this.pauses.haltReason(),
      throttle: { active: this.pricing.throttled, skipped: this.pricing.skippedThrottled },
    });
  }

  /** A new opportunity: the manager hears of it only while the user wants opportunity notifications. */
  private opportunityFound(o: Opportunity): void {
    if (this.stopping || this.config.notify_on_opportunity !== true) return;
    this.send({
      type: 'opportunity',
      key: o.id.slice(0, 500),
      strategy: o.strategy,
      description: o.description.slice(0, 500) || o.id.slice(0, 500),
      expectedProfitUsd: Number.isFinite(o.expectedProfit) ? o.expectedProfit : 0,
    });
  }

  heartbeat(): void {
    if (this.stopping) return;
    this.reconciliation.positions.poll();
    this.send({ type: 'heartbeat', configVersion: this.configVersion, stats: this.currentStats() });
  }

  /** A decision (reservation → orders → booking) is in flight. */
  get deciding(): boolean {
    return this.decider.busy !== null;
  }

  /**
   * Graceful stop: no new decisions; the one in flight finishes and is booked, then the live venues' resting orders
   * are cancelled (dead-man.ts), before we report stopped — unless the lease deadline comes first.
   */
  async stop(why = 'stop'): Promise<void> {
    this.stopping = true;
    // The lease guard keeps running: if the deadline passes while the decision in flight waits for its booking (a
    // manager cut off from the database never answers), the runner ends as on an expired lease (main.ts) instead of
    // living on into the time another manager may run this user.
    this.reconciliation.stop();
    this.pauses.stop();
    this.pricing.stop();
    if (this.decider.busy) await this.decider.busy;
    await this.deadMan.release(why);
  }

  /** A `lease` message: the manager still holds this user, until `until` (only ever forward). */
  extendLease(until: number): void {
    this.lease.extend(until);
  }

  /**
   * The manager is gone (or its lease expired: it may be, for all we know): nothing is waited for — a booking may
   * never come back, and past the lease no order may leave anyway; resting orders are cancelled.
   */
  async abandon(why = 'manager lost'): Promise<void> {
    this.stopping = true;
    this.lease.stop();
    this.reconciliation.stopSettlements();
    this.pricing.stop();
    await this.deadMan.release(why);
  }
}
