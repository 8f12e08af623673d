// Books by REST polling, for a venue whose stream the manager cannot open (Kalshi's WebSocket needs an authenticated
// connection; without a platform market-data key the manager polls its public orderbook endpoint instead).
// A book goes out when its levels changed, and otherwise at least every `refreshMs`, so a quiet book does not look
// stale to the strategies (a poll that saw it unchanged is as good as a snapshot).
import type { Instrument, OrderBook } from '@polybot/schemas';
import { coerceError } from '../shared/errors.ts';
import type { BookSubscription, BookUpdate, MarketData } from '@polybot/venues';

export interface PolledBooksOptions {
  intervalMs: number;
  refreshMs: number;
  /** Books fetched at once (the venue client rate-limits underneath). */
  concurrency: number;
}

const levels = (b: OrderBook): string => JSON.stringify([b.bids, b.asks]);

class RestPolledBooks implements BookSubscription {
  private readonly wanted = new Set<string>();
  private readonly sent = new Map<string, { levels: string; atMs: number }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly getBook: (id: string) => Promise<OrderBook>,
    private readonly onUpdate: (u: BookUpdate) => void,
    private readonly onError: (e: Error) => void,
    private readonly o: PolledBooksOptions,
  ) {
    this.schedule(0);
  }

  add(ids: readonly string[]): void {
    for (const id of ids) this.wanted.add(id);
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      this.wanted.delete(id);
      this.sent.delete(id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.running = this.pollAll().finally(() => {
        this.running = null;
        this.schedule(this.o.intervalMs);
      });
    }, ms);
  }

  private async pollAll(): Promise<void> {
    const queue = [...this.wanted];
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined && !this.closed; id = queue.shift()) await this.pollOne(id);
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, queue.length) }, worker));
  }

  private async pollOne(id: string): Promise<void> {
    let book: OrderBook;
    try {
      book = await this.getBook(id);
    } catch (e) {
      this.onError(coerceError(e));
      return;
    }
    if (this.closed || !this.wanted.has(id)) return;
    const prev = this.sent.get(id);
    const now = Date.now();
    const l = levels(book);
    if (prev && prev.levels === l && now - prev.atMs < this.o.refreshMs) return;
    this.sent.set(id, { levels: l, atMs: now });
    this.onUpdate({ book, kind: 'snapshot' });
  }
}

/** A venue's discovery and REST books as they are, with subscribeBooks served by polling. */
export class PolledMarketData implements MarketData {
  readonly venue: MarketData['venue'];

  constructor(
    private readonly inner: MarketData,
    private readonly o: PolledBooksOptions,
  ) {
    this.venue = inner.venue;
  }

  listInstruments(): Promise<Instrument[]> {
    return this.inner.listInstruments();
  }

  getBook(instrumentId: string): Promise<OrderBook> {
    return this.inner.getBook(instrumentId);
  }

  subscribeBooks(onUpdate: (update: BookUpdate) => void, onError: (error: Error) => void): BookSubscription {
    return new RestPolledBooks((id) => this.inner.getBook(id), onUpdate, onError, this.o);
  }
}
