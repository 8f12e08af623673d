// Money checks before live orders (issue 13): each venue's account must hold — and, on Polymarket, have approved —
// what the basket's legs on that venue cost with fees, or nothing is sent and the user is told what to do. The
// venue's balance is read through the adapter (`Trading.funds`: Polymarket reads the wallet that pays, Kalshi the
// account) and kept for a few seconds, so a decision does not wait on a round trip; every execution forgets it
// (money moved). An order the venue refuses for funds anyway gets the same words (`fundsRefusal`).
import type { Opportunity, VenueId } from '@polybot/schemas';
import type { Funds, Trading } from '@polybot/venues';

/** Not ok: the account cannot pay (`insufficient_funds`), or its balance could not be read (`order_failed`). */
export type FundsVerdict = { ok: true } | { ok: false; code: 'insufficient_funds' | 'order_failed'; reason: string };

const VENUE_NAME: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };
const usd = (x: number): string => `$${x.toFixed(2)}`;
/** Room for rounding between our fee estimate and the venue's (fees floor to 5 decimals / ceil to the cent). */
const SLACK_USD = 0.01;

/** Whose money: "Your Polymarket wallet 0x1234…abcd" / "Your Kalshi account". */
function owner(venue: VenueId, account: string | null): string {
  if (venue === 'polymarket')
    return account ? `Your Polymarket wallet ${account.slice(0, 6)}…${account.slice(-4)}` : 'Your Polymarket wallet';
  return `Your ${VENUE_NAME[venue]} account`;
}

/** What the legs on each venue cost at their limit prices, fees included (the most the orders can take). */
export function costByVenue(opportunity: Opportunity): Map<VenueId, number> {
  const out = new Map<VenueId, number>();
  for (const leg of opportunity.legs)
    out.set(leg.venue, (out.get(leg.venue) ?? 0) + leg.limitPrice * leg.size + leg.fee);
  return out;
}

/** The words for an account that cannot pay `needs`, or null when it can. */
export function fundsShortfall(venue: VenueId, funds: Funds, needs: number): string | null {
  const who = owner(venue, funds.account);
  const currency = venue === 'polymarket' ? ' of pUSD' : '';
  if (funds.balance + SLACK_USD < needs)
    return `${who} has ${usd(funds.balance)}${currency} and the trade needs ${usd(needs)}: deposit, or lower Max trade size.`;
  if (funds.allowance !== null && funds.allowance + SLACK_USD < needs)
    return (
      `${who} has approved only ${usd(funds.allowance)} of pUSD for trading and the trade needs ${usd(needs)}: ` +
      'enable trading for this wallet on polymarket.com (it approves pUSD for the exchange), then the bot resumes.'
    );
  return null;
}

const POLYMARKET_REFUSAL = /not enough balance|allowance/i;
const KALSHI_REFUSAL = /insufficient_balance|insufficient (balance|funds)/i;

/** An order the venue refused for funds (its own words in `rejectReason`) → the user's words; else null. */
export function fundsRefusal(venue: VenueId, rejectReason: string | null): string | null {
  if (rejectReason === null) return null;
  const refused = venue === 'polymarket' ? POLYMARKET_REFUSAL.test(rejectReason) : KALSHI_REFUSAL.test(rejectReason);
  if (!refused) return null;
  return venue === 'polymarket'
    ? `Polymarket refused the order for insufficient balance or allowance ("${rejectReason.slice(0, 60)}"): deposit ` +
        'pUSD to your Polymarket wallet and enable trading for it on polymarket.com, or lower Max trade size.'
    : `Kalshi refused the order for insufficient balance: deposit funds to your Kalshi account, or lower Max trade size.`;
}

export class FundsCheck {
  private readonly cache = new Map<VenueId, { atMs: number; funds: Promise<Funds> }>();

  constructor(private readonly opts: { maxAgeMs?: number; now?: () => number } = {}) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private read(venue: VenueId, trading: Trading): Promise<Funds> | null {
    if (!trading.funds) return null;
    const hit = this.cache.get(venue);
    if (hit && this.now() - hit.atMs < (this.opts.maxAgeMs ?? 5_000)) return hit.funds;
    const funds = trading.funds();
    this.cache.set(venue, { atMs: this.now(), funds });
    // A failed read is not kept: the next decision asks again.
    funds.catch(() => this.cache.delete(venue));
    return funds;
  }

  /** Whether every venue's account can pay its legs; a venue whose client cannot tell is let through. */
  async check(opportunity: Opportunity, tradingFor: (venue: VenueId) => Trading): Promise<FundsVerdict> {
    for (const [venue, needs] of costByVenue(opportunity)) {
      let funds: Funds | null;
      try {
        funds = await this.read(venue, tradingFor(venue));
      } catch (e) {
        // Never sent blind, never retried in a hot loop: the caller waits as for a shortfall.
        const message = e instanceof Error ? e.message : String(e);
        return {
          ok: false,
          code: 'order_failed',
          reason: `the ${VENUE_NAME[venue]} balance could not be read: ${message}`,
        };
      }
      if (!funds) continue;
      const short = fundsShortfall(venue, funds, needs);
      if (short !== null) return { ok: false, code: 'insufficient_funds', reason: short };
    }
    return { ok: true };
  }

  /** Money moved (an execution, a refusal): the next check reads the venues again. */
  forget(): void {
    this.cache.clear();
  }
}
