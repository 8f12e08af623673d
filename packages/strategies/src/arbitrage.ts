// The three arbitrage strategies as pure functions: plans from metadata/links, then each plan priced on the books.
import type { MarketLink, Opportunity } from '@polybot/schemas';
import { evaluateBasket } from './basket.ts';
import { crossPlatformPlans, overlappingPlans, singlePlatformPlans } from './plans.ts';
import type { ArbParams, BasketPlan, MarketSnapshot } from './types.ts';

export interface LinkedSnapshot extends MarketSnapshot {
  /** Market links as stored; only `approved: true` ones are ever used. */
  links: readonly MarketLink[];
}

/** Price a set of plans; best profit first. */
export function evaluatePlans(
  plans: readonly BasketPlan[],
  snapshot: MarketSnapshot,
  params: ArbParams,
  nowMs: number,
): Opportunity[] {
  const out: Opportunity[] = [];
  for (const plan of plans) {
    const r = evaluateBasket(plan, snapshot, params, nowMs);
    if (r.ok) out.push(r.opportunity);
  }
  return out.sort((a, b) => b.expectedProfit - a.expectedProfit);
}

export function singlePlatformArbitrage(input: MarketSnapshot, params: ArbParams, nowMs: number): Opportunity[] {
  return evaluatePlans(singlePlatformPlans(input.instruments), input, params, nowMs);
}

export function crossPlatformArbitrage(input: LinkedSnapshot, params: ArbParams, nowMs: number): Opportunity[] {
  return evaluatePlans(crossPlatformPlans(input.instruments, input.links), input, params, nowMs);
}

export function overlappingArbitrage(input: LinkedSnapshot, params: ArbParams, nowMs: number): Opportunity[] {
  return evaluatePlans(overlappingPlans(input.instruments, input.links), input, params, nowMs);
}
