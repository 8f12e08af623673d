// The market-lifecycle watcher: one per manager, public data only, shared by every user. It keeps the market universe
// current (discovery again every `refreshMs`, and at once on the Polymarket market channel's `new_market` and
// `market_resolved` events) and finds markets that ended: every tick it asks the venues where the candidate markets
// stand — markets that just left the universe, markets the market channel announced resolved, and every market some
// user still holds an open position in that is not listed any more (so a restart, or an event missed, still settles
// them). A market the venue calls decided goes to `onDecided` (settlement, idempotent in SQL): the watcher may see one
// resolution many times, from several sources, and after a restart.
// Kalshi has no lifecycle push here: its markets are polled (GET /markets?tickers=…) on the same tick.
import type { VenueId } from '@polybot/schemas';
import type { KalshiMarketState, MarketLifecycleEvent, PolymarketMarketState } from '@polybot/venues';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import { isEmptyChange, type MarketFeed, type UniverseChange } from './market-feed.ts';

export type DecidedMarket =
  | { platform: 'polymarket'; marketId: string; state: PolymarketMarketState }
  | { platform: 'kalshi'; marketId: string; state: KalshiMarketState };

export interface MarketLifecycleOptions {
  /** Discovery again and resolution checks every this many ms (MARKET_REFRESH_MS, default 30 000). */
  refreshMs: number;
  log: Logger;
  /** The universe changed: runners and hub subscriptions follow. */
  onUniverse: (change: UniverseChange) => void;
  /** A market the venue says is decided: settle it. Throwing leaves it a candidate for the next tick. */
  onDecided: (market: DecidedMarket) => Promise<void>;
  /** Markets someone holds an open position in (listOpenPositionMarkets). */
  openMarkets: () => Promise<Array<{ platform: VenueId; marketId: string }>>;
}

const keyOf = (venue: VenueId, marketId: string): string => `${venue}\u0000${marketId}`;

export class MarketLifecycle {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** Markets to check on the next tick whatever the database says (announced by an event, or just delisted). */
  private readonly announced = new Map<string, { platform: VenueId; marketId: string }>();
  readonly stats = { ticks: 0, failures: 0, decided: 0, events: 0 };

  constructor(
    private readonly feed: MarketFeed,
    private readonly o: MarketLifecycleOptions,
  ) {}

  start(): void {
    this.feed.onLifecycle = (e) => this.onEvent(e);
    this.schedule();
  }

  /** Run a tick now (or right after the one in flight); resolves when that tick is done. */
  poke(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      this.schedule();
    });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.feed.onLifecycle = null;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poke();
    }, this.o.refreshMs);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.tick().catch((e: unknown) => {
        this.stats.failures++;
        this.o.log.warn({ err: coerceError(e).message }, 'market lifecycle tick failed; retried on the next one');
      });
    } while (this.again && !this.closed);
  }

  private onEvent(e: MarketLifecycleEvent): void {
    this.stats.events++;
    if (e.kind === 'market_resolved') {
      // Closed for trading at once: no runner may order it while the resolution is being read and settled.
      const change = this.feed.closeMarkets('polymarket', [e.conditionId]);
      if (!isEmptyChange(change)) this.o.onUniverse(change);
      this.announced.set(keyOf('polymarket', e.conditionId), { platform: 'polymarket', marketId: e.conditionId });
    }
    void this.poke();
  }

  private async tick(): Promise<void> {
    this.stats.ticks++;
    const before = new Map(this.feed.instruments.map((i) => [i.instrumentId, i]));
    const change = await this.feed.refresh();
    if (!isEmptyChange(change)) this.o.onUniverse(change);
    const candidates = new Map(this.announced);
    this.announced.clear();
    for (const id of change.removed) {
      const i = before.get(id);
      if (i) candidates.set(keyOf(i.venue, i.marketId), { platform: i.venue, marketId: i.marketId });
    }
    for (const m of await this.o.openMarkets())
      if (!this.feed.isListed(m.platform, m.marketId)) candidates.set(keyOf(m.platform, m.marketId), m);
    if (candidates.size === 0) return;
    const list = [...candidates.values()];
    const decided: DecidedMarket[] = [];
    const poly = list.filter((m) => m.platform === 'polymarket').map((m) => m.marketId);
    if (poly.length > 0)
      for (const state of await this.feed.polymarketStates(poly))
        if (state.resolved) decided.push({ platform: 'polymarket', marketId: state.conditionId, state });
    const kalshi = list.filter((m) => m.platform === 'kalshi').map((m) => m.marketId);
    if (kalshi.length > 0)
      for (const state of await this.feed.kalshiStates(kalshi))
        if (state.decided) decided.push({ platform: 'kalshi', marketId: state.ticker, state });
    // A decided market is closed for trading, whichever way it was found.
    for (const venue of ['polymarket', 'kalshi'] as const) {
      const ids = decided.filter((d) => d.platform === venue).map((d) => d.marketId);
      if (ids.length === 0) continue;
      const closedNow = this.feed.closeMarkets(venue, ids);
      if (!isEmptyChange(closedNow)) this.o.onUniverse(closedNow);
    }
    for (const d of decided) {
      try {
        await this.o.onDecided(d);
        this.stats.decided++;
      } catch (e) {
        this.stats.failures++;
        this.o.log.error(
          { platform: d.platform, marketId: d.marketId, err: coerceError(e).message },
          'settling a resolved market failed; retried on the next tick',
        );
        this.announced.set(keyOf(d.platform, d.marketId), d);
      }
    }
  }
}
