// One token's order book in the simulator: price levels of FIFO maker entries. Scenario liquidity is an
// anonymous entry (owner null) that price paths resize; users' resting GTC orders queue behind it.

/** Prices are kept as integer pips of 1e-4 (the finest Polymarket tick) so levels never drift by float error. */
export const PIPS = 10_000;
export const toPips = (price: number): number => Math.round(price * PIPS);
export const fromPips = (pips: number): number => pips / PIPS;
export const roundSize = (size: number): number => Math.round(size * 100) / 100;

export interface MakerEntry {
  orderId: string | null;
  owner: string | null;
  size: number;
}

export type BookSide = 'bid' | 'ask';

export interface LevelChange {
  side: BookSide;
  pips: number;
  /** New aggregate size at the level (0 = gone). */
  size: number;
}

export interface MatchFill {
  pips: number;
  size: number;
  maker: MakerEntry;
}

export class SimBook {
  readonly bids = new Map<number, MakerEntry[]>();
  readonly asks = new Map<number, MakerEntry[]>();
  lastTradePrice: number | null = null;

  private levels(side: BookSide): Map<number, MakerEntry[]> {
    return side === 'bid' ? this.bids : this.asks;
  }

  levelSize(side: BookSide, pips: number): number {
    return roundSize((this.levels(side).get(pips) ?? []).reduce((sum, e) => sum + e.size, 0));
  }

  /** Sets the scenario (anonymous) liquidity at a level, keeping users' orders there. */
  setScenarioLiquidity(side: BookSide, pips: number, size: number): LevelChange {
    const map = this.levels(side);
    const entries = (map.get(pips) ?? []).filter((e) => e.owner !== null);
    if (size > 0) entries.unshift({ orderId: null, owner: null, size: roundSize(size) });
    if (entries.length === 0) map.delete(pips);
    else map.set(pips, entries);
    return { side, pips, size: this.levelSize(side, pips) };
  }

  addOrder(side: BookSide, pips: number, entry: MakerEntry): LevelChange {
    const map = this.levels(side);
    const entries = map.get(pips) ?? [];
    entries.push(entry);
    map.set(pips, entries);
    return { side, pips, size: this.levelSize(side, pips) };
  }

  removeOrder(orderId: string): LevelChange | null {
    for (const side of ['bid', 'ask'] as const) {
      const map = this.levels(side);
      for (const [pips, entries] of map) {
        const index = entries.findIndex((e) => e.orderId === orderId);
        if (index < 0) continue;
        entries.splice(index, 1);
        if (entries.length === 0) map.delete(pips);
        return { side, pips, size: this.levelSize(side, pips) };
      }
    }
    return null;
  }

  /** Best-first price list of one side. */
  sortedPips(side: BookSide): number[] {
    const prices = [...this.levels(side).keys()];
    return side === 'bid' ? prices.sort((a, b) => b - a) : prices.sort((a, b) => a - b);
  }

  best(side: BookSide): number | null {
    return this.sortedPips(side)[0] ?? null;
  }

  /** Size a taker could get at or better than `limitPips` on the opposite side. */
  available(takerSide: 'BUY' | 'SELL', limitPips: number): number {
    const side: BookSide = takerSide === 'BUY' ? 'ask' : 'bid';
    let total = 0;
    for (const pips of this.sortedPips(side)) {
      if (takerSide === 'BUY' ? pips > limitPips : pips < limitPips) break;
      total += this.levelSize(side, pips);
    }
    return roundSize(total);
  }

  /** Takes up to `size` at or better than the limit, FIFO within a level. Returns fills and the changed levels. */
  match(
    takerSide: 'BUY' | 'SELL',
    limitPips: number,
    size: number,
    takerOwner: string,
  ): { fills: MatchFill[]; changes: LevelChange[] } {
    const side: BookSide = takerSide === 'BUY' ? 'ask' : 'bid';
    const map = this.levels(side);
    const fills: MatchFill[] = [];
    const changes: LevelChange[] = [];
    let remaining = roundSize(size);
    for (const pips of this.sortedPips(side)) {
      if (remaining <= 0) break;
      if (takerSide === 'BUY' ? pips > limitPips : pips < limitPips) break;
      const entries = map.get(pips) ?? [];
      for (const entry of entries) {
        if (remaining <= 0) break;
        // Self-trade prevention: a user's own resting order is skipped, not matched.
        if (entry.owner === takerOwner) continue;
        const take = roundSize(Math.min(entry.size, remaining));
        if (take <= 0) continue;
        entry.size = roundSize(entry.size - take);
        remaining = roundSize(remaining - take);
        fills.push({ pips, size: take, maker: { ...entry, size: take } });
      }
      const left = entries.filter((e) => e.size > 0);
      if (left.length === 0) map.delete(pips);
      else map.set(pips, left);
      changes.push({ side, pips, size: this.levelSize(side, pips) });
    }
    const last = fills.at(-1);
    if (last) this.lastTradePrice = fromPips(last.pips);
    return { fills, changes };
  }
}

export interface BookSummaryLevel {
  price: string;
  size: string;
}

export const formatPrice = (pips: number): string => String(fromPips(pips));
export const formatSize = (size: number): string => String(roundSize(size));

/** Venue order: bids ascending, asks descending, so the best level is last (as in the fixtures). */
export function summaryLevels(book: SimBook, side: BookSide): BookSummaryLevel[] {
  const best = book.sortedPips(side);
  return best.reverse().map((pips) => ({ price: formatPrice(pips), size: formatSize(book.levelSize(side, pips)) }));
}
