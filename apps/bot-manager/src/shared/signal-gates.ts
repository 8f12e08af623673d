// Whether a user's runner acts on the manager's signal feeds: the manager subscribes the user to a feed by the same
// rule the runner applies to what arrives, so both import it from here. "Enabled" itself (config toggle AND plan
// feature) is strategyEnabled in @polybot/schemas.
import { strategyEnabled, type PlanFeatures } from '@polybot/schemas';
import type { RunnerConfig } from './ipc.ts';

/** Copy trading runs when it is enabled (config AND plan) and Polymarket, the only venue it follows, is on. */
export function copyEnabled(config: RunnerConfig, features: PlanFeatures): boolean {
  return strategyEnabled('copy_trading', config, features) && config.enable_polymarket;
}

/** News signals run when the strategy is enabled (config AND plan); each rule's venue is checked per rule. */
export function newsEnabled(config: RunnerConfig, features: PlanFeatures): boolean {
  return strategyEnabled('news_arbitrage', config, features);
}
