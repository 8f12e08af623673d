// Kalshi public market data: discovery (events with nested markets, cursor-paginated), REST books, streaming books.
import type { Instrument, OrderBook } from '@polybot/schemas';
import type { BookSubscription, BookUpdate, MarketData } from '../venue.ts';
import type { KalshiClient, KalshiCredentials } from './client.ts';
import {
  bidsFromLevels,
  EventsPageSchema,
  instrumentsOf,
  OrderbookSchema,
  parseMarket,
  sideBook,
  splitInstrumentId,
} from './parse.ts';
import { kalshiMarketStates, type KalshiMarketState } from './lifecycle.ts';
import { KalshiBookStream, type StreamOptions } from './stream.ts';

export interface KalshiMarketDataOptions {
  client: KalshiClient;
  /** wss://.../trade-api/ws/v2 — the WebSocket needs credentials even for public channels. */
  wsUrl: string;
  /** Without credentials discovery and REST books still work (public); subscribeBooks does not. */
  credentials?: KalshiCredentials | undefined;
  stream?: Partial<Pick<StreamOptions, 'baseDelayMs' | 'maxDelayMs' | 'silenceMs' | 'onSilence'>> | undefined;
}

const EVENTS_PAGE = 200;

export class KalshiMarketData implements MarketData {
  readonly venue = 'kalshi' as const;

  constructor(private readonly opts: KalshiMarketDataOptions) {}

  async listInstruments(): Promise<Instrument[]> {
    const out: Instrument[] = [];
    let cursor: string | undefined;
    do {
      const raw = await this.opts.client.read(() =>
        this.opts.client.events.getEvents(EVENTS_PAGE, cursor, true, undefined, 'open'),
      );
      const page = EventsPageSchema.parse(raw);
      for (const event of page.events) {
        for (const m of event.markets ?? []) {
          const market = parseMarket(m);
          if (market.status === 'active') out.push(...instrumentsOf(market, event));
        }
      }
      cursor = page.cursor || undefined;
    } while (cursor);
    return out;
  }

  /** Where these markets stand now: status, result, settlement value. */
  marketStates(tickers: readonly string[]): Promise<KalshiMarketState[]> {
    return kalshiMarketStates(this.opts.client, tickers);
  }

  async getBook(instrumentId: string): Promise<OrderBook> {
    const { ticker, side } = splitInstrumentId(instrumentId);
    const raw = await this.opts.client.read(() => this.opts.client.market.getMarketOrderbook(ticker));
    const { orderbook_fp: fp } = OrderbookSchema.parse(raw);
    const bids = bidsFromLevels(fp.yes_dollars ?? [], fp.no_dollars ?? []);
    return { venue: 'kalshi', instrumentId, ...sideBook(bids, side), timestampMs: Date.now(), seq: 0 };
  }

  subscribeBooks(onUpdate: (update: BookUpdate) => void, onError: (error: Error) => void): BookSubscription {
    const credentials = this.opts.credentials;
    if (!credentials)
      throw new Error('Kalshi book stream needs credentials: its WebSocket is authenticated even for public channels');
    return new KalshiBookStream({
      wsUrl: this.opts.wsUrl,
      credentials,
      onUpdate,
      onError,
      baseDelayMs: this.opts.stream?.baseDelayMs ?? 250,
      maxDelayMs: this.opts.stream?.maxDelayMs ?? 10_000,
      ...(this.opts.stream?.silenceMs !== undefined ? { silenceMs: this.opts.stream.silenceMs } : {}),
      ...(this.opts.stream?.onSilence ? { onSilence: this.opts.stream.onSilence } : {}),
    });
  }
}
