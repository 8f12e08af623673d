// Local copy of one Polymarket book, kept from a snapshot plus `price_change` deltas. The venue sends prices
// and sizes as decimal strings, bids ascending and asks descending; we sort best-first for OrderBook.
import { createHash } from 'node:crypto';
import type { BookLevel, OrderBook } from '@polybot/schemas';
import { z } from 'zod';

const Level = z.object({ price: z.string(), size: z.string() });

export const BookSummarySchema = z
  .object({
    market: z.string(),
    asset_id: z.string(),
    timestamp: z.string(),
    hash: z.string().default(''),
    bids: z.array(Level),
    asks: z.array(Level),
  })
  .loose();
export type BookSummary = z.infer<typeof BookSummarySchema>;

export const PriceChangeSchema = z.object({
  asset_id: z.string(),
  price: z.string(),
  size: z.string(),
  side: z.enum(['BUY', 'SELL']),
  hash: z.string().optional(),
  best_bid: z.string().optional(),
  best_ask: z.string().optional(),
});
export type PriceChange = z.infer<typeof PriceChangeSchema>;

const num = (s: string): number => Number(s);

export class LocalBook {
  private readonly bids = new Map<string, number>();
  private readonly asks = new Map<string, number>();
  seq = 0;
  timestampMs = 0;

  constructor(readonly assetId: string) {}

  static fromSummary(summary: BookSummary): LocalBook {
    const book = new LocalBook(summary.asset_id);
    for (const l of summary.bids) if (num(l.size) > 0) book.bids.set(canonical(l.price), num(l.size));
    for (const l of summary.asks) if (num(l.size) > 0) book.asks.set(canonical(l.price), num(l.size));
    book.timestampMs = Number(summary.timestamp) || 0;
    return book;
  }

  apply(change: PriceChange): void {
    const side = change.side === 'BUY' ? this.bids : this.asks;
    const size = num(change.size);
    if (size > 0) side.set(canonical(change.price), size);
    else side.delete(canonical(change.price));
  }

  bestBid(): number | null {
    let best: number | null = null;
    for (const p of this.bids.keys()) if (best === null || num(p) > best) best = num(p);
    return best;
  }

  bestAsk(): number | null {
    let best: number | null = null;
    for (const p of this.asks.keys()) if (best === null || num(p) < best) best = num(p);
    return best;
  }

  /**
   * After applying a message, our top of book must equal the venue's `best_bid`/`best_ask`: if it does not, a
   * message was lost or misapplied and the book must be resnapshotted. (Empty sides: the venue sends 0 / 1.)
   */
  agreesWith(change: PriceChange): boolean {
    if (change.best_bid !== undefined && (this.bestBid() ?? 0) !== num(change.best_bid)) return false;
    if (change.best_ask !== undefined && (this.bestAsk() ?? 1) !== num(change.best_ask)) return false;
    return true;
  }

  toOrderBook(): OrderBook {
    const levels = (m: Map<string, number>, dir: 1 | -1): BookLevel[] =>
      [...m]
        .map(([p, size]) => ({ price: num(p), size }))
        .filter((l) => l.price > 0 && l.price < 1)
        .sort((a, b) => dir * (a.price - b.price));
    return {
      venue: 'polymarket',
      instrumentId: this.assetId,
      bids: levels(this.bids, -1),
      asks: levels(this.asks, 1),
      timestampMs: this.timestampMs,
      seq: this.seq,
    };
  }
}

/** "0.50" and "0.5" are the same level. */
function canonical(price: string): string {
  return String(Number(price));
}

export function summaryToOrderBook(summary: BookSummary): OrderBook {
  return LocalBook.fromSummary(summary).toOrderBook();
}

/**
 * A REST `/book` summary carries `hash` = sha1 hex of the summary's own JSON with `hash` set to "" (what the SDK's
 * `getOrderBookHash` recomputes; recorded venue responses verify this way). Key order matters, so this takes the
 * parsed JSON as received. Summaries without a hash pass.
 */
export function summaryHashOk(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || !('hash' in raw) || typeof raw.hash !== 'string' || raw.hash === '')
    return true;
  return (
    createHash('sha1')
      .update(JSON.stringify({ ...raw, hash: '' }))
      .digest('hex') === raw.hash
  );
}
