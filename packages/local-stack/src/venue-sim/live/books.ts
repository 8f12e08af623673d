// Drawing quotes into the simulated books: a quote is a best bid and best ask in cents with three levels behind each;
// only the levels that changed are sent to the venue (so subscribers see a few deltas, not a rebuilt book).
import type { KalshiSim } from '../kalshi/index.ts';
import type { PolymarketSim } from '../polymarket/index.ts';

const DEPTH = 3;
/** Stable size of a level (shares / contracts): depends only on the price and a salt, so redraws change little. */
export const levelSize = (priceCents: number, salt: number): number =>
  100 + ((priceCents * 7919 + salt * 104_729) % 400);

type Levels = Map<number, number>;

/** Levels from best outwards, inside 1..99 cents. */
function ladder(best: number | null, direction: 1 | -1, salt: number, topSize?: number): Levels {
  const out: Levels = new Map();
  if (best === null) return out;
  for (let i = 0; i < DEPTH; i++) {
    const price = best + direction * i;
    if (price < 1 || price > 99) continue;
    out.set(price, i === 0 && topSize !== undefined ? topSize : levelSize(price, salt));
  }
  return out;
}

function diff(previous: Levels, next: Levels, set: (price: number, size: number) => void): void {
  for (const price of previous.keys()) if (!next.has(price)) set(price, 0);
  for (const [price, size] of next) if (previous.get(price) !== size) set(price, size);
}

/** One Polymarket token's book, redrawn from (best bid, best ask). */
export class PolymarketQuote {
  private bids: Levels = new Map();
  private asks: Levels = new Map();
  constructor(
    private readonly venue: PolymarketSim,
    readonly tokenId: string,
    private readonly salt: number,
  ) {}

  draw(bid: number, ask: number, topAskSize?: number): number {
    const bids = ladder(bid, -1, this.salt);
    const asks = ladder(ask, 1, this.salt + 1, topAskSize);
    let changes = 0;
    diff(this.bids, bids, (p, s) => (this.venue.setLevel(this.tokenId, 'bid', p / 100, s), changes++));
    diff(this.asks, asks, (p, s) => (this.venue.setLevel(this.tokenId, 'ask', p / 100, s), changes++));
    this.bids = bids;
    this.asks = asks;
    return changes;
  }

  /** Empty the book (trading halted or market resolved). */
  clear(): void {
    diff(this.bids, new Map(), (p, s) => this.venue.setLevel(this.tokenId, 'bid', p / 100, s));
    diff(this.asks, new Map(), (p, s) => this.venue.setLevel(this.tokenId, 'ask', p / 100, s));
    this.bids = new Map();
    this.asks = new Map();
  }

  bestAsk(): number | null {
    return this.asks.size === 0 ? null : Math.min(...this.asks.keys());
  }
}

/**
 * One Kalshi market's bids-only book, drawn from the YES ask `g` (cents): NO bids from 100 − g down, YES bids from
 * g − 2 down (a normal spread of two cents).
 */
export class KalshiQuote {
  private yes: Levels = new Map();
  private no: Levels = new Map();
  constructor(
    private readonly venue: KalshiSim,
    readonly ticker: string,
    private readonly salt: number,
  ) {}

  draw(yesAsk: number, topSize?: number): number {
    const yes = ladder(yesAsk - 2, -1, this.salt);
    const no = ladder(100 - yesAsk, -1, this.salt + 1, topSize);
    let changes = 0;
    diff(this.yes, yes, (p, s) => (this.venue.setLevel(this.ticker, 'yes', p, s * 100), changes++));
    diff(this.no, no, (p, s) => (this.venue.setLevel(this.ticker, 'no', p, s * 100), changes++));
    this.yes = yes;
    this.no = no;
    return changes;
  }
}
