// PolybotRunner: market data from the manager's hub → enabled strategies → risk → execution → persistence, for one
// user. Decisions run one at a time; a new config is applied between decisions (the safe point) and acknowledged.
import {
  NO_FEES,
  type Instrument,
  type MarketLink,
  type Opportunity,
  type OpportunitySkipCode,
  type OrderBook,
} from '@polybot/schemas';
import { IncrementalArbEvaluator, type ArbParams, type MarketSnapshot } from '@polybot/strategies';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
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
import { basketMode, decideMode, type Mode, type ModeDecision } from './mode.ts';
import { newsEnabled, NewsTrader, strategyRules } from './news.ts';
import { FundsCheck } from './funds.ts';
import { checkFunds, executeReserved, reserveOrders, type OrderPath } from './order-path.ts';
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

const LIMIT_RECHECK_MS = 60_000;
/** After a live account could not pay: live baskets wait this long, then its balance is read again. */
const FUNDS_RECHECK_MS = 5_000;

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
  private busy: Promise<void> | null = null;
  private readonly acted = new Set<string>();
  /** The last denied reservation: the month has room for fewer than `orders` more orders. */
  private limitReached: { atMs: number; orders: number } | null = null;
  /** The last live basket a venue account could not pay for, and the words saying what to do (funds.ts). */
  private fundsShort: { atMs: number; code: 'insufficient_funds' | 'order_failed'; reason: string } | null = null;
  private readonly recent = new RecentOpportunities();
  private readonly dirty = new Set<string>();
  private rescanAll = false;
  private stopping = false;
  private readonly latencies = new DecisionLatencies();
  private stats = { tradesPlaced: 0, opportunitiesSeen: 0, lastError: null as string | null };
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
    if (!this.busy) {
      this.applyPendingConfig();
      this.resume();
    }
  }

  onLinks(links: MarketLink[]): void {
    this.pendingLinks = links;
    if (!this.busy) {
      this.applyPendingConfig();
      this.resume();
    }
  }

  /** Markets listed, closed or resolved: closed instruments are refused from now on, the rest waits for the safe point. */
  onInstruments(msg: InstrumentsMessage): void {
    this.universe.receive(msg);
    if (!this.busy) {
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
    if (this.busy) {
      // Priced when the decision in flight finishes: a quiet venue may never send this book again.
      this.dirty.add(book.instrumentId);
      return;
    }
    const update = this.evaluator.onBookUpdate(book.instrumentId, this.snapshot, this.params(), Date.now());
    this.latencies.record(Date.now() - hubAtMs);
    this.consider(update.opportunities);
    this.considerNews(Date.now());
  }

  /** News signals, when an item or a watched book changed since the last look. */
  private considerNews(now: number): void {
    if (this.busy || !this.news.pending || !newsEnabled(this.config, this.init.plan.features)) return;
    this.consider(this.news.signals(this.snapshot, this.params(), now));
  }

  /** Books that changed during a decision (or every book, after the baskets were rebuilt), then the best candidate. */
  private resume(): void {
    if (this.stopping || this.busy) return;
    const now = Date.now();
    // Followed wallets' trades first, one at a time: each is its own decision, and they are time-sensitive.
    while (this.copy.pending > 0 && copyEnabled(this.config, this.init.plan.features)) {
      this.consider(this.copy.next(this.snapshot, this.config, this.risk.maxTradeSizeUsd(), now));
      if (this.busy) return;
    }
    this.considerNews(now);
    if (this.busy) return;
    if (this.rescanAll) {
      this.rescanAll = false;
      this.dirty.clear();
      this.consider(this.evaluator.evaluateAll(this.snapshot, this.params(), now));
      return;
    }
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) this.evaluator.onBookUpdate(id, this.snapshot, this.params(), now);
    this.consider(this.evaluator.current());
  }

  /** The most profitable opportunity not yet acted on that risk and the monthly limit let through; the others say why not. */
  private consider(opportunities: readonly Opportunity[]): void {
    for (const o of opportunities) this.recent.seen(o);
    const now = Date.now();
    const open = opportunities.filter((o) => !this.acted.has(o.id));
    const passing: Opportunity[] = [];
    for (const o of open) {
      const v = this.verdict(o, now);
      if (v.ok) passing.push(o);
      else this.recent.skipped(o.id, v.code, v.reason);
    }
    const best = passing.sort((a, b) => b.expectedProfit - a.expectedProfit)[0];
    for (const o of passing)
      if (o !== best) this.recent.skipped(o.id, 'better_opportunity', 'a more profitable opportunity was taken first');
    if (best) this.startDecision(best);
  }

  /** Whether an opportunity may go out now, in which mode; else the skip code and words the dashboard shows. */
  private verdict(
    o: Opportunity,
    now: number,
  ): { ok: true; mode: Mode } | { ok: false; code: OpportunitySkipCode; reason: string } {
    const closed = this.universe.closedLeg(o);
    if (closed !== null)
      return { ok: false, code: 'market_closed', reason: `the market of ${closed.slice(0, 24)} closed` };
    const unresolved = this.intents.blocks(o);
    if (unresolved !== null)
      return {
        ok: false,
        code: 'intent_unresolved',
        reason: `an earlier order on ${unresolved.slice(0, 24)} has an unknown fate: nothing more until it is reconciled`,
      };
    const lr = this.limitReached;
    if (lr !== null && now - lr.atMs < LIMIT_RECHECK_MS && o.legs.length >= lr.orders)
      return {
        ok: false,
        code: 'monthly_limit',
        reason: `the monthly trade limit has no room for ${o.legs.length} more orders`,
      };
    const paused = this.pauses.blocked(o);
    if (paused) return { ok: false, ...paused };
    const risk = this.risk.check(o, now, (id) => this.books.get(id));
    if (!risk.ok) return risk;
    const mode = this.modeOf(o);
    if (mode === null) return { ok: false, code: 'mixed_modes', reason: 'its legs are on a live and a paper venue' };
    const routable = this.router.check(mode, o);
    if (!routable.ok) return { ok: false, code: 'not_routable', reason: routable.reason };
    const short = this.fundsShort;
    if (mode === 'live' && short !== null && now - short.atMs < FUNDS_RECHECK_MS)
      return { ok: false, code: short.code, reason: short.reason };
    return { ok: true, mode };
  }

  private startDecision(opportunity: Opportunity): void {
    this.stats.opportunitiesSeen++;
    this.busy = this.decide(opportunity)
      .catch((e: unknown) => {
        this.stats.lastError = coerceError(e).message;
        this.recent.skipped(opportunity.id, 'order_failed', coerceError(e).message);
        this.log.error({ err: coerceError(e).message, opportunityId: opportunity.id }, 'decision failed');
      })
      .finally(() => {
        this.busy = null;
        this.applyPendingConfig();
        this.resume();
      });
  }

  private async decide(opportunity: Opportunity): Promise<void> {
    const now = Date.now();
    // Checked again: a config applied or a fill booked since it was picked may have changed the answer.
    const verdict = this.verdict(opportunity, now);
    if (!verdict.ok) {
      this.recent.skipped(opportunity.id, verdict.code, verdict.reason);
      this.log.debug({ opportunityId: opportunity.id, reason: verdict.reason }, 'opportunity skipped');
      return;
    }
    const { mode } = verdict;
    const orders = opportunity.legs.length;
    // Before anything is reserved, and not marked acted: it trades once the account can pay.
    const funds = await checkFunds(this.orderPath, mode, opportunity);
    if (!funds.ok) {
      this.fundsShort = { atMs: now, code: funds.code, reason: funds.reason };
      this.recent.skipped(opportunity.id, funds.code, funds.reason);
      if (funds.code === 'order_failed') this.stats.lastError = funds.reason;
      this.log.warn({ opportunityId: opportunity.id, reason: funds.reason }, 'live account cannot pay: no order sent');
      // Priced again once the balance is read again (a quiet book may never trigger it).
      setTimeout(() => {
        this.rescanAll = true;
        this.resume();
      }, FUNDS_RECHECK_MS).unref();
      this.heartbeat();
      return;
    }
    this.fundsShort = null;
    this.acted.add(opportunity.id);
    this.copy.acted(opportunity.id);
    this.news.acted(opportunity.id);
    const reservation = await reserveOrders(this.db, opportunity);
    if (reservation === 'booked') {
      this.recent.skipped(
        opportunity.id,
        'already_booked',
        'already traded (booked before a restart or by another runner)',
      );
      this.log.info({ opportunityId: opportunity.id }, 'already booked: not sent again');
      return;
    }
    if (reservation === 'denied') {
      this.limitReached = { atMs: now, orders };
      this.recent.skipped(
        opportunity.id,
        'monthly_limit',
        `the monthly trade limit has no room for ${orders} more orders`,
      );
      this.log.warn({ opportunityId: opportunity.id, orders }, 'monthly trade limit reached: no order sent');
      this.heartbeat();
      return;
    }
    this.limitReached = null;
    const executed = await executeReserved(this.orderPath, mode, opportunity);
    if (executed.fundsRefused) {
      // The venue refused for money: an error the status explains (error_code insufficient_balance).
      this.stats.lastError = executed.fundsRefused;
      this.fundsShort = { atMs: Date.now(), code: 'insufficient_funds', reason: executed.fundsRefused };
    }
    const pausedNow = executed.status === 'nothing_filled' ? this.pauses.blocked(opportunity) : null;
    const held: { code: 'stale_book' | 'venue_paused'; reason: string } | null =
      executed.status === 'stale_book' || executed.status === 'venue_paused'
        ? { code: executed.status, reason: executed.reason ?? executed.status }
        : pausedNow;
    if (held) {
      // Nothing reached a book: the same opportunity may go once the books are fresh or the venue trades again.
      this.acted.delete(opportunity.id);
      this.recent.skipped(opportunity.id, held.code, held.reason);
    } else if (executed.fundsRefused && executed.status === 'nothing_filled')
      this.recent.skipped(opportunity.id, 'insufficient_funds', executed.fundsRefused);
    else if (executed.legs > 0) this.recent.acted(opportunity.id);
    else if (executed.status === 'market_closed')
      this.recent.skipped(opportunity.id, 'market_closed', 'its market closed before the orders went out');
    else this.recent.skipped(opportunity.id, 'not_filled', `no order went out (${executed.status})`);
    this.stats.tradesPlaced++;
    this.log.info(
      {
        opportunityId: opportunity.id,
        strategy: opportunity.strategy,
        status: executed.status,
        mode,
        legs: executed.rows,
      },
      'executed',
    );
    if (this.risk.refresh(Date.now(), (id) => this.books.get(id))) this.heartbeat();
  }

  /** Per venue: a basket trades in its venues' common mode; null when it would mix live and paper. */
  private modeOf(o: Opportunity): Mode | null {
    return basketMode(
      this.mode,
      o.legs.map((l) => l.venue),
    );
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
      limitReached: this.limitReached,
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
    this.send({ type: 'heartbeat', configVersion: this.configVersion, stats: this.currentStats() });
  }

  /** A decision (reservation → orders → booking) is in flight. */
  get deciding(): boolean {
    return this.busy !== null;
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
    if (this.busy) await this.busy;
    await this.deadMan.release(why);
  }

  /** The manager is gone: nothing can be booked any more, so nothing is waited for; resting orders are cancelled. */
  async abandon(): Promise<void> {
    this.stopping = true;
    this.reconciler.stop();
    await this.deadMan.release('manager lost');
  }
}
