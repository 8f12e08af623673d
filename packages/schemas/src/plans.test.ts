import { describe, expect, it } from 'vitest';
import { FEATURE_TOGGLES, strategyEnabled, strategyState, type PlanFeature, type StrategyToggles } from './plans.ts';

const allOff: StrategyToggles = {
  enable_single_platform_arb: false,
  enable_cross_platform_arb: false,
  enable_overlapping_arb: false,
  enable_news_arbitrage: false,
  enable_copy_trading: false,
};

describe('strategyState / strategyEnabled: config toggle AND plan feature', () => {
  for (const feature of Object.keys(FEATURE_TOGGLES) as PlanFeature[]) {
    const on = { ...allOff, [FEATURE_TOGGLES[feature]]: true };
    it(feature, () => {
      expect(strategyState(feature, on, { [feature]: true })).toBe('on');
      expect(strategyEnabled(feature, on, { [feature]: true })).toBe(true);
      expect(strategyState(feature, allOff, { [feature]: true })).toBe('off');
      expect(strategyEnabled(feature, allOff, { [feature]: true })).toBe(false);
      // not in the plan: never runs; a toggle left on (a downgrade) is locked_on; a missing key is not in the plan
      expect(strategyState(feature, on, { [feature]: false })).toBe('locked_on');
      expect(strategyState(feature, on, {})).toBe('locked_on');
      expect(strategyState(feature, allOff, { [feature]: false })).toBe('locked');
      expect(strategyState(feature, allOff, {})).toBe('locked');
      expect(strategyEnabled(feature, on, {})).toBe(false);
    });
  }
});
