// One venue book subscription per instrument, however many consumers want it. The bot-manager runs one hub per
// venue and hands each runner a consumer: venue traffic grows with instruments, not with users. Public data
// only — nothing here knows about accounts.
import { coerceError, type OrderBook } from '@polybot/schemas';
import type { BookSubscription, BookUpdate, MarketData } from '../venue.ts';

export interface HubConsumer {
  /** Start receiving these instruments: a snapshot first (at once if the hub already holds the book), then updates. */
  add(instrumentIds: readonly string[]): void;
  remove(instrumentIds: readonly string[]): void;
  /** Leave: the hub unsubscribes from the venue whatever nobody else still wants. */
  close(): void;
}

interface Consumer {
  onUpdate: (update: BookUpdate) => void;
  onError: (error: Error) => void;
  instruments: Set<string>;
}

export interface HubStats {
  consumers: number;
  instruments: number;
  venueAdds: number;
  venueRemoves: number;
}

export class MarketDataHub {
  private subscription: BookSubscription | null = null;
  private readonly consumers = new Set<Consumer>();
  private readonly byInstrument = new Map<string, Set<Consumer>>();
  private readonly latest = new Map<string, OrderBook>();
  private venueAdds = 0;
  private venueRemoves = 0;

  constructor(private readonly source: MarketData) {}

  subscribe(onUpdate: (update: BookUpdate) => void, onError: (error: Error) => void = () => {}): HubConsumer {
    const consumer: Consumer = { onUpdate, onError, instruments: new Set() };
    this.consumers.add(consumer);
    return {
      add: (ids) => this.add(consumer, ids),
      remove: (ids) => this.remove(consumer, ids),
      close: () => {
        this.remove(consumer, [...consumer.instruments]);
        this.consumers.delete(consumer);
      },
    };
  }

  stats(): HubStats {
    return {
      consumers: this.consumers.size,
      instruments: this.byInstrument.size,
      venueAdds: this.venueAdds,
      venueRemoves: this.venueRemoves,
    };
  }

  async close(): Promise<void> {
    const sub = this.subscription;
    this.subscription = null;
    this.consumers.clear();
    this.byInstrument.clear();
    this.latest.clear();
    await sub?.close();
  }

  private venue(): BookSubscription {
    this.subscription ??= this.source.subscribeBooks(
      (update) => this.fanOut(update),
      (error) => {
        for (const c of this.consumers) c.onError(error);
      },
    );
    return this.subscription;
  }

  private add(consumer: Consumer, ids: readonly string[]): void {
    const toVenue: string[] = [];
    for (const id of ids) {
      if (consumer.instruments.has(id)) continue;
      consumer.instruments.add(id);
      let set = this.byInstrument.get(id);
      if (!set) {
        set = new Set();
        this.byInstrument.set(id, set);
        toVenue.push(id);
      }
      set.add(consumer);
      const book = this.latest.get(id);
      // A late joiner starts from the book the hub already holds; later deltas carry full books anyway.
      if (book) consumer.onUpdate({ book, kind: 'snapshot' });
    }
    if (toVenue.length > 0) {
      this.venueAdds += toVenue.length;
      this.venue().add(toVenue);
    }
  }

  private remove(consumer: Consumer, ids: readonly string[]): void {
    const fromVenue: string[] = [];
    for (const id of ids) {
      if (!consumer.instruments.delete(id)) continue;
      const set = this.byInstrument.get(id);
      set?.delete(consumer);
      if (set && set.size === 0) {
        this.byInstrument.delete(id);
        this.latest.delete(id);
        fromVenue.push(id);
      }
    }
    if (fromVenue.length > 0 && this.subscription) {
      this.venueRemoves += fromVenue.length;
      this.subscription.remove(fromVenue);
    }
  }

  private fanOut(update: BookUpdate): void {
    const id = update.book.instrumentId;
    const set = this.byInstrument.get(id);
    if (!set) return; // arrived after the last consumer left
    this.latest.set(id, update.book);
    for (const consumer of set) {
      try {
        consumer.onUpdate(update);
      } catch (e) {
        // One consumer's bug must not starve the others.
        consumer.onError(coerceError(e));
      }
    }
  }
}
