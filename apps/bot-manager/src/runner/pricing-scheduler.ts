// When the runner prices what. Market events arrive here (books, followed wallets' trades, news items); a book update is
// priced at once (only the baskets holding that instrument) when nothing stands in the way; while a decision is in flight or the runner is throttled (decision-throttle.ts) it is only
// marked, and at the next safe point (`resume`) the followed wallets' trades go first, then news signals, then every
// marked book — or every basket, after they were rebuilt or something that refused opportunities changed. The runner
// (runner.ts) owns the market state and what changes at the safe point; what happens to an opportunity from here is
// decision.ts.
import type { MarketLink, OrderBook, PlanFeatures } from '@polybot/schemas';
import { IncrementalArbEvaluator, type ArbParams, type MarketSnapshot } from '@polybot/strategies';
import type { Logger } from 'pino';
import type { NewsItemMessage, RunnerConfig, WalletTradeMessage } from '../shared/ipc.ts';
import { copyEnabled, type CopyTrader } from './copy.ts';
import { DecisionLatencies } from './decision-latency.ts';
import { DecisionThrottle, type ThrottleClock } from './decision-throttle.ts';
import type { Decider } from './decision.ts';
import { newsEnabled, type NewsTrader } from './news.ts';
import type { RiskEngine } from './risk.ts';
import { buildPlans } from './strategies.ts';
import type { Universe } from './universe.ts';

export interface PricingContext {
  snapshot: MarketSnapshot;
  /** The runner's book map (the snapshot's): stored here, whatever pricing waits for. */
  books: Map<string, OrderBook>;
  universe: Universe;
  decider: Pick<Decider, 'busy' | 'consider'>;
  copy: CopyTrader;
  news: NewsTrader;
  risk: RiskEngine;
  /** The config in force (it changes at the safe point). */
  config: () => RunnerConfig;
  /** The config waiting for the safe point, else the one in force: whether a signal is wanted at all. */
  nextConfig: () => RunnerConfig;
  features: PlanFeatures;
  /** Approved market links in force (they change at the safe point). */
  links: () => readonly MarketLink[];
  log: Logger;
  stopping: () => boolean;
  /** Decisions wait (live positions being compared with the venues); asking may start that comparison. */
  holding: () => boolean;
  /** Tests move the throttle's clock themselves. */
  clock?: ThrottleClock;
}

export class PricingScheduler {
  private evaluator: IncrementalArbEvaluator;
  /** Books that changed while pricing had to wait. */
  private readonly dirty = new Set<string>();
  private rescanAll = false;
  private readonly throttle: DecisionThrottle;
  readonly latencies = new DecisionLatencies();

  constructor(private readonly ctx: PricingContext) {
    this.evaluator = this.buildEvaluator();
    this.throttle = new DecisionThrottle(() => this.resume(), ctx.clock);
  }

  /** Strategies that run = config toggle AND plan feature, over the enabled venues (strategies.ts). */
  private buildEvaluator(): IncrementalArbEvaluator {
    const { snapshot, features } = this.ctx;
    return new IncrementalArbEvaluator(buildPlans(snapshot.instruments, this.ctx.links(), this.ctx.config(), features));
  }

  private params(): ArbParams {
    const config = this.ctx.config();
    return {
      minProfitPct: config.min_profit_pct,
      maxTradeSizeUsd: this.ctx.risk.maxTradeSizeUsd(),
      maxBookAgeMs: config.max_book_age_ms,
    };
  }

