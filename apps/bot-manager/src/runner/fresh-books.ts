// The max-age rule at send time: right before the first order of a decision leaves, every leg's book must be no older
// than the strategy's max_book_age_ms. The strategies priced the opportunity on fresh books, but a reservation, a
// route (a live connect) or a silent feed may have passed since; an order is never sent on data older than that.
// Age is measured as the strategies measure it (book.timestampMs against this clock; packages/strategies basket.ts).
import type { OrderBook } from '@polybot/schemas';

export interface StaleBook {
  code: 'stale_book';
  reason: string;
}

/** The first leg whose book is missing or older than `maxAgeMs` at `nowMs`, as a skip with words; null when fresh. */
export function staleBook(
  legs: ReadonlyArray<{ venue: string; instrumentId: string }>,
  books: ReadonlyMap<string, OrderBook>,
  maxAgeMs: number,
  nowMs: number,
): StaleBook | null {
  for (const leg of legs) {
    const book = books.get(leg.instrumentId);
    const name = `the ${leg.venue} book of ${leg.instrumentId.slice(0, 24)}`;
    if (!book) return { code: 'stale_book', reason: `${name} is gone: no order sent without data` };
    const ageMs = nowMs - book.timestampMs;
    if (ageMs > maxAgeMs)
      return {
        code: 'stale_book',
        reason: `${name} was ${(ageMs / 1000).toFixed(1)} s old when the order would have left (max book age ${maxAgeMs / 1000} s): not sent on old data`,
      };
  }
  return null;
}
