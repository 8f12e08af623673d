// Kalshi market lifecycle, read through the SDK: where each market stands (status `active` → `closed` → `determined`
// → `settled`/`finalized`, `result`, `settlement_value`), and a member's settlements (`GET /portfolio/settlements`,
// the live reconciliation). Every response is parsed with zod here; the SDK's types are only claims.
import { z } from 'zod';
import type { KalshiClient } from './client.ts';
import { MarketsPageSchema } from './parse.ts';

/** Statuses after which the outcome is known (Kalshi: `determined`, then `settled`/`finalized`; `amended` corrects it). */
const DECIDED = new Set(['determined', 'settled', 'finalized', 'amended']);

const CentsOrDollars = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

const MarketStateWire = z
  .object({
    ticker: z.string().min(1),
    status: z.string(),
    result: z.string().optional().default(''),
    /** Legacy integer cents for YES. */
    settlement_value: z.number().nullish(),
    /** 2026 schema: dollars for YES, as a decimal string. */
    settlement_value_dollars: CentsOrDollars.nullish(),
    settlement_ts: z.string().nullish(),
    close_time: z.string().nullish(),
  })
  .loose();

export interface KalshiMarketState {
  ticker: string;
  status: string;
  /** '' until determined; 'yes' | 'no' | 'void' | 'scalar' after. */
  result: string;
  /** What one YES contract pays, in cents (0–100); null until determined. */
  settlementValueCents: number | null;
  settledAt: string | null;
  /** The outcome is known: determined (or later) with a result. */
  decided: boolean;
  /** No new orders: anything but `active`/`open`. */
  closed: boolean;
}

export function parseMarketState(raw: unknown): KalshiMarketState {
  const m = MarketStateWire.parse(raw);
  const cents =
    m.settlement_value_dollars !== null && m.settlement_value_dollars !== undefined
      ? Math.round(m.settlement_value_dollars * 100)
      : (m.settlement_value ?? null);
  return {
    ticker: m.ticker,
    status: m.status,
    result: m.result,
    settlementValueCents: cents,
    settledAt: m.settlement_ts ?? null,
    decided: DECIDED.has(m.status) && m.result !== '',
    closed: m.status !== 'active' && m.status !== 'open',
  };
}

/** Where these markets stand now (`GET /markets?tickers=…`, 100 tickers per request, cursor-paginated). */
export async function kalshiMarketStates(
  client: KalshiClient,
  tickers: readonly string[],
): Promise<KalshiMarketState[]> {
  const out: KalshiMarketState[] = [];
  for (let i = 0; i < tickers.length; i += 100) {
    const chunk = tickers.slice(i, i + 100).join(',');
    let cursor: string | undefined;
    do {
      const raw = await client.read(() =>
        client.market.getMarkets(
          200,
          cursor,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          chunk,
        ),
      );
      const page = MarketsPageSchema.parse(raw);
      out.push(...page.markets.map(parseMarketState));
      cursor = page.cursor || undefined;
    } while (cursor);
  }
  return out;
}

const SettlementWire = z
  .object({
    ticker: z.string().min(1),
    market_result: z.string(),
    yes_count_fp: CentsOrDollars.optional(),
    no_count_fp: CentsOrDollars.optional(),
    yes_count: z.number().optional(),
    no_count: z.number().optional(),
    /** Cents paid into the balance. */
    revenue: z.number(),
    settled_time: z.string(),
  })
  .loose();
const SettlementsPage = z.object({ settlements: z.array(SettlementWire), cursor: z.string().nullish() });

export interface KalshiSettlement {
  ticker: string;
  marketResult: string;
  yesCount: number;
  noCount: number;
  /** Dollars paid into the member's balance. */
  revenueUsd: number;
  settledTime: string;
}

/** The member's settlements (their own key): every page, or only `ticker`'s. */
export async function kalshiSettlements(client: KalshiClient, ticker?: string): Promise<KalshiSettlement[]> {
  const out: KalshiSettlement[] = [];
  let cursor: string | undefined;
  do {
    const raw = await client.read(() => client.portfolio.getSettlements(200, cursor, ticker));
    const page = SettlementsPage.parse(raw);
    for (const s of page.settlements)
      out.push({
        ticker: s.ticker,
        marketResult: s.market_result,
        yesCount: s.yes_count_fp ?? s.yes_count ?? 0,
        noCount: s.no_count_fp ?? s.no_count ?? 0,
        revenueUsd: s.revenue / 100,
        settledTime: s.settled_time,
      });
    cursor = page.cursor || undefined;
  } while (cursor);
  return out;
}
