// Re-prices only the baskets that contain the instrument whose book just changed. Plans depend on metadata and
// links only, so they are built once (rebuild when instruments or links change); a book update then costs
// O(baskets touching that instrument) instead of a full scan.
import type { MarketLink, Opportunity } from '@polybot/schemas';
import { evaluateBasket } from './basket.ts';
import { crossPlatformPlans, indexBySide, overlappingPlans, singlePlatformPlans } from './plans.ts';
import type { InstrumentIndex } from './plans.ts';
import type { ArbParams, BasketPlan, MarketSnapshot } from './types.ts';

export interface IncrementalUpdate {
  /** Baskets re-priced for this update. */
  evaluated: number;
  /** Opportunities that exist after the update among the re-priced baskets. */
  opportunities: Opportunity[];
  /** Plan ids whose opportunity disappeared with this update. */
  removed: string[];
}

export class IncrementalArbEvaluator {
  private readonly byInstrument = new Map<string, BasketPlan[]>();
  private readonly live = new Map<string, Opportunity>();

  constructor(readonly plans: readonly BasketPlan[]) {
    for (const plan of plans) {
      for (const id of plan.instrumentIds) {
        const list = this.byInstrument.get(id);
        if (list) list.push(plan);
        else this.byInstrument.set(id, [plan]);
      }
    }
  }

  /** All arbitrage baskets (single-platform, cross-platform, overlapping) of a universe. */
  static forUniverse(instruments: InstrumentIndex, links: readonly MarketLink[]): IncrementalArbEvaluator {
    const bySide = indexBySide(instruments);
    return new IncrementalArbEvaluator([
      ...singlePlatformPlans(instruments),
      ...crossPlatformPlans(instruments, links, bySide),
      ...overlappingPlans(instruments, links, bySide),
    ]);
  }

  plansFor(instrumentId: string): readonly BasketPlan[] {
    return this.byInstrument.get(instrumentId) ?? [];
  }

  /** Price every plan (startup, or after a reconnect when any book may have changed). */
  evaluateAll(snapshot: MarketSnapshot, params: ArbParams, nowMs: number): Opportunity[] {
    this.live.clear();
    return this.reprice(this.plans, snapshot, params, nowMs).opportunities;
  }

  onBookUpdate(instrumentId: string, snapshot: MarketSnapshot, params: ArbParams, nowMs: number): IncrementalUpdate {
    return this.reprice(this.plansFor(instrumentId), snapshot, params, nowMs);
  }

  /**
   * Re-price the baskets that currently show an opportunity. A book that stops updating never triggers
   * `onBookUpdate`, so call this on a timer to let staleness (maxBookAgeMs) retire such opportunities.
   */
  revalidate(snapshot: MarketSnapshot, params: ArbParams, nowMs: number): IncrementalUpdate {
    const live = this.plans.filter((p) => this.live.has(p.id));
    return this.reprice(live, snapshot, params, nowMs);
  }

  /** Current opportunities, best profit first. */
  current(): Opportunity[] {
    return [...this.live.values()].sort((a, b) => b.expectedProfit - a.expectedProfit);
  }

  private reprice(
    plans: readonly BasketPlan[],
    snapshot: MarketSnapshot,
    params: ArbParams,
    nowMs: number,
  ): IncrementalUpdate {
    const opportunities: Opportunity[] = [];
    const removed: string[] = [];
    for (const plan of plans) {
      const r = evaluateBasket(plan, snapshot, params, nowMs);
      if (r.ok) {
        this.live.set(plan.id, r.opportunity);
        opportunities.push(r.opportunity);
      } else if (this.live.delete(plan.id)) {
        removed.push(plan.id);
      }
    }
    return { evaluated: plans.length, opportunities, removed };
  }
}
