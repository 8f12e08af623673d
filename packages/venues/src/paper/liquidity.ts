// What a paper order may take from a book. The book comes from the market-data hub and does not know about our
// simulated trades, so liquidity we already took from a given book version is remembered and subtracted until the
// book changes (new seq or timestamp); otherwise two paper orders could both buy the same 100 contracts.
import type { BookLevel, OrderBook } from '@polybot/schemas';

const priceKey = (p: number): string => p.toFixed(6);

interface Taken {
  seq: number;
  timestampMs: number;
  asks: Map<string, number>;
  bids: Map<string, number>;
}

export class ConsumedLiquidity {
  private readonly taken = new Map<string, Taken>();

  /** The levels of one side still available to us, best first. */
  available(book: OrderBook, side: 'buy' | 'sell'): BookLevel[] {
    const t = this.current(book);
    const levels = side === 'buy' ? book.asks : book.bids;
    const used = side === 'buy' ? t.asks : t.bids;
    const out: BookLevel[] = [];
    for (const l of levels) {
      const left = l.size - (used.get(priceKey(l.price)) ?? 0);
      if (left > 1e-9) out.push({ price: l.price, size: left });
    }
    return out;
  }

  take(book: OrderBook, side: 'buy' | 'sell', price: number, size: number): void {
    const t = this.current(book);
    const used = side === 'buy' ? t.asks : t.bids;
    const k = priceKey(price);
    used.set(k, (used.get(k) ?? 0) + size);
  }

  private current(book: OrderBook): Taken {
    const t = this.taken.get(book.instrumentId);
    if (t && t.seq === book.seq && t.timestampMs === book.timestampMs) return t;
    const fresh: Taken = { seq: book.seq, timestampMs: book.timestampMs, asks: new Map(), bids: new Map() };
    this.taken.set(book.instrumentId, fresh);
    return fresh;
  }
}
