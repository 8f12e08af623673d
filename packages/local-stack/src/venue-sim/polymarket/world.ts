// Builds the simulated Polymarket world (events, markets, tokens, books) from a scenario, deterministically
// from its seed. Stress scenarios describe only counts; their markets are generated here at load time.
import { createHash } from 'node:crypto';
import { seededRandom } from '../seeded-random.ts';
import { SimBook, toPips } from './book.ts';
import type { BookSpec, EventSpec, FeeSchedule, MarketSpec, PolymarketScenario } from './scenario-schema.ts';

export interface SimToken {
  tokenId: string;
  outcome: string;
  market: SimMarket;
  book: SimBook;
}

export interface SimMarket {
  spec: MarketSpec;
  event: SimEvent;
  tokens: [SimToken, SimToken];
  negRisk: boolean;
  feeSchedule: FeeSchedule | null;
  /**
   * Where the market is in its end of life, as Gamma's `umaResolutionStatus` shows it: '' while trading,
   * 'proposed' once trading stopped and an outcome was proposed (orders refused), 'resolved' when final.
   */
  umaStatus: '' | 'proposed' | 'resolved';
  /** Payout per share of tokens[0], tokens[1] once resolved: [1, 0], [0, 1], or [0.5, 0.5] for a 50-50. */
  payouts: [number, number] | null;
  resolvedAtMs: number | null;
  /** When the market was listed at runtime (scenario ms since epoch); null for markets of the scenario file. */
  listedAtMs: number | null;
}

/** Orders are accepted only while the market is active, not closed, and no outcome has been proposed. */
export const acceptsOrders = (m: SimMarket): boolean => m.spec.active && !m.spec.closed && m.umaStatus === '';
/** Closed as Gamma and the CLOB report it: closed in the spec or resolved. */
export const isClosed = (m: SimMarket): boolean => m.spec.closed || m.umaStatus === 'resolved';
/** The winning token of a resolved market; null while open and for a 50-50. */
export const winnerOf = (m: SimMarket): SimToken | null =>
  m.payouts === null ? null : (m.tokens.find((_, i) => m.payouts?.[i] === 1) ?? null);

export interface SimEvent {
  spec: EventSpec;
  markets: SimMarket[];
}

export interface World {
  events: SimEvent[];
  markets: Map<string, SimMarket>;
  tokens: Map<string, SimToken>;
  /** Stable order for pagination and stress updates. */
  tokenList: SimToken[];
  /** The scenario's seeded generator (book ladders of markets listed later draw from it too). */
  random: () => number;
}

function fillBook(book: SimBook, spec: BookSpec, tickSize: number, random: () => number): void {
  const tickPips = toPips(tickSize);
  if (spec.ladder) {
    const { bid, ask, levels, size } = spec.ladder;
    for (let i = 0; i < levels; i++) {
      const jitter = (): number => size * (0.25 + 1.5 * random());
      if (bid !== null) {
        const pips = toPips(bid) - i * tickPips;
        if (pips > 0) book.setScenarioLiquidity('bid', pips, jitter());
      }
      if (ask !== null) {
        const pips = toPips(ask) + i * tickPips;
        if (pips < toPips(1)) book.setScenarioLiquidity('ask', pips, jitter());
      }
    }
  }
  for (const [price, size] of spec.bids) book.setScenarioLiquidity('bid', toPips(price), size);
  for (const [price, size] of spec.asks) book.setScenarioLiquidity('ask', toPips(price), size);
}

export const hex32 = (text: string): string => `0x${createHash('sha256').update(text).digest('hex')}`;
/** A uint256 decimal token id derived from text, like the venue's (76-78 digit) ids. */
export const tokenIdFrom = (text: string): string => BigInt(hex32(text)).toString(10);

