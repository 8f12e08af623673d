// One market's book as Kalshi keeps it: YES bids and NO bids only (a YES ask is a NO bid seen from the other side).
// Each level holds scripted "house" liquidity (from the scenario) ahead of users' resting orders, FIFO.
// Prices are integer cents, counts integer hundredths of a contract.

export type BookSideName = 'yes' | 'no';

export interface RestingOrder {
  orderId: string;
  accountKey: string;
  side: BookSideName;
  priceCents: number;
  remaining: number;
}

export interface Level {
  house: number;
  orders: RestingOrder[];
}

export type LevelChangeListener = (side: BookSideName, priceCents: number, deltaHundredths: number) => void;

export class MarketBook {
  private readonly sides: Record<BookSideName, Map<number, Level>> = { yes: new Map(), no: new Map() };

  constructor(private readonly onChange: LevelChangeListener) {}

  levelSize(side: BookSideName, priceCents: number): number {
    const level = this.sides[side].get(priceCents);
    if (!level) return 0;
    return level.house + level.orders.reduce((sum, o) => sum + o.remaining, 0);
  }

  /** Levels with size > 0, ascending by price (the order Kalshi's REST and WS snapshots use). */
  levels(side: BookSideName): Array<[number, number]> {
    return [...this.sides[side].keys()]
      .sort((a, b) => a - b)
      .map((p): [number, number] => [p, this.levelSize(side, p)])
      .filter(([, size]) => size > 0);
  }

  /** Best (highest) bid price on a side, or null. */
  best(side: BookSideName): number | null {
    const ls = this.levels(side);
    const top = ls[ls.length - 1];
    return top ? top[0] : null;
  }

  setHouse(side: BookSideName, priceCents: number, size: number): void {
    const level = this.level(side, priceCents);
    const delta = size - level.house;
    level.house = size;
    this.settle(side, priceCents, level, delta);
  }

  addOrder(order: RestingOrder): void {
    const level = this.level(order.side, order.priceCents);
    level.orders.push(order);
    this.settle(order.side, order.priceCents, level, order.remaining);
  }

  removeOrder(order: RestingOrder): number {
    const level = this.sides[order.side].get(order.priceCents);
    if (!level) return 0;
    const idx = level.orders.indexOf(order);
    if (idx < 0) return 0;
    level.orders.splice(idx, 1);
    const removed = order.remaining;
    order.remaining = 0;
    this.settle(order.side, order.priceCents, level, -removed);
    return removed;
  }

  /**
   * Takes up to `want` from one level: house first, then resting orders in time priority. `decide` is asked before
   * touching each resting order (self-trade prevention): match it, stop the taker here, or remove the resting order
   * (`removed` gets it, with its remaining size, before it is zeroed). Returns what was taken, per maker.
   */
  take(
    side: BookSideName,
    priceCents: number,
    want: number,
    decide: (order: RestingOrder) => 'match' | 'stop' | 'remove',
    removed: (order: RestingOrder) => void,
  ): { taken: number; makers: Array<{ order: RestingOrder; size: number }>; stopped: boolean } {
    const level = this.sides[side].get(priceCents);
    const makers: Array<{ order: RestingOrder; size: number }> = [];
    if (!level) return { taken: 0, makers, stopped: false };
    let taken = Math.min(want, level.house);
    level.house -= taken;
    let stopped = false;
    while (taken < want && level.orders.length > 0) {
      const order = level.orders[0];
      if (!order) break;
      const decision = decide(order);
      if (decision === 'stop') {
        stopped = true;
        break;
      }
      if (decision === 'remove') {
        level.orders.shift();
        this.onChange(side, priceCents, -order.remaining);
        removed(order);
        order.remaining = 0;
        continue;
      }
      const size = Math.min(want - taken, order.remaining);
      order.remaining -= size;
      taken += size;
      makers.push({ order, size });
      if (order.remaining === 0) level.orders.shift();
    }
    this.settle(side, priceCents, level, -taken);
    return { taken, makers, stopped };
  }

  private level(side: BookSideName, priceCents: number): Level {
    let level = this.sides[side].get(priceCents);
    if (!level) {
      level = { house: 0, orders: [] };
      this.sides[side].set(priceCents, level);
    }
    return level;
  }

  private settle(side: BookSideName, priceCents: number, level: Level, delta: number): void {
    if (level.house === 0 && level.orders.length === 0) this.sides[side].delete(priceCents);
    if (delta !== 0) this.onChange(side, priceCents, delta);
  }
}
