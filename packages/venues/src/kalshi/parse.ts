// Kalshi wire shapes → our types. The SDK's TypeScript types are only claims; every response is parsed with zod here.
// Markets come in two schemas: the 2026 dollar-string one (`yes_bid_dollars`, `*_fp` sizes) and the legacy
// integer-cent one (`yes_bid`, recorded in 2025 fixtures). Both normalise to `KalshiMarket`.
import type { BookLevel, Instrument } from '@polybot/schemas';
import { z } from 'zod';

const Dollars = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .transform(Number);

export interface KalshiMarket {
  ticker: string;
  eventTicker: string;
  title: string;
  yesSubTitle: string;
  status: string;
  closeTime: string | null;
  /** Dollars; null when the side has no quote (Kalshi sends 0 bid / 1.00 ask then). */
  yesBid: number | null;
  yesAsk: number | null;
  noBid: number | null;
  noAsk: number | null;
  lastPrice: number | null;
  /** 'void': the market was voided (money back). */
  result: '' | 'yes' | 'no' | 'scalar' | 'void';
  tickSize: number;
}

const MarketBase = z.object({
  ticker: z.string().min(1),
  event_ticker: z.string().min(1),
  title: z.string().optional().default(''),
  yes_sub_title: z.string().optional().default(''),
  subtitle: z.string().optional().default(''),
  status: z.string(),
  close_time: z.string().nullable().optional(),
  result: z.enum(['', 'yes', 'no', 'scalar', 'void']).optional().default(''),
});

const DollarMarket = MarketBase.extend({
  yes_bid_dollars: Dollars,
  yes_ask_dollars: Dollars,
  no_bid_dollars: Dollars,
  no_ask_dollars: Dollars,
  last_price_dollars: Dollars.optional(),
});

const CentMarket = MarketBase.extend({
  yes_bid: z.number(),
  yes_ask: z.number(),
  no_bid: z.number(),
  no_ask: z.number(),
  last_price: z.number().optional(),
  tick_size: z.number().optional(),
});

const quote = (d: number): number | null => (d > 0 && d < 1 ? d : null);

export function parseMarket(raw: unknown): KalshiMarket {
  const dollar = DollarMarket.safeParse(raw);
  if (dollar.success) {
    const m = dollar.data;
    return {
      ...common(m),
      yesBid: quote(m.yes_bid_dollars),
      yesAsk: quote(m.yes_ask_dollars),
      noBid: quote(m.no_bid_dollars),
      noAsk: quote(m.no_ask_dollars),
      lastPrice: m.last_price_dollars === undefined ? null : quote(m.last_price_dollars),
      tickSize: 0.01,
    };
  }
  const cent = CentMarket.safeParse(raw);
  if (cent.success) {
    const m = cent.data;
    return {
      ...common(m),
      yesBid: quote(m.yes_bid / 100),
      yesAsk: quote(m.yes_ask / 100),
      noBid: quote(m.no_bid / 100),
      noAsk: quote(m.no_ask / 100),
      lastPrice: m.last_price === undefined ? null : quote(m.last_price / 100),
      tickSize: (m.tick_size ?? 1) / 100,
    };
  }
  throw new Error(`unrecognised Kalshi market: ${z.prettifyError(dollar.error)}`);
}

function common(
  m: z.infer<typeof MarketBase>,
): Pick<KalshiMarket, 'ticker' | 'eventTicker' | 'title' | 'yesSubTitle' | 'status' | 'closeTime' | 'result'> {
  return {
    ticker: m.ticker,
    eventTicker: m.event_ticker,
    title: m.title,
    yesSubTitle: m.yes_sub_title || m.subtitle,
    status: m.status,
    closeTime: m.close_time ?? null,
    result: m.result,
  };
}

export const MarketsPageSchema = z.object({ markets: z.array(z.unknown()), cursor: z.string().nullish() });

export const EventSchema = z.object({
  event_ticker: z.string().min(1),
  series_ticker: z.string(),
  title: z.string(),
  mutually_exclusive: z.boolean(),
  markets: z.array(z.unknown()).nullish(),
});
export type KalshiEvent = z.infer<typeof EventSchema>;
export const EventsPageSchema = z.object({ events: z.array(EventSchema), cursor: z.string().nullish() });

/** Kalshi `orderbook_fp`: bids only, `[price_dollars, count_fp]` pairs, either side may be null/absent when empty. */
const Level = z.tuple([Dollars, Dollars]);
export const OrderbookSchema = z.object({
  orderbook_fp: z.object({ yes_dollars: z.array(Level).nullish(), no_dollars: z.array(Level).nullish() }),
});

export interface BidsOnly {
  yes: Map<number, number>;
  no: Map<number, number>;
}

export function bidsFromLevels(
  yes: ReadonlyArray<readonly [number, number]>,
  no: ReadonlyArray<readonly [number, number]>,
): BidsOnly {
  const toMap = (ls: ReadonlyArray<readonly [number, number]>): Map<number, number> => {
    const m = new Map<number, number>();
    for (const [p, s] of ls) if (s > 0) m.set(roundPrice(p), s);
    return m;
  };
  return { yes: toMap(yes), no: toMap(no) };
}

/** Four decimals: Kalshi's price grid is at most sub-cent; this removes 1 − p float noise. */
export const roundPrice = (p: number): number => Math.round(p * 10_000) / 10_000;

/**
 * One side of a Kalshi market as its own book: bids are that side's bids, asks are the other side's bids seen from
 * here (a NO bid at q is a YES ask at 1 − q). Best first.
 */
export function sideBook(bids: BidsOnly, side: 'yes' | 'no'): { bids: BookLevel[]; asks: BookLevel[] } {
  const own = side === 'yes' ? bids.yes : bids.no;
  const other = side === 'yes' ? bids.no : bids.yes;
  return {
    bids: [...own.entries()].map(([price, size]) => ({ price, size })).sort((a, b) => b.price - a.price),
    asks: [...other.entries()]
      .map(([p, size]) => ({ price: roundPrice(1 - p), size }))
      .sort((a, b) => a.price - b.price),
  };
}

export function instrumentsOf(
  market: KalshiMarket,
  event: Pick<KalshiEvent, 'event_ticker' | 'mutually_exclusive' | 'title'> | null,
): Instrument[] {
  const yesId = `${market.ticker}:yes`;
  const noId = `${market.ticker}:no`;
  const base = {
    venue: 'kalshi' as const,
    marketId: market.ticker,
    eventId: event?.event_ticker ?? market.eventTicker,
    title: market.title,
    mutuallyExclusive: event?.mutually_exclusive ?? false,
    tickSize: market.tickSize,
    minOrderSize: 1,
    closeTime: market.closeTime,
    active: market.status === 'active' || market.status === 'open',
  };
  return [
    { ...base, instrumentId: yesId, side: 'yes', complementId: noId, outcome: market.yesSubTitle || 'Yes' },
    {
      ...base,
      instrumentId: noId,
      side: 'no',
      complementId: yesId,
      outcome: market.yesSubTitle ? `Not ${market.yesSubTitle}` : 'No',
    },
  ];
}

/** `TICKER:yes` → ['TICKER', 'yes']; tickers themselves never contain ':'. */
export function splitInstrumentId(instrumentId: string): { ticker: string; side: 'yes' | 'no' } {
  const idx = instrumentId.lastIndexOf(':');
  const side = instrumentId.slice(idx + 1);
  if (idx <= 0 || (side !== 'yes' && side !== 'no')) throw new Error(`not a Kalshi instrument id: ${instrumentId}`);
  return { ticker: instrumentId.slice(0, idx), side };
}
