// The live feeds each runner is subscribed to: market data from the hub, its user's followed wallets' trades, and the
// news feeds its rules read. Subscribed once the runner has its init, updated on a config change, closed on exit.
import type { HubConsumer } from '@polybot/venues';
import type { MarketFeed, UniverseChange } from './market-feed.ts';
import type { NewsFeed, NewsSubscription } from './news-feed.ts';
import type { RunnerProcess } from './runner-process.ts';
import { followedWalletsOf, newsFeedsOf, type UserState } from './user-state.ts';
import type { WalletFeed, WalletSubscription } from './wallet-feed.ts';

export class RunnerFeeds {
  /** Runners that have their init, and their hub consumer (a Map: a universe change goes to every one of them). */
  private readonly consumers = new Map<RunnerProcess, HubConsumer>();
  private readonly walletSubs = new WeakMap<RunnerProcess, WalletSubscription>();
  private readonly newsSubs = new WeakMap<RunnerProcess, NewsSubscription>();

  constructor(
    private readonly market: MarketFeed,
    /** Followed wallets' trades (copy trading); null when no data-API URL is configured. */
    private readonly wallets: WalletFeed | null,
    /** News items for news rules; null when no feed is configured. */
    private readonly news: NewsFeed | null,
  ) {}

  attach(proc: RunnerProcess, state: UserState): void {
    this.consumers.set(
      proc,
      this.market.subscribe((u) => proc.send({ type: 'book', book: u.book, hubAtMs: Date.now() })),
    );
    if (this.wallets)
      this.walletSubs.set(
        proc,
        this.wallets.subscribe(followedWalletsOf(state), (trade) => proc.send({ type: 'walletTrade', trade })),
      );
    if (this.news)
      this.newsSubs.set(
        proc,
        this.news.subscribe(newsFeedsOf(state), (item) => proc.send({ type: 'newsItem', item })),
      );
  }

  /** The user's config changed in place: follow the wallets and feeds it names now. */
  update(proc: RunnerProcess, state: UserState): void {
    this.walletSubs.get(proc)?.update(followedWalletsOf(state));
    this.newsSubs.get(proc)?.update(newsFeedsOf(state));
  }

  /**
   * The market universe changed: every runner with its init is told (closed instruments refused from then on), and its
   * hub subscriptions follow — books of new instruments start, books of removed ones stop (the hub unsubscribes from
   * the venue once nobody wants them). A runner still starting gets the current universe in its init instead.
   */
  applyUniverse(change: UniverseChange): void {
    const added = change.added.map((i) => i.instrumentId);
    for (const [proc, consumer] of this.consumers) {
      if (proc.exited) continue;
      proc.send({ type: 'instruments', added: change.added, removed: change.removed, fees: change.fees });
      if (change.removed.length > 0) consumer.remove(change.removed);
      if (added.length > 0) consumer.add(added);
    }
  }

  detach(proc: RunnerProcess): void {
    this.consumers.get(proc)?.close();
    this.consumers.delete(proc);
    this.walletSubs.get(proc)?.close();
    this.walletSubs.delete(proc);
    this.newsSubs.get(proc)?.close();
    this.newsSubs.delete(proc);
  }
}
