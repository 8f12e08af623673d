// Which baskets a runner prices: each strategy runs only when the user's config toggle AND the plan's feature are on
// (strategyEnabled in packages/schemas plans.ts), and only over the venues the user enabled. Cross-platform and
// overlapping baskets come from the approved market links the manager sends.
import {
  strategyEnabled,
  type Instrument,
  type MarketLink,
  type PlanFeature,
  type PlanFeatures,
  type VenueId,
} from '@polybot/schemas';
import {
  crossPlatformPlans,
  indexBySide,
  overlappingPlans,
  singlePlatformPlans,
  type BasketPlan,
} from '@polybot/strategies';
import type { RunnerConfig } from '../shared/ipc.ts';

/** The arbitrage strategies (baskets). News (news.ts) and copy trading (copy.ts) are signals from the manager's feeds. */
const ARBITRAGE: readonly PlanFeature[] = ['single_platform', 'cross_platform', 'overlapping_arb'];

export function enabledFeatures(config: RunnerConfig, features: PlanFeatures): Set<PlanFeature> {
  return new Set(ARBITRAGE.filter((f) => strategyEnabled(f, config, features)));
}

export function enabledVenues(config: RunnerConfig): Set<VenueId> {
  const v = new Set<VenueId>();
  if (config.enable_polymarket) v.add('polymarket');
  if (config.enable_kalshi) v.add('kalshi');
  return v;
}

/** The union of every enabled strategy's baskets over the enabled venues' instruments. */
export function buildPlans(
  instruments: ReadonlyMap<string, Instrument>,
  links: readonly MarketLink[],
  config: RunnerConfig,
  features: PlanFeatures,
): BasketPlan[] {
  const venues = enabledVenues(config);
  const on = enabledFeatures(config, features);
  // A basket with a leg on a disabled venue is never formed: its instruments are simply not in the index.
  const usable = new Map([...instruments].filter(([, i]) => venues.has(i.venue)));
  const bySide = indexBySide(usable);
  return [
    ...(on.has('single_platform') ? singlePlatformPlans(usable) : []),
    ...(on.has('cross_platform') ? crossPlatformPlans(usable, links, bySide) : []),
    ...(on.has('overlapping_arb') ? overlappingPlans(usable, links, bySide) : []),
  ];
}
