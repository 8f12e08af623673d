// Kalshi's taker fee, kept in one place because it is not confirmed from an official page (VENUES.md):
// fee = ceil_to_cent(rate × C × P × (1 − P)), rate 0.07 unless the series says otherwise. Charged once per order
// over all the levels it took, which is how Kalshi rounds (one rounding per trade, not per level).
// Integer arithmetic: prices in cents, counts in hundredths of a contract, rate in basis points.

export const DEFAULT_TAKER_FEE_BPS = 700;

export interface FeeLeg {
  priceCents: number;
  countHundredths: number;
}

export function takerFeeCents(legs: readonly FeeLeg[], rateBps: number = DEFAULT_TAKER_FEE_BPS): number {
  let numerator = 0;
  for (const leg of legs) numerator += rateBps * leg.countHundredths * leg.priceCents * (100 - leg.priceCents);
  // fee¢ = bps/1e4 × cc/100 × p/100 × (100−p)/100 × 100  =  bps·cc·p·(100−p) / 1e8
  return Math.floor((numerator + 1e8 - 1) / 1e8);
}
