// The generated parts of the `live` scenario: identities of the rotating markets (the k-th Polymarket binary, the k-th
// Kalshi temperature event), the venues' initial scenario objects (fixed linked markets + the first rotating ones,
// books left empty for the driver to draw), and the news items of the whole horizon. Pure functions of the config,
// the seed and the start time, so two loads with the same seed build the same world.
import type { ScenarioEvent } from '../kalshi/scenario.ts';
import type { NewsScenarioItem } from '../news.ts';
import type { EventSpec, MarketSpec } from '../polymarket/scenario-schema.ts';
import { hex32, tokenIdFrom } from '../polymarket/world.ts';
import { seededRandom } from '../seeded-random.ts';
import { LIVE, type LiveConfig } from './config.ts';

/** A seeded generator of its own for one purpose and index: identities never depend on the order things happen. */
export const streamFor = (seed: number, purpose: number, index: number): (() => number) =>
  seededRandom((seed ^ Math.imul(purpose, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);

export const pick = <T>(random: () => number, list: readonly T[]): T => {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('live scenario: pick from an empty list');
  return item;
};

const iso = (ms: number): string => new Date(ms).toISOString();

export interface RotatingPolymarket {
  k: number;
  eventSpec: EventSpec;
  conditionId: string;
  yesTokenId: string;
  noTokenId: string;
  /** Starting YES price, cents. */
  fair: number;
}

/** The k-th rotating Polymarket binary: "Will <subject> be above <strike> at the close of round k?". */
export function rotatingPolymarket(config: LiveConfig, k: number, endMs: number): RotatingPolymarket {
  const random = streamFor(config.seed, 1, k);
  const subject = pick(random, config.subjects);
  const fair = 30 + Math.floor(random() * 41);
  const offset = Math.round((0.5 - fair / 100) * 8);
  const strike = Math.round((subject.price + offset * subject.step) * 1e4) / 1e4;
  const name = `live-${config.seed}-pm-${k}`;
  const conditionId = hex32(name);
  const yesTokenId = tokenIdFrom(`${name}-yes`);
  const noTokenId = tokenIdFrom(`${name}-no`);
  const market: MarketSpec = {
    id: String(720_000 + k),
    conditionId,
    question: `Will ${subject.name} be above ${strike.toLocaleString('en-US')} at the close of round ${k}?`,
    slug: `${subject.symbol.toLowerCase()}-above-${String(strike).replace('.', '-')}-round-${k}`,
    tickSize: 0.01,
    minOrderSize: 5,
    feeSchedule: null,
    endDate: iso(endMs),
    active: true,
    closed: false,
    tokens: [
      { tokenId: yesTokenId, outcome: 'Yes', book: { bids: [], asks: [] } },
      { tokenId: noTokenId, outcome: 'No', book: { bids: [], asks: [] } },
    ],
  };
  const eventSpec: EventSpec = {
    id: String(620_000 + k),
    slug: `${subject.symbol.toLowerCase()}-round-${k}`,
    title: `${subject.name} at the close of round ${k}`,
    negRisk: false,
    endDate: iso(endMs),
    markets: [market],
  };
  return { k, eventSpec, conditionId, yesTokenId, noTokenId, fair };
}

export interface RotatingKalshi {
  k: number;
  event: ScenarioEvent;
  tickers: string[];
  /** Starting YES prices of the buckets, cents, summing to 100. */
  fairs: number[];
}

/** The k-th rotating Kalshi event: today's high in a city, three mutually exclusive buckets. */
export function rotatingKalshi(config: LiveConfig, k: number, closeMs: number): RotatingKalshi {
  const random = streamFor(config.seed, 2, k);
  const city = pick(random, config.cities);
  const low = city.base + Math.floor(random() * 5) - 2;
  const eventTicker = `KXLIVEHIGH${city.code}-R${k}`;
  const a = 20 + Math.floor(random() * 21);
  const b = 20 + Math.floor(random() * 21);
  const fairs = [a, b, 100 - a - b];
  const labels = [`${low - 1}° or below`, `${low}° to ${low + 3}°`, `${low + 4}° or above`];
  const markets = labels.map((label, i) => ({
    ticker: `${eventTicker}-B${i + 1}`,
    title: `Highest temperature in ${city.name} in round ${k}: ${label}?`,
    yes_sub_title: label,
    close_time: iso(closeMs),
    rules_primary: `Resolves Yes if the highest temperature recorded in ${city.name} in round ${k} is ${label}.`,
    volume: 0,
    book: { yes: [] as [string, string][], no: [] as [string, string][] },
  }));
  return {
    k,
    event: {
      event_ticker: eventTicker,
      series_ticker: 'KXLIVEHIGH',
      title: `Highest temperature in ${city.name}, round ${k}`,
      sub_title: `Round ${k}`,
      category: 'Climate and Weather',
      mutually_exclusive: true,
      markets,
    },
    tickers: markets.map((m) => m.ticker),
    fairs,
  };
}

/** When the i-th rotating market of the initial set ends (staggered so resolutions come at a steady rate). */
export const initialPolymarketEnd = (i: number): number => LIVE.PM_FIRST_END_MS + i * LIVE.PM_STAGGER_MS;
export const initialKalshiEnd = (i: number): number => LIVE.KALSHI_FIRST_END_MS + i * LIVE.KALSHI_STAGGER_MS;

function linkedPolymarketEvent(config: LiveConfig, startMs: number): EventSpec[] {
  return config.linked.map((l) => ({
    id: l.polymarket.eventId,
    slug: l.polymarket.slug,
    title: l.polymarket.question,
    negRisk: false,
    endDate: iso(startMs + config.linkedLifetimeMs),
    markets: [
      {
        id: l.polymarket.marketId,
        conditionId: l.polymarket.conditionId,
        question: l.polymarket.question,
        slug: l.polymarket.slug,
        tickSize: 0.01,
        minOrderSize: 5,
        feeSchedule: null,
        endDate: iso(startMs + config.linkedLifetimeMs),
        active: true,
        closed: false,
        tokens: [
          { tokenId: l.polymarket.yesTokenId, outcome: 'Yes', book: { bids: [], asks: [] } },
          { tokenId: l.polymarket.noTokenId, outcome: 'No', book: { bids: [], asks: [] } },
        ],
      },
    ],
  }));
}

function linkedKalshiEvents(config: LiveConfig, startMs: number): ScenarioEvent[] {
  return config.linked.map((l) => ({
    event_ticker: l.kalshi.eventTicker,
    series_ticker: l.kalshi.series,
    title: l.kalshi.title,
    sub_title: '',
    category: 'Economics',
    mutually_exclusive: false,
    markets: [
      {
        ticker: l.kalshi.ticker,
        title: l.kalshi.title,
        yes_sub_title: l.kalshi.subTitle,
        close_time: iso(startMs + config.linkedLifetimeMs),
        rules_primary: l.kalshi.title,
        volume: 0,
        book: { yes: [], no: [] },
      },
    ],
  }));
}

/** News items for the whole horizon: headlines from live.json, one every NEWS_EVERY_MS on average. */
export function liveNewsItems(config: LiveConfig): NewsScenarioItem[] {
  const random = streamFor(config.seed, 3, 0);
  const items: NewsScenarioItem[] = [];
  if (config.news.length === 0) return items;
  for (let at = 5_000, n = 0; at < LIVE.NEWS_HORIZON_MS; n++) {
    const source = pick(random, config.news);
    const headline = pick(random, source.headlines);
    items.push({
      id: `live-${source.feed}-${n}`,
      feed: source.feed,
      headline,
      body: `${headline}. (Simulated ${source.feed} item ${n}.)`,
      atMs: at,
    });
    at += Math.round(LIVE.NEWS_EVERY_MS * (0.5 + random()));
  }
  return items;
}

/** The venues' scenario objects for a live world starting at `startMs` (what the venue modules parse). */
export function liveVenueScenarios(
  config: LiveConfig,
  startMs: number,
): { polymarket: unknown; kalshi: unknown; news: unknown } {
  const pmRotating = Array.from(
    { length: LIVE.PM_CONCURRENT },
    (_, i) => rotatingPolymarket(config, i, startMs + initialPolymarketEnd(i)).eventSpec,
  );
  const kalshiRotating = Array.from(
    { length: LIVE.KALSHI_CONCURRENT },
    (_, i) => rotatingKalshi(config, i, startMs + initialKalshiEnd(i)).event,
  );
  return {
    polymarket: {
      seed: config.seed,
      defaultBalance: config.defaultBalance,
      events: [...linkedPolymarketEvent(config, startMs), ...pmRotating],
    },
    kalshi: {
      description: 'Generated by the live scenario (src/venue-sim/live)',
      series: [{ ticker: 'KXLIVEHIGH', taker_fee_rate: 0.07 }],
      events: [...linkedKalshiEvents(config, startMs), ...kalshiRotating],
    },
    news: {
      note: 'Generated by the live scenario from live.json `news`',
      items: liveNewsItems(config),
    },
  };
}
