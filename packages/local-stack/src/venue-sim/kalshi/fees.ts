// Kalshi's taker fee for one fill: ceil_to_cent(rate × C × P × (1 − P)), rate 0.07 unless the series says otherwise.
// Not confirmed from an official Kalshi page (docs/WIRE-CONTRACTS.md). Rounded per fill (per price level taken), the same way
// @polybot/schemas' `fee()` prices it for strategies and paper trading, so the simulator's charges and the bot's
// expected profit agree to the cent. Deliberately a second, independent implementation (integer arithmetic, not
// @polybot/schemas' fee models, which are production's one home): the simulator stands in for the venue and must
// charge what the venue charges, so a mistake in our fee model shows up as a mismatch instead of agreeing with itself.
// Units: price in cents, count in hundredths of a contract, rate in basis points.

export const DEFAULT_TAKER_FEE_BPS = 700;

export function takerFeeCents(
  priceCents: number,
  countHundredths: number,
  rateBps: number = DEFAULT_TAKER_FEE_BPS,
): number {
  // fee¢ = bps/1e4 × cc/100 × p/100 × (100−p)/100 × 100  =  bps·cc·p·(100−p) / 1e8, rounded up
  const numerator = rateBps * countHundredths * priceCents * (100 - priceCents);
  return Math.floor((numerator + 1e8 - 1) / 1e8);
}
