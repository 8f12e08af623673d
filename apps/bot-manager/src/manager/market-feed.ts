// One public market-data hub per venue, in the manager. Discovery runs once; every runner gets one consumer spanning
// both hubs, so a venue sees one book subscription per instrument however many users follow it.
// Kalshi's book WebSocket needs an authenticated connection: with a platform market-data key (never a user's, never
// sent to runners) the manager streams; without one it polls Kalshi's public REST orderbooks; without a Kalshi URL at
// all, Kalshi is off and the startup log says so.
import { resolveFeeSchedule, type FeeSchedule, type Instrument, type MarketLink, type VenueId } from '@polybot/schemas';
import {
  KalshiClient,
  KalshiMarketData,
  MarketDataHub,
  PolymarketMarketData,
  type BookUpdate,
  type HubConsumer,
  type HubStats,
  type KalshiCredentials,
  type KalshiMarketState,
  type MarketData,
  type MarketLifecycleEvent,
  type PolymarketMarketState,
} from '@polybot/venues';
import type { Logger } from 'pino';
import type { VenueUrls } from '../shared/ipc.ts';
import { coerceError } from '../shared/errors.ts';
import { PolledMarketData } from './rest-polled-books.ts';

export interface KalshiFeedOptions {
  /** Platform market-data key for the authenticated book stream; absent → REST polling. */
  credentials?: KalshiCredentials | undefined;
  pollIntervalMs?: number;
  /** Client-side read budget (Kalshi Basic: 20 reads/s). */
  readsPerSecond?: number;
}

export type KalshiFeedMode = 'stream' | 'poll' | 'off';

/** A change of the market universe, as runners are told it (`instruments` message). */
export interface UniverseChange {
  added: Instrument[];
  removed: string[];
  /** Fee schedules of the added instruments. */
  fees: Record<string, FeeSchedule>;
}

export const isEmptyChange = (c: UniverseChange): boolean => c.added.length === 0 && c.removed.length === 0;

export class MarketFeed {
  private readonly polymarket: PolymarketMarketData;
  private readonly hubs = new Map<VenueId, MarketDataHub>();
  private kalshiData: MarketData | null = null;
  /** Kalshi's public REST reads (market states), whichever way its books arrive. */
  private kalshiRest: KalshiMarketData | null = null;
  /** The market channel's lifecycle events (market_resolved, new_market), for the lifecycle watcher. */
  onLifecycle: ((event: MarketLifecycleEvent) => void) | null = null;
  /** A book socket was open but silent and is being resubscribed (for the metric). */
  onSilence: ((venue: VenueId) => void) | null = null;
  readonly kalshiMode: KalshiFeedMode;
  instruments: Instrument[] = [];
  fees: Record<string, FeeSchedule> = {};
  /** Approved market links (cross-platform and overlapping baskets), refreshed on every full reconcile. */
  links: MarketLink[] = [];
  private linksKey = '[]';
  private readonly venueOf = new Map<string, VenueId>();
  /** `venue:marketId` of markets a venue event closed: a listing read before the event cannot bring them back. */
  private readonly ended = new Set<string>();

