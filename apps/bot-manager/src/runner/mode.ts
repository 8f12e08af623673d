// Paper or live. Live needs all three: the user turned dry-run off, holds live (non-paper) keys that validated, and
// the plan allows live trading. Anything missing means paper, and the reason is reported in the bot status.
import type { RunnerConfig, RunnerKey, RunnerPlan } from '../shared/ipc.ts';

export interface ModeDecision {
  mode: 'paper' | 'live';
  reason: string;
}

export function decideMode(config: RunnerConfig, plan: RunnerPlan, keys: readonly RunnerKey[]): ModeDecision {
  if (config.dry_run) return { mode: 'paper', reason: 'dry run is on' };
  if (!plan.liveTradingAllowed) return { mode: 'paper', reason: `the ${plan.tier} plan does not allow live trading` };
  const live = keys.find((k) => k.platform === 'polymarket' && !k.isPaper && k.validationStatus === 'valid' && k.privateKey !== null);
  if (!live) {
    // The manager validates keys before the runner starts; say which step stands in the way.
    const saved = keys.find((k) => k.platform === 'polymarket' && !k.isPaper);
    if (saved?.validationStatus === 'invalid') return { mode: 'paper', reason: 'no validated live Polymarket keys: the venue rejected them (the reason is shown with the keys)' };
    if (saved?.validationStatus === 'pending') return { mode: 'paper', reason: 'no validated live Polymarket keys: not checked with the venue yet' };
    return { mode: 'paper', reason: 'no validated live Polymarket keys' };
  }
  return { mode: 'live', reason: 'dry run off, validated live keys, plan allows live trading' };
}
