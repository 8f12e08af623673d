// Book walking: what it really costs to take liquidity across several levels. Every strategy prices through here,
// so nothing ever assumes the top of book holds the whole size.
import { fee } from '@polybot/schemas';
import type { BookLevel, FeeSchedule, OrderBook } from '@polybot/schemas';

export interface Walk {
  /** Contracts actually obtainable (≤ requested when the book is thin). */
  filled: number;
  /** Sum of price × size over the consumed slices, dollars, fees excluded. */
  notional: number;
  /** notional / filled, or null when nothing filled. */
  vwap: number | null;
  /** Price of the last (worst) level touched: the limit price that takes exactly this liquidity. */
  worstPrice: number | null;
  /** Fee charged per consumed level (each level is a separate fill at the venue), summed. */
  fee: number;
  /** The consumed slices, best first. */
  slices: BookLevel[];
}

const SIZE_EPS = 1e-9;

/**
 * Take up to `size` from `levels` (best first), never beyond `priceLimit` (for asks: price ≤ limit; for bids:
 * price ≥ limit). Fees are computed per slice with `schedule` as taker.
 */
export function walkLevels(
  levels: readonly BookLevel[],
  size: number,
  side: 'buy' | 'sell',
  schedule: FeeSchedule,
  priceLimit?: number,
): Walk {
  let remaining = size;
  let notional = 0;
  let feeSum = 0;
  let worst: number | null = null;
  const slices: BookLevel[] = [];
  for (const level of levels) {
    if (remaining <= SIZE_EPS) break;
    if (
      priceLimit !== undefined &&
      (side === 'buy' ? level.price > priceLimit + 1e-12 : level.price < priceLimit - 1e-12)
    )
      break;
    const take = Math.min(remaining, level.size);
    notional += take * level.price;
    feeSum += fee(schedule, take, level.price, 'taker');
    worst = level.price;
    slices.push({ price: level.price, size: take });
    remaining -= take;
  }
  const filled = size - Math.max(remaining, 0);
  return {
    filled: filled <= SIZE_EPS ? 0 : filled,
    notional,
    vwap: filled > SIZE_EPS ? notional / filled : null,
    worstPrice: worst,
    fee: feeSum,
    slices,
  };
}

/** Buy `size` from the asks of `book`. */
export function walkAsks(book: OrderBook, size: number, schedule: FeeSchedule, priceLimit?: number): Walk {
  return walkLevels(book.asks, size, 'buy', schedule, priceLimit);
}

/** Sell `size` into the bids of `book`. */
export function walkBids(book: OrderBook, size: number, schedule: FeeSchedule, priceLimit?: number): Walk {
  return walkLevels(book.bids, size, 'sell', schedule, priceLimit);
}

/** Total size available on `levels` at prices no worse than `priceCap`. */
export function depthWithin(levels: readonly BookLevel[], side: 'buy' | 'sell', priceCap: number): number {
  let total = 0;
  for (const level of levels) {
    if (side === 'buy' ? level.price > priceCap + 1e-12 : level.price < priceCap - 1e-12) break;
    total += level.size;
  }
  return total;
}

/** Total size on one side of a book. */
export function totalDepth(levels: readonly BookLevel[]): number {
  let total = 0;
  for (const level of levels) total += level.size;
  return total;
}

/** Round a size down to the venue's lot (Kalshi whole contracts, Polymarket cents of a share). */
export function floorToStep(size: number, step: number): number {
  // Re-round so 0.01 lots do not come back as 12.340000000000002.
  return Math.round(Math.floor(size / step + 1e-9) * step * 1e8) / 1e8;
}
