// The live world's markets as the driver keeps them (fair prices, schedules, open windows) and how they are drawn
// into the venues' books and random-walked.
import type { KalshiQuote, PolymarketQuote } from './books.ts';
import type { LinkedPair } from './config.ts';
import { LIVE } from './config.ts';

export type LiveStrategy = 'single_platform' | 'cross_platform' | 'overlapping';

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export interface PmMarket {
  k: number;
  conditionId: string;
  fair: number;
  endMs: number;
  halted: boolean;
  yes: PolymarketQuote;
  no: PolymarketQuote;
  window: { side: 'yes' | 'no'; discount: number; size: number; untilMs: number } | null;
}

export interface KalshiEvent {
  k: number;
  eventTicker: string;
  tickers: string[];
  fairs: number[];
  endMs: number;
  quotes: KalshiQuote[];
  window: { discounts: number[]; size: number; untilMs: number } | null;
}

export interface Linked {
  pair: LinkedPair;
  fair: number;
  /** Kalshi side's fair: equal to `fair` when equivalent, above it when implied. */
  kalshiFair: number;
  yes: PolymarketQuote;
  no: PolymarketQuote;
  kalshi: KalshiQuote;
  window: { kalshiShown: number; strategy: LiveStrategy; untilMs: number } | null;
  resolved: boolean;
}

/** YES and NO books of a rotating binary; a window makes one side's ask `discount` cents cheaper. */
export function drawPm(m: PmMarket): number {
  if (m.halted) return 0;
  const w = m.window;
  const off = (side: 'yes' | 'no'): number => (w && w.side === side ? w.discount : 0);
  const size = (side: 'yes' | 'no'): number | undefined => (w && w.side === side ? w.size : undefined);
  return (
    m.yes.draw(m.fair - 1 - off('yes'), m.fair + 1 - off('yes'), size('yes')) +
    m.no.draw(99 - m.fair - off('no'), 101 - m.fair - off('no'), size('no'))
  );
}

/** Each bucket's book from its fair (YES ask one cent above), less the window's discount on that bucket. */
export function drawKalshi(e: KalshiEvent): number {
  return e.quotes.reduce((changes, q, i) => {
    const discount = e.window?.discounts[i] ?? 0;
    return changes + q.draw((e.fairs[i] ?? 0) + 1 - discount, e.window ? e.window.size : undefined);
  }, 0);
}

/** Both venues' books of a linked pair; during a window the Kalshi side shows the window's price. */
export function drawLinked(l: Linked): number {
  if (l.resolved) return 0;
  return (
    l.yes.draw(l.fair - 1, l.fair + 1) +
    l.no.draw(99 - l.fair, 101 - l.fair) +
    l.kalshi.draw((l.window?.kalshiShown ?? l.kalshiFair) + 1)
  );
}

/** One step of the random walk over every market outside a window; returns the level changes drawn. */
export function walk(random: () => number, pm: PmMarket[], kalshi: KalshiEvent[], linked: Linked[]): number {
  let changes = 0;
  const step = (): number => (random() < 0.5 ? -1 : 1);
  for (const m of pm) {
    if (random() >= LIVE.WALK_PROBABILITY || m.halted || m.window) continue;
    m.fair = clamp(m.fair + step(), 8, 92);
    changes += drawPm(m);
  }
  for (const e of kalshi) {
    if (random() >= LIVE.WALK_PROBABILITY || e.window) continue;
    // A cent moves from one bucket to another: the buckets keep summing to 100.
    const from = Math.floor(random() * e.fairs.length);
    const to = (from + 1 + Math.floor(random() * (e.fairs.length - 1))) % e.fairs.length;
    if ((e.fairs[from] ?? 0) <= 6 || (e.fairs[to] ?? 100) >= 90) continue;
    e.fairs[from] = (e.fairs[from] ?? 0) - 1;
    e.fairs[to] = (e.fairs[to] ?? 0) + 1;
    changes += drawKalshi(e);
  }
  for (const l of linked) {
    if (random() >= LIVE.WALK_PROBABILITY || l.resolved || l.window) continue;
    const d = step();
    if (l.pair.relation === 'equivalent') {
      l.fair = clamp(l.fair + d, 10, 90);
      l.kalshiFair = l.fair;
    } else if (random() < 0.5) l.fair = clamp(l.fair + d, 10, l.kalshiFair - 8);
    else l.kalshiFair = clamp(l.kalshiFair + d, l.fair + 8, 95);
    changes += drawLinked(l);
  }
  return changes;
}