function stressEvents(seed: number, count: number, levels: number): EventSpec[] {
  const random = seededRandom(seed ^ 0x5eed);
  const events: EventSpec[] = [];
  const perEvent = 50;
  for (let e = 0; e * perEvent < count; e++) {
    const markets: MarketSpec[] = [];
    for (let i = e * perEvent; i < Math.min(count, (e + 1) * perEvent); i++) {
      const mid = 0.1 + 0.8 * random();
      const bid = Math.round((mid - 0.01) * 100) / 100;
      // Asks of the two tokens sum above 1: stress is about volume, not opportunities.
      const ask = Math.round((mid + 0.01) * 100) / 100;
      const noBid = Math.round((1 - ask - 0.01) * 100) / 100;
      const noAsk = Math.round((1 - bid + 0.01) * 100) / 100;
      markets.push({
        id: String(900000 + i),
        conditionId: hex32(`stress-${seed}-${i}`),
        question: `Stress market #${i}: will outcome ${i} happen?`,
        slug: `stress-market-${i}`,
        tickSize: 0.01,
        minOrderSize: 5,
        feeSchedule: null,
        endDate: '2026-12-31T00:00:00Z',
        active: true,
        closed: false,
        tokens: [
          {
            tokenId: tokenIdFrom(`stress-${seed}-${i}-yes`),
            outcome: 'Yes',
            book: { bids: [], asks: [], ladder: { bid, ask, levels, size: 300 } },
          },
          {
            tokenId: tokenIdFrom(`stress-${seed}-${i}-no`),
            outcome: 'No',
            book: { bids: [], asks: [], ladder: { bid: noBid, ask: noAsk, levels, size: 300 } },
          },
        ],
      });
    }
    events.push({
      id: String(800000 + e),
      slug: `stress-event-${e}`,
      title: `Stress event ${e}`,
      negRisk: false,
      endDate: '2026-12-31T00:00:00Z',
      markets,
    });
  }
  return events;
}

export function buildWorld(scenario: PolymarketScenario): World {
  const random = seededRandom(scenario.seed);
  const specs = [...scenario.events];
  if (scenario.stress) specs.push(...stressEvents(scenario.seed, scenario.stress.markets, scenario.stress.levels));
  const world: World = { events: [], markets: new Map(), tokens: new Map(), tokenList: [], random };
  for (const eventSpec of specs) addEvent(world, eventSpec, null);
  return world;
}

/** Adds an event with its markets (at load time, or at runtime when `listedAtMs` is set). */
export function addEvent(world: World, eventSpec: EventSpec, listedAtMs: number | null): SimEvent {
  if (world.events.some((e) => e.spec.id === eventSpec.id))
    throw new Error(`polymarket scenario: duplicate event id ${eventSpec.id}`);
  const event: SimEvent = { spec: { ...eventSpec, markets: [] }, markets: [] };
  world.events.push(event);
  for (const spec of eventSpec.markets) addMarket(world, event, spec, listedAtMs);
  return event;
}

/** Adds one market (two tokens with their books) to an event. */
export function addMarket(world: World, event: SimEvent, spec: MarketSpec, listedAtMs: number | null): SimMarket {
  if (world.markets.has(spec.conditionId))
    throw new Error(`polymarket scenario: duplicate conditionId ${spec.conditionId}`);
  for (const t of spec.tokens)
    if (world.tokens.has(t.tokenId)) throw new Error(`polymarket scenario: duplicate tokenId ${t.tokenId}`);
  const market = {
    spec,
    event,
    negRisk: event.spec.negRisk,
    feeSchedule: spec.feeSchedule,
    umaStatus: '',
    payouts: null,
    resolvedAtMs: null,
    listedAtMs,
  } as Omit<SimMarket, 'tokens'>;
  const tokens = spec.tokens.map((t) => {
    const book = new SimBook();
    fillBook(book, t.book, spec.tickSize, world.random);
    return { tokenId: t.tokenId, outcome: t.outcome, market: market as SimMarket, book };
  });
  const [yes, no] = tokens;
  if (!yes || !no) throw new Error('polymarket scenario: a market needs two tokens');
  const full: SimMarket = Object.assign(market, { tokens: [yes, no] as [SimToken, SimToken] });
  for (const token of full.tokens) {
    world.tokens.set(token.tokenId, token);
    world.tokenList.push(token);
  }
  world.markets.set(spec.conditionId, full);
  event.markets.push(full);
  event.spec.markets.push(spec);
  return full;
}
