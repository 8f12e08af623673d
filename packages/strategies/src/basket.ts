// Prices a basket (buy the same size of every leg, guaranteed payout per unit) against the books, choosing the size
// that maximizes profit after fees.
//
// Why a sweep works: within one "segment" (no leg crosses a level boundary) every leg's marginal cost per unit is its
// level price plus the fee slope at that price, both constant; and since p + r·p(1−p) grows with p for any fee rate
// r < 1, marginal cost only rises from one segment to the next. Profit is therefore concave in size: we walk the
// merged level boundaries and stop where the marginal profit reaches zero, where the budget runs out, or where the
// average profit would fall below `minProfitPct`. Exact, venue-rounded fees are then computed at the chosen size.
import type { Opportunity, OpportunityLeg } from '@polybot/schemas';
import { feePerContract } from '@polybot/schemas';
import { floorToStep, walkAsks } from './book.ts';
import type { ArbParams, BasketPlan, MarketSnapshot } from './types.ts';
import { lotSize } from './types.ts';

const EPS = 1e-12;

interface LegState {
  levels: readonly { price: number; size: number }[];
  index: number;
  remaining: number;
  unitCost: number;
}

/** The size that maximizes profit, before lot rounding. Exported for tests. */
export function optimalBasketSize(
  legs: readonly { asks: readonly { price: number; size: number }[]; feeSlope: (price: number) => number }[],
  minPayout: number,
  maxCostUsd: number,
  minProfitPct: number,
  maxSize = Infinity,
): number {
  const states: LegState[] = [];
  for (const leg of legs) {
    const first = leg.asks[0];
    if (!first) return 0;
    states.push({
      levels: leg.asks,
      index: 0,
      remaining: first.size,
      unitCost: first.price + leg.feeSlope(first.price),
    });
  }
  const m = 1 + minProfitPct / 100;
  let size = 0;
  let cost = 0;
  for (;;) {
    let unitCost = 0;
    let step = Infinity;
    for (const s of states) {
      unitCost += s.unitCost;
      step = Math.min(step, s.remaining);
    }
    if (minPayout - unitCost <= EPS) break;
    // Budget: cost + t·unitCost ≤ maxCostUsd.
    step = Math.min(step, (maxCostUsd - cost) / unitCost);
    // Average profit: payout·(size + t) ≥ m·(cost + t·unitCost); binds only when this segment earns less than m.
    const slack = minPayout - m * unitCost;
    if (slack < -EPS) step = Math.min(step, (minPayout * size - m * cost) / -slack);
    step = Math.min(step, maxSize - size);
    if (step <= EPS) break;
    size += step;
    cost += step * unitCost;
    let exhausted = false;
    for (let i = 0; i < states.length; i++) {
      const s = states[i];
      const leg = legs[i];
      if (!s || !leg) continue;
      s.remaining -= step;
      if (s.remaining <= EPS) {
        s.index += 1;
        const next = s.levels[s.index];
        if (!next) {
          exhausted = true;
          continue;
        }
        s.remaining = next.size;
        s.unitCost = next.price + leg.feeSlope(next.price);
      }
    }
    if (exhausted || cost >= maxCostUsd - EPS || size >= maxSize - EPS) break;
  }
  return size;
}

export type BasketRejection =
  'missing_book' | 'stale_book' | 'inactive' | 'no_edge' | 'below_min_size' | 'below_min_profit';

export type BasketResult = { ok: true; opportunity: Opportunity } | { ok: false; reason: BasketRejection };