  constructor(
    urls: VenueUrls,
    private readonly log: Logger,
    kalshi: KalshiFeedOptions = {},
    /** Inbound silence after which a book socket resubscribes/reconnects (FEED_SILENCE_MS; default 20 s). */
    silenceMs?: number,
  ) {
    // A socket open but silent is the blind spot a dropped one is not: a log line each time the watchdog acts.
    const onSilence =
      (venue: VenueId) =>
      (silentForMs: number): void => {
        log.warn({ venue, silentForMs }, 'market-data socket silent: resubscribing for fresh snapshots');
        this.onSilence?.(venue);
      };
    this.polymarket = new PolymarketMarketData({
      clobUrl: urls.polymarketClob,
      gammaUrl: urls.polymarketGamma,
      wsUrl: urls.polymarketWs,
      onLifecycle: (e) => this.onLifecycle?.(e),
      onSilence: onSilence('polymarket'),
      ...(silenceMs !== undefined ? { silenceMs } : {}),
    });
    this.hubs.set('polymarket', new MarketDataHub(this.polymarket));
    if (!urls.kalshiApi || (kalshi.credentials && !urls.kalshiWs)) {
      this.kalshiMode = 'off';
      const why = !urls.kalshiApi
        ? 'no Kalshi API URL is configured (KALSHI_API_URL)'
        : 'a market-data key is set but no KALSHI_WS_URL';
      log.warn(
        { kalshi: 'off' },
        `Kalshi market data is off: ${why}; Kalshi single-platform, cross-platform and Kalshi-side overlapping strategies find nothing`,
      );
      return;
    }
    const client = new KalshiClient({ basePath: urls.kalshiApi, readsPerSecond: kalshi.readsPerSecond ?? 15 });
    this.kalshiRest = new KalshiMarketData({ client, wsUrl: urls.kalshiWs ?? '' });
    if (kalshi.credentials && urls.kalshiWs) {
      this.kalshiMode = 'stream';
      this.kalshiData = new KalshiMarketData({
        client,
        wsUrl: urls.kalshiWs,
        credentials: kalshi.credentials,
        stream: { onSilence: onSilence('kalshi'), ...(silenceMs !== undefined ? { silenceMs } : {}) },
      });
      log.info({ kalshi: 'stream' }, 'Kalshi books: authenticated WebSocket stream with the platform market-data key');
    } else {
      this.kalshiMode = 'poll';
      const intervalMs = kalshi.pollIntervalMs ?? 1000;
      this.kalshiData = new PolledMarketData(this.kalshiRest, {
        intervalMs,
        refreshMs: 15_000,
        concurrency: 4,
      });
      log.info(
        { kalshi: 'poll', intervalMs },
        'Kalshi books: polling public REST orderbooks (no platform market-data key: KALSHI_MARKET_DATA_KEY_ID / KALSHI_MARKET_DATA_PRIVATE_KEY_PEM)',
      );
    }
    this.hubs.set('kalshi', new MarketDataHub(this.kalshiData));
  }

  /** The first discovery, at manager start. */
  async discover(): Promise<void> {
    const u = await this.listUniverse();
    this.instruments = u.instruments;
    this.fees = u.fees;
    for (const i of this.instruments) this.venueOf.set(i.instrumentId, i.venue);
    this.log.info(
      { polymarket: u.counts.polymarket, kalshi: u.counts.kalshi, active: this.instruments.length },
      'market discovery done',
    );
  }

  /**
   * Discovery again, as a diff against the universe runners hold: instruments listed since (added, with their fees)
   * and instruments no longer listed as active (removed). A venue whose listing failed keeps its instruments.
   */
  async refresh(): Promise<UniverseChange> {
    const u = await this.listUniverse();
    const next = new Map(u.instruments.map((i) => [i.instrumentId, i]));
    const current = new Set(this.instruments.map((i) => i.instrumentId));
    const kept = this.instruments.filter((i) => u.failed.has(i.venue) || next.has(i.instrumentId));
    const removed = this.instruments.filter((i) => !kept.includes(i)).map((i) => i.instrumentId);
    const added = u.instruments.filter((i) => !current.has(i.instrumentId));
    return this.apply(added, removed, u.fees);
  }

  /** These markets closed or resolved (a venue event): their instruments leave the universe now. */
  closeMarkets(venue: VenueId, marketIds: readonly string[]): UniverseChange {
    const ids = new Set(marketIds);
    for (const m of marketIds) this.ended.add(`${venue}:${m}`);
    const removed = this.instruments.filter((i) => i.venue === venue && ids.has(i.marketId)).map((i) => i.instrumentId);
    return this.apply([], removed, {});
  }

  /** Where these Polymarket markets stand on Gamma (closed, resolved, outcome prices). */
  polymarketStates(conditionIds: readonly string[]): Promise<PolymarketMarketState[]> {
    return this.polymarket.marketStates(conditionIds);
  }

  /** Where these Kalshi markets stand (status, result, settlement value); none without Kalshi. */
  async kalshiStates(tickers: readonly string[]): Promise<KalshiMarketState[]> {
    return this.kalshiRest ? this.kalshiRest.marketStates(tickers) : [];
  }

  /** Whether an instrument of this market is in the active universe. */
  isListed(venue: VenueId, marketId: string): boolean {
    return this.instruments.some((i) => i.venue === venue && i.marketId === marketId);
  }

