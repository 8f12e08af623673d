// Resolution worlds for an arbitrage, and its paper execution in each of them.
//
// A world assigns YES or NO to every market an opportunity buys into, subject to what the venues and the approved
// links guarantee: markets of one mutually exclusive event have at most one YES (exactly one when the basket covers
// the whole event), an 'equivalent' link resolves both ends alike, an 'implies' link (A ⇒ B) never has A YES with
// B NO. Every such world is executed on fresh PaperTrading books and settled leg by leg (PaperTrading.settle), so
// the realized P&L is what that world pays.
import type { Instrument, MarketLink, Opportunity, OrderBook, VenueId } from '@polybot/schemas';
import { executeArbitrage, type ArbitrageExecution } from '../../src/paper/execute-arbitrage.ts';
import { PaperTrading } from '../../src/paper/paper-trading.ts';
import type { Universe } from './harness.ts';

export type World = ReadonlyMap<string, 'yes' | 'no'>;

const marketKey = (venue: VenueId, marketId: string): string => `${venue}|${marketId}`;

export function worldsFor(
  opp: Opportunity,
  instruments: ReadonlyMap<string, Instrument>,
  links: readonly MarketLink[],
): World[] {
  // The markets bought into, grouped: each mutually exclusive event is one group (which of its markets is the YES
  // one, or none when the basket does not cover the whole event), every other market a group of its own.
  const groups = new Map<string, Instrument[]>();
  const seen = new Set<string>();
  for (const leg of opp.legs) {
    const i = instruments.get(leg.instrumentId);
    if (!i) throw new Error(`leg on unknown instrument ${leg.instrumentId}`);
    const key = marketKey(i.venue, i.marketId);
    if (seen.has(key)) continue;
    seen.add(key);
    const g = i.mutuallyExclusive && i.eventId !== null ? `event|${marketKey(i.venue, i.eventId)}` : `market|${key}`;
    groups.set(g, [...(groups.get(g) ?? []), i]);
  }
  const eventSize = (venue: VenueId, eventId: string): number =>
    new Set([...instruments.values()].filter((i) => i.venue === venue && i.eventId === eventId).map((i) => i.marketId))
      .size;

  // Per group, the possible outcomes: index of the YES market, or -1 for "none of these".
  const choices = [...groups.values()].map((ms) => {
    const first = ms[0];
    const exhaustive =
      first !== undefined &&
      first.mutuallyExclusive &&
      first.eventId !== null &&
      ms.length === eventSize(first.venue, first.eventId);
    const options = ms.map((_, k) => k);
    return { ms, options: exhaustive ? options : [-1, ...options] };
  });

  let partial: Map<string, 'yes' | 'no'>[] = [new Map()];
  for (const { ms, options } of choices) {
    const next: Map<string, 'yes' | 'no'>[] = [];
    for (const w of partial) {
      for (const yesIndex of options) {
        const w2 = new Map(w);
        ms.forEach((m, k) => w2.set(marketKey(m.venue, m.marketId), k === yesIndex ? 'yes' : 'no'));
        next.push(w2);
      }
    }
    partial = next;
  }

  return partial.filter((w) =>
    links.every((l) => {
      if (!l.approved) return true;
      const a = w.get(marketKey(l.aVenue, l.aMarketId));
      const b = w.get(marketKey(l.bVenue, l.bMarketId));
      if (a === undefined || b === undefined) return true;
      if (l.relation === 'equivalent') return a === b;
      return !(a === 'yes' && b === 'no');
    }),
  );
}

export interface WorldResult {
  world: World;
  execution: ArbitrageExecution;
  /** Sum over both venues' paper accounts after settling every leg. */
  realizedPnl: number;
  /** What the legs paid out in this world. */
  payout: number;
}

/** Paper-executes `opp` against the universe's current streamed books, once per world, and settles every leg. */
export async function paperInEveryWorld(
  u: Universe,
  opp: Opportunity,
  links: readonly MarketLink[],
): Promise<WorldResult[]> {
  const getBook = (id: string): OrderBook | undefined => u.books.get(id);
  const out: WorldResult[] = [];
  for (const world of worldsFor(opp, u.instruments, links)) {
    const paper: Record<VenueId, PaperTrading> = {
      polymarket: new PaperTrading({ venue: 'polymarket', getBook, feeSchedule: u.feeOf, initialCash: 100_000 }),
      kalshi: new PaperTrading({ venue: 'kalshi', getBook, feeSchedule: u.feeOf, initialCash: 100_000 }),
    };
    const execution = await executeArbitrage((venue) => paper[venue], opp, { getBook });
    // Settle every leg's market on its outcome, both instruments of it (YES and NO; the one not held books
    // nothing): the winning side pays 1 per contract, the losing side 0.
    let payout = 0;
    const settled = new Set<string>();
    for (const leg of opp.legs) {
      const i = u.instruments.get(leg.instrumentId);
      const r = i && world.get(marketKey(i.venue, i.marketId));
      if (!i || !r) throw new Error(`no resolution for ${leg.instrumentId}`);
      for (const [id, side] of [
        [i.instrumentId, i.side],
        [i.complementId, i.side === 'yes' ? 'no' : 'yes'],
      ] as const) {
        if (id === null || settled.has(id)) continue;
        settled.add(id);
        payout += paper[i.venue].settle(id, side === r ? 1 : 0).proceeds;
      }
    }
    out.push({ world, execution, realizedPnl: paper.polymarket.realizedPnl() + paper.kalshi.realizedPnl(), payout });
  }
  return out;
}
