// Venue fee models: the one place that knows how much a fill costs in fees. Strategies price opportunities with it,
// paper execution charges it, so an opportunity's reported profit and its paper P&L agree to the cent.
//
// Polymarket (source: docs.polymarket.com/trading/fees, as implemented by nautilus_trader's Polymarket adapter;
// see also docs/WIRE-CONTRACTS.md): only takers pay, `fee = C × rate × (p × (1 − p))^exponent` in pUSD, floored to
// 5 decimals, where `rate` and `exponent` come from the market's Gamma `feeSchedule`
// (`{rate, exponent, takerOnly, rebateRate}`; the Fed-decision markets in the fixtures carry rate 0.05, exponent 1).
// A market without a schedule charges nothing. Makers pay nothing (the rebate goes to makers, it is not charged).
//
// Kalshi: taker `ceil(0.07 × C × P × (1 − P))` rounded UP to the cent; some series also charge makers with
// coefficient 0.0175; the fee type is set per series (quadratic / quadratic_with_maker_fees / flat).
// NOT confirmed from an official Kalshi page here (it is the commonly cited schedule): that is why every coefficient
// is data in a `FeeSchedule`, overridable per series and per market through `resolveFeeSchedule`.
import { z } from 'zod';
import type { VenueId } from './market.ts';

export const LiquiditySchema = z.enum(['taker', 'maker']);
export type Liquidity = z.infer<typeof LiquiditySchema>;

/** Polymarket Gamma `feeSchedule` object as the venue sends it. */
export const PolymarketGammaFeeScheduleSchema = z.object({
  rate: z.number().nonnegative(),
  exponent: z.number().nonnegative(),
  takerOnly: z.boolean().default(true),
  rebateRate: z.number().nonnegative().default(0),
});
export type PolymarketGammaFeeSchedule = z.infer<typeof PolymarketGammaFeeScheduleSchema>;

export const FeeScheduleSchema = z.discriminatedUnion('type', [
  /** No fees at all (Polymarket markets without a feeSchedule). */
  z.object({ type: z.literal('none') }),
  z.object({
    type: z.literal('polymarket'),
    rate: z.number().nonnegative(),
    exponent: z.number().nonnegative(),
    /** Informational: Polymarket schedules are taker-only today; a maker is charged nothing either way. */
    takerOnly: z.boolean().default(true),
    rebateRate: z.number().nonnegative().default(0),
  }),
  /** Kalshi: taker pays ceil(takerRate × C × P × (1 − P)) to the cent; makers pay nothing. */
  z.object({ type: z.literal('quadratic'), takerRate: z.number().nonnegative().default(0.07) }),
  /** Kalshi: as `quadratic`, plus makers pay ceil(makerRate × C × P × (1 − P)). */
  z.object({
    type: z.literal('quadratic_with_maker_fees'),
    takerRate: z.number().nonnegative().default(0.07),
    makerRate: z.number().nonnegative().default(0.0175),
  }),
  /** Kalshi: a fixed amount per contract, rounded up to the cent per fill. */
  z.object({
    type: z.literal('flat'),
    takerPerContract: z.number().nonnegative(),
    makerPerContract: z.number().nonnegative().default(0),
  }),
]);
export type FeeSchedule = z.infer<typeof FeeScheduleSchema>;

export const NO_FEES: FeeSchedule = { type: 'none' };
export const KALSHI_DEFAULT_FEES: FeeSchedule = { type: 'quadratic', takerRate: 0.07 };

/** Where a schedule comes from when nothing more specific is configured. */
export const FeeConfigSchema = z.object({
  /** Kalshi schedule for series without an override. */
  kalshiDefault: FeeScheduleSchema.default(KALSHI_DEFAULT_FEES),
  /** Kalshi overrides by series ticker (e.g. `KXELONTWEETS`). */
  kalshiSeries: z.record(z.string(), FeeScheduleSchema).default({}),
  /** Overrides by `${venue}:${marketId}` (Polymarket conditionId / Kalshi market ticker); beat everything else. */
  markets: z.record(z.string(), FeeScheduleSchema).default({}),
});
export type FeeConfig = z.infer<typeof FeeConfigSchema>;

export interface FeeLookupKey {
  venue: VenueId;
  marketId: string;
  /** Kalshi series ticker; derived from the event ticker when absent (see `kalshiSeriesOf`). */
  seriesId?: string | null;
  eventId?: string | null;
  /** Polymarket: the market's Gamma `feeSchedule`, or null/undefined when it has none. */
  polymarketSchedule?: PolymarketGammaFeeSchedule | null;
  /** Polymarket: Gamma `feesEnabled`; an explicit false means no fees whatever the schedule says. */
  feesEnabled?: boolean | null;
}

/** Kalshi event tickers are `<SERIES>-<suffix>` (e.g. `KXELONTWEETS-25APR11`). */
export function kalshiSeriesOf(eventOrMarketTicker: string): string {
  const dash = eventOrMarketTicker.indexOf('-');
  return dash === -1 ? eventOrMarketTicker : eventOrMarketTicker.slice(0, dash);
}

/** Most specific wins: market override, then (Kalshi) series override, then the venue's own default. */
export function resolveFeeSchedule(key: FeeLookupKey, config: FeeConfig = FeeConfigSchema.parse({})): FeeSchedule {
  const marketOverride = config.markets[`${key.venue}:${key.marketId}`];
  if (marketOverride) return marketOverride;
  if (key.venue === 'polymarket') {
    const s = key.feesEnabled === false ? null : key.polymarketSchedule;
    return s
      ? { type: 'polymarket', rate: s.rate, exponent: s.exponent, takerOnly: s.takerOnly, rebateRate: s.rebateRate }
      : NO_FEES;
  }
  const series = key.seriesId ?? kalshiSeriesOf(key.eventId ?? key.marketId);
  return config.kalshiSeries[series] ?? config.kalshiDefault;
}

// Binary floating point turns 1.218 into 1.2179999999999997; a floor/ceil on that would be off by one unit.
// Nudging by 1e-9 of a unit before rounding absorbs representation error without changing any real amount.
const EPS = 1e-9;
const floorTo = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.floor(x * f + EPS) / f;
};
const ceilTo = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.ceil(x * f - EPS) / f;
};

/**
 * Unrounded fee per contract at `price`: the slope strategies use to find the best size before computing exact,
 * rounded fees with `fee`.
 */
export function feePerContract(schedule: FeeSchedule, price: number, liquidity: Liquidity = 'taker'): number {
  const q = price * (1 - price);
  switch (schedule.type) {
    case 'none':
      return 0;
    case 'polymarket':
      return liquidity === 'taker' ? schedule.rate * q ** schedule.exponent : 0;
    case 'quadratic':
      return liquidity === 'taker' ? schedule.takerRate * q : 0;
    case 'quadratic_with_maker_fees':
      return (liquidity === 'taker' ? schedule.takerRate : schedule.makerRate) * q;
    case 'flat':
      return liquidity === 'taker' ? schedule.takerPerContract : schedule.makerPerContract;
  }
}

/** Fee in dollars for one fill of `contracts` at `price`, rounded the way the venue rounds it. */
export function fee(schedule: FeeSchedule, contracts: number, price: number, liquidity: Liquidity = 'taker'): number {
  if (contracts <= 0) return 0;
  const raw = contracts * feePerContract(schedule, price, liquidity);
  if (raw === 0) return 0;
  // Polymarket floors to 5 decimals (pUSD has 6; the operator's computation keeps 5). Kalshi rounds up to the cent.
  return schedule.type === 'polymarket' ? floorTo(raw, 5) : ceilTo(raw, 2);
}