  private apply(added: Instrument[], removed: string[], fees: Record<string, FeeSchedule>): UniverseChange {
    const gone = new Set(removed);
    this.instruments = [...this.instruments.filter((i) => !gone.has(i.instrumentId)), ...added];
    const addedFees: Record<string, FeeSchedule> = {};
    for (const i of added) {
      this.venueOf.set(i.instrumentId, i.venue);
      const f = fees[i.instrumentId];
      if (f) addedFees[i.instrumentId] = this.fees[i.instrumentId] = f;
    }
    for (const id of removed) delete this.fees[id];
    if (added.length > 0 || removed.length > 0)
      this.log.info(
        { added: added.length, removed: removed.length, active: this.instruments.length },
        'market universe changed',
      );
    return { added, removed, fees: addedFees };
  }

  /** Every active instrument of both venues and their fees; a venue whose listing failed is named in `failed`. */
  private async listUniverse(): Promise<{
    instruments: Instrument[];
    fees: Record<string, FeeSchedule>;
    failed: Set<VenueId>;
    counts: Record<VenueId, number>;
  }> {
    const failed = new Set<VenueId>();
    const poly = await this.polymarket.listInstruments();
    const fees: Record<string, FeeSchedule> = {};
    for (const i of poly) {
      const meta = this.polymarket.markets.get(i.marketId);
      fees[i.instrumentId] = resolveFeeSchedule({
        venue: 'polymarket',
        marketId: i.marketId,
        polymarketSchedule: meta?.feeSchedule ?? null,
      });
    }
    let kalshi: Instrument[] = [];
    if (this.kalshiData) {
      try {
        kalshi = await this.kalshiData.listInstruments();
      } catch (e) {
        // Kalshi is optional: the manager runs on without it rather than taking Polymarket users down too.
        failed.add('kalshi');
        this.log.error(
          { err: coerceError(e).message },
          'Kalshi discovery failed: Kalshi markets stay as they were until the next refresh',
        );
      }
      for (const i of kalshi)
        fees[i.instrumentId] = resolveFeeSchedule({ venue: 'kalshi', marketId: i.marketId, eventId: i.eventId });
    }
    return {
      instruments: [...poly, ...kalshi].filter((i) => i.active && !this.ended.has(`${i.venue}:${i.marketId}`)),
      fees,
      failed,
      counts: { polymarket: poly.length, kalshi: kalshi.length },
    };
  }

  /** Replace the approved links; true when they changed (runners must be told). */
  setLinks(links: MarketLink[]): boolean {
    const key = JSON.stringify(links);
    if (key === this.linksKey) return false;
    this.links = links;
    this.linksKey = key;
    return true;
  }

  /** One consumer across both hubs, subscribed to every discovered instrument (or to `initial`). */
  subscribe(
    onUpdate: (u: BookUpdate) => void,
    initial: readonly string[] = this.instruments.map((i) => i.instrumentId),
  ): HubConsumer {
    const consumers = new Map<VenueId, HubConsumer>();
    for (const [venue, hub] of this.hubs) {
      consumers.set(
        venue,
        hub.subscribe(onUpdate, (e) => this.log.warn({ venue, err: coerceError(e).message }, 'book stream error')),
      );
    }
    const byVenue = (ids: readonly string[]): Map<VenueId, string[]> => {
      const out = new Map<VenueId, string[]>();
      for (const id of ids) {
        const v = this.venueOf.get(id);
        if (v) out.set(v, [...(out.get(v) ?? []), id]);
      }
      return out;
    };
    const combined: HubConsumer = {
      add: (ids) => {
        for (const [v, list] of byVenue(ids)) consumers.get(v)?.add(list);
      },
      remove: (ids) => {
        for (const [v, list] of byVenue(ids)) consumers.get(v)?.remove(list);
      },
      close: () => {
        for (const c of consumers.values()) c.close();
      },
    };
    combined.add(initial);
    return combined;
  }

  stats(): Record<string, HubStats> {
    return Object.fromEntries([...this.hubs].map(([venue, hub]) => [venue, hub.stats()]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.hubs.values()].map((h) => h.close()));
  }
}
