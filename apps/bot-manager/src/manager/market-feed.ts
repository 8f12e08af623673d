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
  type MarketData,
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

export class MarketFeed {
  private readonly polymarket: PolymarketMarketData;
  private readonly hubs = new Map<VenueId, MarketDataHub>();
  private kalshiData: MarketData | null = null;
  readonly kalshiMode: KalshiFeedMode;
  instruments: Instrument[] = [];
  fees: Record<string, FeeSchedule> = {};
  /** Approved market links (cross-platform and overlapping baskets), refreshed on every full reconcile. */
  links: MarketLink[] = [];
  private linksKey = '[]';
  private readonly venueOf = new Map<string, VenueId>();

  constructor(
    urls: VenueUrls,
    private readonly log: Logger,
    kalshi: KalshiFeedOptions = {},
  ) {
    this.polymarket = new PolymarketMarketData({
      clobUrl: urls.polymarketClob,
      gammaUrl: urls.polymarketGamma,
      wsUrl: urls.polymarketWs,
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
    if (kalshi.credentials && urls.kalshiWs) {
      this.kalshiMode = 'stream';
      this.kalshiData = new KalshiMarketData({ client, wsUrl: urls.kalshiWs, credentials: kalshi.credentials });
      log.info({ kalshi: 'stream' }, 'Kalshi books: authenticated WebSocket stream with the platform market-data key');
    } else {
      this.kalshiMode = 'poll';
      const intervalMs = kalshi.pollIntervalMs ?? 1000;
      this.kalshiData = new PolledMarketData(new KalshiMarketData({ client, wsUrl: urls.kalshiWs ?? '' }), {
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

  async discover(): Promise<void> {
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
        this.log.error(
          { err: coerceError(e).message },
          'Kalshi discovery failed: Kalshi strategies find nothing until the manager restarts',
        );
      }
      for (const i of kalshi)
        fees[i.instrumentId] = resolveFeeSchedule({ venue: 'kalshi', marketId: i.marketId, eventId: i.eventId });
    }
    this.instruments = [...poly, ...kalshi].filter((i) => i.active);
    this.fees = fees;
    for (const i of this.instruments) this.venueOf.set(i.instrumentId, i.venue);
    this.log.info(
      { polymarket: poly.length, kalshi: kalshi.length, active: this.instruments.length },
      'market discovery done',
    );
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
