// What a live Polymarket user must do to collect winnings: Polymarket pays a resolved market only when its winning
// shares are redeemed (on chain, with the wallet that holds them), and the platform never holds that wallet's
// authority to do it for them — the official CLOB client (clob-client-v2) places orders but does not redeem. So a
// settlement of a live Polymarket position with a payout is recorded as `redeemable` with its amount
// (polybot_settlements.redeem_status, payout_usd; settle_market / markRedeemable), and the user is told, in these
// words, how to collect it. The web app shows them beside each redeemable settlement.

/** The steps, in the user's words (no figures: `polymarketRedeemHowTo` adds the amount and the market). */
export const REDEEM_POLYMARKET_HOWTO =
  'Polymarket pays winnings when you redeem them. Sign in at polymarket.com with the wallet your bot trades with, ' +
  'open Portfolio, find the resolved market and press Claim (Redeem): each winning share is exchanged for $1 of ' +
  'collateral ($0.50 each for a 50-50 result). Nothing is lost by waiting, but the money is not in your balance, ' +
  'and your bot cannot trade with it, until you do. (On chain this is redeemPositions on the Conditional Tokens ' +
  "contract, or the NegRiskAdapter for multi-outcome markets, with the market's condition id.)";

/** The how-to with the amount and the market, for one redeemable settlement (or the sum of a market's). */
export function polymarketRedeemHowTo(amountUsd: number, marketTitle: string | null): string {
  const what = marketTitle ? `"${marketTitle}"` : 'this market';
  return `You have $${amountUsd.toFixed(2)} to collect from ${what}. ${REDEEM_POLYMARKET_HOWTO}`;
}
