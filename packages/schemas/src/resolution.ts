// How a market ended, as the platform records it (public.polybot_market_resolutions, settled by
// public.settle_market) — and the venue-specific rules that turn a venue's resolution into payouts per contract.
// The manager's market watcher builds a MarketResolution from the venue's own fields with payoutsFromPolymarket /
// payoutsFromKalshi; the settlement rule that uses it lives in the migration 20261205000100_settlement.sql and is
// mirrored for recomputation in pnl.ts. supabase/tests/enums.test.ts keeps the enums here equal to the SQL CHECKs.
import { z } from 'zod';
import { VenueIdSchema } from './market.ts';

/** resolved: paid by `payouts`; voided: every position is paid back its average entry price (money back, fees lost). */
export const ResolutionStatusSchema = z.enum(['resolved', 'voided']);
export type ResolutionStatus = z.infer<typeof ResolutionStatusSchema>;

/** venue: seen by the market watcher; admin: entered by hand. */
export const ResolutionSourceSchema = z.enum(['venue', 'admin']);
export type ResolutionSource = z.infer<typeof ResolutionSourceSchema>;

/** What a settlement did: won (payout 1), lost (0), split (between, e.g. a 50-50), voided. */
export const SettlementRuleSchema = z.enum(['won', 'lost', 'split', 'voided']);
export type SettlementRule = z.infer<typeof SettlementRuleSchema>;

/** Live Polymarket winnings must be redeemed on chain; everything else has nothing to collect. */
export const RedeemStatusSchema = z.enum(['not_applicable', 'redeemable', 'redeemed']);
export type RedeemStatus = z.infer<typeof RedeemStatusSchema>;

/** Why a position closed (polybot_positions.close_reason). */
export const CloseReasonSchema = z.enum(['sold', 'settled']);
export type CloseReason = z.infer<typeof CloseReasonSchema>;

/** Payout per contract in USD, by instrument id (Polymarket token id / Kalshi `ticker:yes|no`). */
export const PayoutsSchema = z.record(z.string().min(1).max(200), z.number().min(0).max(1));
export type Payouts = z.infer<typeof PayoutsSchema>;

export const MarketResolutionSchema = z
  .object({
    platform: VenueIdSchema,
    marketId: z.string().min(1).max(200),
    status: ResolutionStatusSchema,
    payouts: PayoutsSchema,
    winningOutcome: z.string().min(1).max(200).nullable(),
    resolvedAt: z.coerce.date(),
    source: ResolutionSourceSchema,
  })
  .refine((r) => r.status === 'voided' || Object.keys(r.payouts).length > 0, {
    message: 'a resolved market needs a payout per instrument',
    path: ['payouts'],
  });
export type MarketResolution = z.infer<typeof MarketResolutionSchema>;

function jsonList(value: string | readonly (string | number)[], what: string): string[] {
  const list: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(list)) throw new Error(`${what}: expected a list, got ${JSON.stringify(value)}`);
  return list.map((v) => String(v));
}

/**
 * Polymarket payouts from Gamma's `outcomePrices` (a JSON string like `["1","0"]`, or the list) and the market's
 * token ids in the same order (Gamma `clobTokenIds`, a JSON string or the list). Only final prices are accepted:
 * each 0 or 1 with exactly one winner, or 0.5 each (a 50-50: Polymarket has no voided market, it splits the
 * collateral). Anything else (a live market's prices) throws: it is not a resolution.
 */
export function payoutsFromPolymarket(
  outcomePrices: string | readonly (string | number)[],
  tokens: string | readonly string[],
): Payouts {
  const prices = jsonList(outcomePrices, 'outcomePrices').map(Number);
  const ids = jsonList(tokens, 'tokens');
  if (prices.length !== ids.length || prices.length < 2) {
    throw new Error(`payoutsFromPolymarket: ${prices.length} prices for ${ids.length} tokens`);
  }
  const winnerTakesAll = prices.every((p) => p === 0 || p === 1) && prices.filter((p) => p === 1).length === 1;
  const split = prices.length === 2 && prices.every((p) => p === 0.5);
  if (!winnerTakesAll && !split) {
    throw new Error(`payoutsFromPolymarket: ${JSON.stringify(prices)} are not final prices (1/0 or 0.5/0.5)`);
  }
  return PayoutsSchema.parse(Object.fromEntries(ids.map((id, i) => [id, prices[i]])));
}

/**
 * Kalshi payouts for a binary market `ticker` (instruments `ticker:yes` and `ticker:no`) from its `result` and
 * `settlement_value` (cents paid per YES contract, when the venue gives one):
 *   result "void"                   → voided (each position paid back its average entry price);
 *   a settlement value v (0..100)   → YES pays v/100, NO pays 1 − v/100 (this covers scalar and partial outcomes);
 *   result "yes" / "no" without one → the winner pays 1, the loser 0;
 *   anything else ("" = not determined yet) throws.
 */
export function payoutsFromKalshi(
  result: string,
  settlementValue: number | null | undefined,
  ticker: string,
): { status: ResolutionStatus; payouts: Payouts } {
  if (result === 'void') return { status: 'voided', payouts: {} };
  let yes: number;
  if (typeof settlementValue === 'number' && Number.isFinite(settlementValue)) {
    if (settlementValue < 0 || settlementValue > 100) {
      throw new Error(`payoutsFromKalshi: settlement value ${settlementValue} is not 0..100 cents`);
    }
    yes = Math.round(settlementValue) / 100;
  } else if (result === 'yes' || result === 'no') {
    yes = result === 'yes' ? 1 : 0;
  } else {
    throw new Error(`payoutsFromKalshi: ${ticker} is not determined (result ${JSON.stringify(result)})`);
  }
  // 1 − yes in cents, so 0.37 gives 0.63 exactly.
  const no = (100 - Math.round(yes * 100)) / 100;
  return { status: 'resolved', payouts: PayoutsSchema.parse({ [`${ticker}:yes`]: yes, [`${ticker}:no`]: no }) };
}
