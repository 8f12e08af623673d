// Polymarket public market data: Gamma discovery (paginated), CLOB REST books, and the market WebSocket.
import type { Instrument, OrderBook } from '@polybot/schemas';
import { z } from 'zod';
import { TokenBucket } from '../rate-limit/index.ts';
import type { BookSubscription, BookUpdate, MarketData } from '../venue.ts';
import { BookSummarySchema, summaryHashOk, summaryToOrderBook, type BookSummary } from './book.ts';
import { instrumentsOf, metaOf, parseMarketsPage, type MarketMeta } from './gamma.ts';
import { PublicHttp } from './http.ts';
import { parseMarketState, type PolymarketMarketState } from './lifecycle.ts';
import { PolymarketBookStream, type MarketLifecycleEvent } from './stream.ts';

export interface PolymarketMarketDataOptions {
  /** CLOB origin, e.g. https://clob.polymarket.com (the simulator serves it at its root). */
  clobUrl: string;
  /** Gamma origin, e.g. https://gamma-api.polymarket.com (simulator: <origin>/gamma). */
  gammaUrl: string;
  /** Market channel, e.g. wss://ws-subscriptions-clob.polymarket.com/ws/market. */
  wsUrl: string;
  /**
   * Public request budget. Polymarket documents limits per endpoint family in requests per 10 s (hundreds for
   * /book and Gamma); 20/s sustained with a burst of 40 stays well below all of them.
   */
  bucket?: TokenBucket;
  gammaPageSize?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /**
   * The market channel's lifecycle events (`market_resolved`, `new_market`): with a handler, book subscriptions opt in
   * with `custom_feature_enabled`.
   */
  onLifecycle?: (event: MarketLifecycleEvent) => void;
  /** Inbound silence after which the book socket reconnects (hub/silence-watchdog.ts); default 20 s. */
  silenceMs?: number;
  /** The silence watchdog fired (log line / metric). */
  onSilence?: (silentForMs: number) => void;
}

export class PolymarketMarketData implements MarketData {
  readonly venue = 'polymarket' as const;
  private readonly http: PublicHttp;
  /** conditionId → fee schedule / neg-risk, learned during discovery (trading uses it to price fills). */
  readonly markets = new Map<string, MarketMeta>();
  /** Problems seen while parsing the last discovery (a venue field change shows up here, not as silence). */
  lastInvalid: { index: number; error: string }[] = [];

  constructor(private readonly opts: PolymarketMarketDataOptions) {
    this.http = new PublicHttp({ bucket: opts.bucket ?? new TokenBucket({ capacity: 40, refillPerSecond: 20 }) });
  }

  async listInstruments(): Promise<Instrument[]> {
    const pageSize = this.opts.gammaPageSize ?? 500;
    const out: Instrument[] = [];
    this.lastInvalid = [];
    for (let offset = 0; ; offset += pageSize) {
      const url = `${this.opts.gammaUrl}/markets?active=true&closed=false&limit=${pageSize}&offset=${offset}`;
      const { markets, invalid } = parseMarketsPage(await this.http.getJson(url));
      this.lastInvalid.push(...invalid.map((i) => ({ ...i, index: i.index + offset })));
      for (const m of markets) {
        this.markets.set(m.conditionId, metaOf(m));
        out.push(...instrumentsOf(m));
      }
      if (markets.length + invalid.length < pageSize) break;
    }
    return out;
  }

  /** Where these markets stand on Gamma (closed or not, resolved or not), 50 condition ids per request. */
  async marketStates(conditionIds: readonly string[]): Promise<PolymarketMarketState[]> {
    const out: PolymarketMarketState[] = [];
    for (let i = 0; i < conditionIds.length; i += 50) {
      const chunk = conditionIds.slice(i, i + 50);
      const query = chunk.map((c) => `condition_ids=${encodeURIComponent(c)}`).join('&');
      const body = z
        .array(z.unknown())
        .parse(await this.http.getJson(`${this.opts.gammaUrl}/markets?${query}&limit=100`));
      out.push(...body.map(parseMarketState));
    }
    return out;
  }

  /** REST snapshot, checked against its own hash (one refetch on a mismatch, then an error). */
  async getBookSummary(instrumentId: string): Promise<BookSummary> {
    const url = `${this.opts.clobUrl}/book?token_id=${encodeURIComponent(instrumentId)}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const raw = await this.http.getJson(url);
      if (summaryHashOk(raw)) return BookSummarySchema.parse(raw);
    }
    throw new Error(`polymarket: book for ${instrumentId} fails its hash check twice`);
  }

  async getBook(instrumentId: string): Promise<OrderBook> {
    return summaryToOrderBook(await this.getBookSummary(instrumentId));
  }

  subscribeBooks(
    onUpdate: (update: BookUpdate) => void,
    onError: (error: Error) => void,
  ): BookSubscription & { readonly stream: PolymarketBookStream } {
    const stream = new PolymarketBookStream({
      wsUrl: this.opts.wsUrl,
      fetchBook: (id) => this.getBookSummary(id),
      onUpdate,
      onError,
      ...(this.opts.reconnectBaseMs !== undefined ? { reconnectBaseMs: this.opts.reconnectBaseMs } : {}),
      ...(this.opts.reconnectMaxMs !== undefined ? { reconnectMaxMs: this.opts.reconnectMaxMs } : {}),
      ...(this.opts.onLifecycle ? { onLifecycle: this.opts.onLifecycle } : {}),
      ...(this.opts.silenceMs !== undefined ? { silenceMs: this.opts.silenceMs } : {}),
      ...(this.opts.onSilence ? { onSilence: this.opts.onSilence } : {}),
    });
    return {
      stream,
      add: (ids) => stream.add(ids),
      remove: (ids) => stream.remove(ids),
      close: () => stream.close(),
    };
  }
}