/** Price one basket. Returns why it was rejected so tests (and logs) can tell a thin book from a stale one. */
export function evaluateBasket(
  plan: BasketPlan,
  snapshot: MarketSnapshot,
  params: ArbParams,
  nowMs: number,
): BasketResult {
  const legs = [];
  let lot = 0;
  let minSize = 0;
  let bestUnitCost = 0;
  for (const id of plan.instrumentIds) {
    const instrument = snapshot.instruments.get(id);
    const book = snapshot.books.get(id);
    if (!instrument || !book) return { ok: false, reason: 'missing_book' };
    if (!instrument.active) return { ok: false, reason: 'inactive' };
    if (book.timestampMs < nowMs - params.maxBookAgeMs) return { ok: false, reason: 'stale_book' };
    const schedule = snapshot.fees(instrument);
    const best = book.asks[0];
    if (!best) return { ok: false, reason: 'no_edge' };
    bestUnitCost += best.price + feePerContract(schedule, best.price, 'taker');
    legs.push({
      instrument,
      book,
      schedule,
      asks: book.asks,
      feeSlope: (p: number) => feePerContract(schedule, p, 'taker'),
    });
    lot = Math.max(lot, lotSize(instrument.venue));
    minSize = Math.max(minSize, instrument.minOrderSize);
  }
  // Most baskets most of the time: even the best levels cost more than the payout. Stop before the sweep.
  if (plan.minPayout - bestUnitCost <= 1e-12) return { ok: false, reason: 'no_edge' };
  const raw = optimalBasketSize(legs, plan.minPayout, params.maxTradeSizeUsd, params.minProfitPct);
  if (raw <= 0) return { ok: false, reason: 'no_edge' };
  let size = floorToStep(raw, lot);
  // The best size can sit below the venue minimum while the minimum itself still clears the thresholds (profit is
  // past its peak there but positive): try the minimum when every book holds it; the checks below decide.
  if (size + 1e-9 < minSize) {
    const least = Math.ceil(minSize / lot - 1e-9) * lot;
    if (!legs.every((l) => walkAsks(l.book, least, l.schedule).filled + 1e-9 >= least))
      return { ok: false, reason: 'below_min_size' };
    size = least;
  }

  // Venue rounding (Kalshi rounds fees up per fill) can push the exact cost a hair over budget: shed lots until it fits.
  let priced = priceAt(legs, size);
  for (
    let attempt = 0;
    attempt < 1000 && priced.cost > params.maxTradeSizeUsd + 1e-9 && size - lot + 1e-9 >= minSize;
    attempt++
  ) {
    size = floorToStep(size - lot, lot);
    priced = priceAt(legs, size);
  }
  const { cost, out } = priced;
  if (cost > params.maxTradeSizeUsd + 1e-9 || size + 1e-9 < minSize) return { ok: false, reason: 'below_min_size' };
  const expectedProfit = size * plan.minPayout - cost;
  const profitPct = cost > 0 ? (expectedProfit / cost) * 100 : 0;
  if (expectedProfit <= 0 || profitPct < params.minProfitPct - 1e-9) return { ok: false, reason: 'below_min_profit' };
  const id = `${plan.id}@${out.map((l) => l.limitPrice).join(',')}x${size}`;
  return {
    ok: true,
    opportunity: {
      id,
      strategy: plan.strategy,
      legs: out,
      cost,
      expectedProfit,
      profitPct,
      detectedAtMs: Math.trunc(nowMs),
      description: plan.description,
    },
  };
}

function priceAt(
  legs: readonly {
    instrument: { venue: OpportunityLeg['venue']; instrumentId: string };
    book: Parameters<typeof walkAsks>[0];
    schedule: Parameters<typeof walkAsks>[2];
  }[],
  size: number,
): { cost: number; out: OpportunityLeg[] } {
  let cost = 0;
  const out: OpportunityLeg[] = [];
  for (const leg of legs) {
    const walk = walkAsks(leg.book, size, leg.schedule);
    const vwap = walk.vwap ?? 0;
    cost += walk.notional + walk.fee;
    out.push({
      venue: leg.instrument.venue,
      instrumentId: leg.instrument.instrumentId,
      side: 'buy',
      size,
      vwap,
      limitPrice: walk.worstPrice ?? vwap,
      fee: walk.fee,
    });
  }
  return { cost, out };
}
