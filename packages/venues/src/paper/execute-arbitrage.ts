// Executes an arbitrage opportunity leg by leg and contains leg risk.
//
// Rule (documented contract):
// 1. Legs go out one at a time as FOK buys at the leg's limit price, thinnest leg first (smallest depth at or under
//    its limit relative to its size): the leg most likely to fail is tried while nothing is at risk yet.
//    Sequential on purpose: a failed leg stops the rest instead of leaving several to unwind.
// 2. All legs filled → 'complete'.
// 3. A leg fails (FOK cancelled or rejected, or a throw) → the remaining legs are not sent, and every filled leg is
//    sold back at once as a FAK sell walking the bids down to `bestBid − maxUnwindSlippage` (never below one tick
//    0.001). The loss (what the legs cost with fees minus what the sale brought net of fees) is recorded.
//    Whatever the floor left unsold stays as a position and is reported as `stranded`, for the runner to alert on.
// Client order ids derive from the opportunity id, so calling this twice for one opportunity books nothing twice.
import type { Opportunity, OpportunityLeg, OrderBook, OrderResult, VenueId } from '@polybot/schemas';
import type { Trading } from '../venue.ts';
import type { BookSource } from './paper-trading.ts';

export interface ExecuteArbitrageOptions {
  getBook: BookSource;
  /** Lowest price an unwind sale accepts = best bid − this. Default 0.05. */
  maxUnwindSlippage?: number;
  /** Distinguishes repeated, intentional executions of the same opportunity id. Default ''. */
  attempt?: string;
}

export interface LegRecord {
  leg: OpportunityLeg;
  result: OrderResult | null;
  error: string | null;
}

export interface UnwindRecord {
  instrumentId: string;
  venue: VenueId;
  size: number;
  result: OrderResult | null;
  /** Cost of the bought leg incl. fees − proceeds of the sale net of fees, for the part sold. */
  loss: number;
  /** Contracts the unwind could not sell. */
  stranded: number;
}

export interface ArbitrageExecution {
  opportunityId: string;
  status: 'complete' | 'unwound' | 'stranded' | 'nothing_filled';
  legs: LegRecord[];
  unwinds: UnwindRecord[];
  /** Sum of unwind losses (0 when complete). */
  realizedLoss: number;
}

/** Short stable hash (FNV-1a, two seeds) so ids stay within the 64-char clientOrderId limit. */
function shortHash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 0x2c) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

async function depthAtLimit(getBook: BookSource, leg: OpportunityLeg): Promise<number> {
  const book = await getBook(leg.instrumentId);
  let depth = 0;
  for (const l of book?.asks ?? []) {
    if (l.price > leg.limitPrice + 1e-12) break;
    depth += l.size;
  }
  return depth / leg.size;
}

export async function executeArbitrage(
  trading: Trading | ((venue: VenueId) => Trading),
  opportunity: Opportunity,
  options: ExecuteArbitrageOptions,
): Promise<ArbitrageExecution> {
  const tradingFor = typeof trading === 'function' ? trading : () => trading;
  const prefix = `arb-${shortHash(`${opportunity.id}|${options.attempt ?? ''}`)}`;
  const slippage = options.maxUnwindSlippage ?? 0.05;

  const ranked = await Promise.all(
    opportunity.legs.map(async (leg, index) => ({ leg, index, ratio: await depthAtLimit(options.getBook, leg) })),
  );
  ranked.sort((x, y) => x.ratio - y.ratio || x.index - y.index);

  const legs: LegRecord[] = [];
  let failed = false;
  for (const { leg, index } of ranked) {
    try {
      const result = await tradingFor(leg.venue).placeOrder({
        venue: leg.venue,
        instrumentId: leg.instrumentId,
        side: 'buy',
        limitPrice: leg.limitPrice,
        size: leg.size,
        orderType: 'FOK',
        clientOrderId: `${prefix}-L${index}`,
      });
      legs.push({ leg, result, error: null });
      if (result.status !== 'filled') {
        failed = true;
        break;
      }
    } catch (e) {
      legs.push({ leg, result: null, error: e instanceof Error ? e.message : String(e) });
      failed = true;
      break;
    }
  }
  if (!failed) return { opportunityId: opportunity.id, status: 'complete', legs, unwinds: [], realizedLoss: 0 };

  const unwinds: UnwindRecord[] = [];
  for (const record of legs) {
    const bought = record.result;
    if (!bought || bought.filledSize <= 0) continue;
    const { leg } = record;
    const cost = bought.fills.reduce((s, f) => s + f.price * f.size + f.fee, 0);
    const book: OrderBook | undefined = await options.getBook(leg.instrumentId);
    const bestBid = book?.bids[0]?.price;
    if (bestBid === undefined) {
      unwinds.push({
        instrumentId: leg.instrumentId,
        venue: leg.venue,
        size: bought.filledSize,
        result: null,
        loss: 0,
        stranded: bought.filledSize,
      });
      continue;
    }
    const floor = Math.max(0.001, Math.round((bestBid - slippage) * 1000) / 1000);
    let result: OrderResult | null;
    try {
      result = await tradingFor(leg.venue).placeOrder({
        venue: leg.venue,
        instrumentId: leg.instrumentId,
        side: 'sell',
        limitPrice: floor,
        size: bought.filledSize,
        orderType: 'FAK',
        clientOrderId: `${prefix}-U${opportunity.legs.indexOf(leg)}`,
      });
    } catch {
      result = null;
    }
    const sold = result?.filledSize ?? 0;
    const proceeds = (result?.fills ?? []).reduce((s, f) => s + f.price * f.size - f.fee, 0);
    const loss = cost * (sold / bought.filledSize) - proceeds;
    unwinds.push({
      instrumentId: leg.instrumentId,
      venue: leg.venue,
      size: bought.filledSize,
      result,
      loss: Math.round(loss * 1e9) / 1e9,
      stranded: Math.round((bought.filledSize - sold) * 1e9) / 1e9,
    });
  }
  const realizedLoss = Math.round(unwinds.reduce((s, u) => s + u.loss, 0) * 1e9) / 1e9;
  const status =
    unwinds.length === 0 ? 'nothing_filled' : unwinds.some((u) => u.stranded > 1e-9) ? 'stranded' : 'unwound';
  return { opportunityId: opportunity.id, status, legs, unwinds, realizedLoss };
}