  /** A book from the manager's hub: stored, then priced now or marked for the next safe point. */
  onBook(book: OrderBook, hubAtMs: number): void {
    const { instrumentId } = book;
    // A book still in flight from the hub after its market closed: nothing to price any more. (A book of an instrument
    // added but not applied yet is kept: its venue may not send it again.)
    if (this.ctx.universe.isClosed(instrumentId)) return;
    this.ctx.books.set(instrumentId, book);
    this.ctx.news.onBook(instrumentId, Date.now());
    if (this.ctx.copy.unpark(instrumentId)) this.resume();
    if (this.ctx.decider.busy || this.throttle.defers()) {
      // Priced when the decision in flight (or the throttle) ends: a quiet venue may never send this book again.
      this.dirty.add(instrumentId);
      return;
    }
    const update = this.evaluator.onBookUpdate(instrumentId, this.ctx.snapshot, this.params(), Date.now());
    this.latencies.record(Date.now() - hubAtMs);
    this.ctx.decider.consider(update.opportunities);
    this.considerNews(Date.now());
  }

  /** A followed wallet traded: mirrored between decisions, when copy trading is on (config AND plan). */
  onWalletTrade(trade: WalletTradeMessage): void {
    // As for news: the config that turned copy trading on may still wait for the safe point; the queue waits with it.
    if (!copyEnabled(this.ctx.nextConfig(), this.ctx.features)) {
      this.ctx.log.debug({ txHash: trade.txHash }, 'wallet trade ignored: copy trading is off');
      return;
    }
    this.ctx.copy.push(trade);
    this.resume();
  }

  /** A news item of a feed this user's rules read: priced at once (between decisions), when news is on (config AND plan). */
  onNewsItem(item: NewsItemMessage): void {
    // The config that turned news on may still wait for the safe point: the manager replays items right after sending it.
    if (!newsEnabled(this.ctx.nextConfig(), this.ctx.features)) {
      this.ctx.log.debug({ feed: item.feed, itemId: item.id }, 'news item ignored: news rules are off');
      return;
    }
    this.ctx.news.push(item);
    this.resume();
  }

  /** News signals, when an item or a watched book changed since the last look. */
  private considerNews(now: number): void {
    const { decider, news } = this.ctx;
    if (decider.busy || !news.pending || !newsEnabled(this.ctx.config(), this.ctx.features)) return;
    decider.consider(news.signals(this.ctx.snapshot, this.params(), now));
  }

  /** Books that changed during a decision (or every book, after the baskets were rebuilt), then the best candidate. */
  resume(): void {
    const { decider, copy, snapshot } = this.ctx;
    if (this.ctx.stopping() || decider.busy || this.throttle.defers() || this.ctx.holding()) return;
    const now = Date.now();
    // Followed wallets' trades first, one at a time: each is its own decision, and they are time-sensitive.
    while (copy.pending > 0 && copyEnabled(this.ctx.config(), this.ctx.features)) {
      decider.consider(copy.next(snapshot, this.ctx.config(), this.ctx.risk.maxTradeSizeUsd(), now));
      if (decider.busy) return;
    }
    this.considerNews(now);
    if (decider.busy) return;
    if (this.rescanAll) {
      this.rescanAll = false;
      this.dirty.clear();
      decider.consider(this.evaluator.evaluateAll(snapshot, this.params(), now));
      return;
    }
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) this.evaluator.onBookUpdate(id, snapshot, this.params(), now);
    decider.consider(this.evaluator.current());
  }

  /** Something that refused opportunities changed (a settlement, a venue, an intent, the balance): price all again. */
  rescan(): void {
    this.rescanAll = true;
    this.resume();
  }

  /** The universe, links or config changed: baskets built again, every one priced at the next `resume`. */
  rebuild(): void {
    this.evaluator = this.buildEvaluator();
    this.rescanAll = true;
  }

  /** An instrument left the universe: its book is gone, nothing to price. */
  forget(instrumentId: string): void {
    this.dirty.delete(instrumentId);
  }

  /** Over the CPU budget: no decisions for `forMs` (decision-throttle.ts). */
  throttleFor(forMs: number): void {
    this.throttle.hold(forMs);
  }

  get throttled(): boolean {
    return this.throttle.active;
  }

  /** Pricings the throttle put off since the runner started. */
  get skippedThrottled(): number {
    return this.throttle.skipped;
  }

  stop(): void {
    this.throttle.stop();
  }
}
