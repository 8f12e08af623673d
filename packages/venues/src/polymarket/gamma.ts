// Gamma discovery: markets with JSON-encoded string fields (`outcomes`, `clobTokenIds`, ...) decoded with zod,
// each binary market becoming two instruments (one per outcome token). Neg-risk markets carry their event id,
// so a neg-risk event's markets group into one mutually exclusive set.
import { PolymarketGammaFeeScheduleSchema, type Instrument, type PolymarketGammaFeeSchedule } from '@polybot/schemas';
import { z } from 'zod';
import { NumberLike } from './wire.ts';

/** A JSON-encoded array of strings, e.g. `"[\"Yes\", \"No\"]"`. */
const JsonStringArray = z.string().transform((text, ctx) => {
  try {
    const parsed = z.array(z.string()).safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the issue below
  }
  ctx.addIssue({ code: 'custom', message: `expected a JSON-encoded string array, got ${text.slice(0, 40)}` });
  return z.NEVER;
});

export const GammaMarketSchema = z
  .object({
    id: z.string(),
    question: z.string(),
    conditionId: z.string(),
    slug: z.string(),
    endDate: z.string().nullish(),
    active: z.boolean().default(true),
    closed: z.boolean().default(false),
    acceptingOrders: z.boolean().nullish(),
    enableOrderBook: z.boolean().nullish(),
    outcomes: JsonStringArray.nullish(),
    clobTokenIds: JsonStringArray.nullish(),
    groupItemTitle: z.string().nullish(),
    negRisk: z.boolean().nullish(),
    orderPriceMinTickSize: NumberLike.nullish(),
    orderMinSize: NumberLike.nullish(),
    feeSchedule: PolymarketGammaFeeScheduleSchema.nullish(),
    events: z.array(z.object({ id: z.string(), negRisk: z.boolean().nullish() }).loose()).nullish(),
  })
  .loose();
export type GammaMarket = z.infer<typeof GammaMarketSchema>;

export const GammaEventSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    negRisk: z.boolean().nullish(),
    markets: z.array(GammaMarketSchema).default([]),
  })
  .loose();
export type GammaEvent = z.infer<typeof GammaEventSchema>;

export interface MarketMeta {
  conditionId: string;
  negRisk: boolean;
  feeSchedule: PolymarketGammaFeeSchedule | null;
}

/**
 * Two instruments per tradeable binary market; markets without an order book or token ids (archived, not yet
 * deployed) yield none. `eventId` falls back to the enclosing event when the market is listed inside one.
 */
export function instrumentsOf(market: GammaMarket, enclosingEventId: string | null = null): Instrument[] {
  const tokens = market.clobTokenIds ?? [];
  const outcomes = market.outcomes ?? [];
  const [yes, no] = tokens;
  if (!market.conditionId || tokens.length !== 2 || !yes || !no || market.enableOrderBook === false) return [];
  const eventId = market.events?.[0]?.id ?? enclosingEventId;
  const negRisk = market.negRisk === true;
  const active = market.active && !market.closed && market.acceptingOrders !== false;
  return tokens.map((tokenId, i): Instrument => ({
    venue: 'polymarket',
    instrumentId: tokenId,
    marketId: market.conditionId,
    eventId: eventId ?? null,
    side: i === 0 ? 'yes' : 'no',
    complementId: i === 0 ? no : yes,
    title: market.groupItemTitle ? `${market.question} (${market.groupItemTitle})` : market.question,
    outcome: outcomes[i] ?? (i === 0 ? 'Yes' : 'No'),
    mutuallyExclusive: negRisk,
    tickSize: market.orderPriceMinTickSize ?? 0.01,
    minOrderSize: market.orderMinSize ?? 0,
    closeTime: market.endDate ?? null,
    active,
  }));
}

export function metaOf(market: GammaMarket): MarketMeta {
  return { conditionId: market.conditionId, negRisk: market.negRisk === true, feeSchedule: market.feeSchedule ?? null };
}

/** Parses one page of `GET /markets`; a market that fails validation is reported, not silently dropped. */
export function parseMarketsPage(body: unknown): {
  markets: GammaMarket[];
  invalid: { index: number; error: string }[];
} {
  const list = z.array(z.unknown()).parse(body);
  const markets: GammaMarket[] = [];
  const invalid: { index: number; error: string }[] = [];
  list.forEach((raw, index) => {
    const parsed = GammaMarketSchema.safeParse(raw);
    if (parsed.success) markets.push(parsed.data);
    else invalid.push({ index, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  });
  return { markets, invalid };
}

/** Neg-risk events: event id → the YES instruments of its markets (mutually exclusive and exhaustive). */
export function negRiskGroups(instruments: readonly Instrument[]): Map<string, Instrument[]> {
  const groups = new Map<string, Instrument[]>();
  for (const i of instruments) {
    if (!i.mutuallyExclusive || i.side !== 'yes' || i.eventId === null) continue;
    const list = groups.get(i.eventId) ?? [];
    list.push(i);
    groups.set(i.eventId, list);
  }
  return groups;
}
