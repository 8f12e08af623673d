// Which baskets exist: derived from instrument metadata and approved market links only, never from prices, so the
// set can be built once per universe change and re-priced on every book update.
import type { Instrument, MarketLink, OutcomeSide, VenueId } from '@polybot/schemas';
import type { BasketPlan } from './types.ts';

export type InstrumentIndex = ReadonlyMap<string, Instrument>;

const marketKey = (venue: VenueId, marketId: string, side: OutcomeSide): string => `${venue}|${marketId}|${side}`;

/** instrumentId by (venue, marketId, side), for resolving link ends. */
export function indexBySide(instruments: InstrumentIndex): Map<string, Instrument> {
  const out = new Map<string, Instrument>();
  for (const i of instruments.values()) out.set(marketKey(i.venue, i.marketId, i.side), i);
  return out;
}

/** Each event's instruments, two or more, in market order, with the first: what an event basket is built from. */
function* eventGroups(events: Map<string, Instrument[]>): Generator<[string, Instrument[], Instrument]> {
  for (const [key, list] of events) {
    if (list.length < 2) continue;
    list.sort((a, b) => (a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : 0));
    const first = list[0];
    if (!first) continue;
    yield [key, list, first];
  }
}

/** Each approved link of one relation, with the instruments (where listed) of both sides of both its ends. */
function* approvedLinks(
  links: readonly MarketLink[],
  relation: MarketLink['relation'],
  bySide: ReadonlyMap<string, Instrument>,
): Generator<{ link: MarketLink; aYes?: Instrument; aNo?: Instrument; bYes?: Instrument; bNo?: Instrument }> {
  for (const link of links) {
    if (!link.approved || link.relation !== relation) continue;
    yield {
      link,
      aYes: bySide.get(marketKey(link.aVenue, link.aMarketId, 'yes')),
      aNo: bySide.get(marketKey(link.aVenue, link.aMarketId, 'no')),
      bYes: bySide.get(marketKey(link.bVenue, link.bMarketId, 'yes')),
      bNo: bySide.get(marketKey(link.bVenue, link.bMarketId, 'no')),
    };
  }
}

/**
 * Polymarket binary YES+NO (the two tokens of one condition always pay exactly 1 together), and every
 * mutually exclusive & exhaustive event (Polymarket neg-risk, Kalshi mutually_exclusive): YES of every market pays 1.
 * The mirror image needs only exclusivity: NO of every one of n markets pays at least n − 1 (n if none happens).
 */
export function singlePlatformPlans(instruments: InstrumentIndex): BasketPlan[] {
  const plans: BasketPlan[] = [];
  const events = new Map<string, Instrument[]>();
  const noEvents = new Map<string, Instrument[]>();
  const push = (m: Map<string, Instrument[]>, key: string, i: Instrument) => {
    const list = m.get(key);
    if (list) list.push(i);
    else m.set(key, [i]);
  };
  for (const i of instruments.values()) {
    if (i.side === 'no') {
      if (i.mutuallyExclusive && i.eventId) push(noEvents, `${i.venue}|${i.eventId}`, i);
      continue;
    }
    if (i.venue === 'polymarket' && i.complementId && instruments.has(i.complementId)) {
      plans.push({
        id: `single:binary:${i.marketId}`,
        strategy: 'single_platform',
        instrumentIds: [i.instrumentId, i.complementId],
        minPayout: 1,
        description: `Buy YES+NO of "${i.title}" on polymarket`,
      });
    }
    if (i.mutuallyExclusive && i.eventId) push(events, `${i.venue}|${i.eventId}`, i);
  }
  for (const [key, yeses, first] of eventGroups(events)) {
    plans.push({
      id: `single:event:${key}`,
      strategy: 'single_platform',
      instrumentIds: yeses.map((y) => y.instrumentId),
      minPayout: 1,
      description: `Buy YES of all ${yeses.length} outcomes of event ${first.eventId ?? ''} on ${first.venue}`,
    });
  }
  for (const [key, nos, first] of eventGroups(noEvents)) {
    plans.push({
      id: `single:event-no:${key}`,
      strategy: 'single_platform',
      instrumentIds: nos.map((n) => n.instrumentId),
      minPayout: nos.length - 1,
      description: `Buy NO of all ${nos.length} outcomes of event ${first.eventId ?? ''} on ${first.venue} (pays ${nos.length - 1})`,
    });
  }
  return plans;
}

/** Approved 'equivalent' links: YES on one venue + NO on the other, both directions. */
export function crossPlatformPlans(
  instruments: InstrumentIndex,
  links: readonly MarketLink[],
  bySide = indexBySide(instruments),
): BasketPlan[] {
  const plans: BasketPlan[] = [];
  for (const { link, aYes, aNo, bYes, bNo } of approvedLinks(links, 'equivalent', bySide)) {
    if (aYes && bNo) {
      plans.push({
        id: `cross:${link.id}:aYes-bNo`,
        strategy: 'cross_platform',
        instrumentIds: [aYes.instrumentId, bNo.instrumentId],
        minPayout: 1,
        description: `Buy YES "${aYes.title}" on ${link.aVenue} + NO "${bNo.title}" on ${link.bVenue} (link ${link.id})`,
      });
    }
    if (aNo && bYes) {
      plans.push({
        id: `cross:${link.id}:aNo-bYes`,
        strategy: 'cross_platform',
        instrumentIds: [aNo.instrumentId, bYes.instrumentId],
        minPayout: 1,
        description: `Buy NO "${aNo.title}" on ${link.aVenue} + YES "${bYes.title}" on ${link.bVenue} (link ${link.id})`,
      });
    }
  }
  return plans;
}

/**
 * Approved 'implies' links (A implies B): buy B-YES + A-NO. If A happens, B happens and B-YES pays; if A does not,
 * A-NO pays; so every world pays at least 1 (2 when A fails and B happens).
 */
export function overlappingPlans(
  instruments: InstrumentIndex,
  links: readonly MarketLink[],
  bySide = indexBySide(instruments),
): BasketPlan[] {
  const plans: BasketPlan[] = [];
  for (const { link, aNo, bYes } of approvedLinks(links, 'implies', bySide)) {
    if (!aNo || !bYes) continue;
    plans.push({
      id: `overlap:${link.id}`,
      strategy: 'overlapping',
      instrumentIds: [bYes.instrumentId, aNo.instrumentId],
      minPayout: 1,
      description: `Buy YES "${bYes.title}" on ${link.bVenue} + NO "${aNo.title}" on ${link.aVenue}, as the first implies the second (link ${link.id})`,
    });
  }
  return plans;
}
