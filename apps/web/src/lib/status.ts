// What the dashboard's live status card shows, computed the same way for the first render and every poll.
import 'server-only';
import type { UserTx } from '@polybot/db';
import { getOwnBotStatus, getOwnConfig, getOwnProfile } from '@polybot/db/user';
import { z } from 'zod';
import { planName } from './data.ts';
import { explainError } from './explain.ts';
import { ignoredNewsRules } from './ignored-rules.ts';

export interface StatusView {
  state: string;
  stateLabel: string;
  mode: 'paper' | 'live';
  botEnabled: boolean;
  heartbeatAt: string | null;
  configVersion: number | null;
  appliedVersion: number | null;
  appliedAt: string | null;
  problem: string | null;
  tradesThisMonth: number;
  monthlyTradeLimit: number;
  /** The plan's name. The bot's runner takes its limits from the profile and restarts when they change. */
  planName: string;
  /**
   * The plan the running bot still trades under when it is not the profile's (from its heartbeat's `plan_tier`): for
   * the seconds between a plan change and the runner's restart. Null when they agree or no bot runs.
   */
  botPlanName: string | null;
  ignoredNewsRules: number;
}

const RUNNING = new Set(['running', 'limit_reached', 'reloading']);
const BotPlanSchema = z.object({ plan_tier: z.string() }).nullable().catch(null);

const STATE_LABELS: Record<string, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  reloading: 'Applying new settings',
  stopping: 'Stopping',
  paused: 'Paused',
  suspended: 'Suspended',
  limit_reached: 'Monthly trade limit reached',
  error: 'Stopped by an error',
};

export async function loadStatus(tx: UserTx): Promise<StatusView> {
  const [status, config, profile] = [await getOwnBotStatus(tx), await getOwnConfig(tx), await getOwnProfile(tx)];
  const state = profile?.is_suspended ? 'suspended' : (status?.state ?? 'stopped');
  const mode = status?.mode ?? (config?.dry_run === false ? 'live' : 'paper');
  const tier = profile?.subscription_tier ?? 'free';
  const botTier = status && RUNNING.has(state) ? (BotPlanSchema.parse(status.stats)?.plan_tier ?? null) : null;
  return {
    state,
    stateLabel: STATE_LABELS[state] ?? state,
    mode,
    botEnabled: config?.bot_enabled ?? false,
    heartbeatAt: status?.heartbeat_at?.toISOString() ?? null,
    configVersion: config?.config_version ?? null,
    appliedVersion: status?.config_version ?? null,
    appliedAt: status?.config_applied_at?.toISOString() ?? null,
    problem: profile?.is_suspended ? `Suspended by PolyBot support: ${profile.suspended_reason ?? 'no reason given'}.` : explainError(status?.last_error ?? null),
    tradesThisMonth: profile?.trades_this_month ?? 0,
    monthlyTradeLimit: profile?.monthly_trade_limit ?? 0,
    planName: await planName(tx, tier),
    botPlanName: botTier !== null && botTier !== tier ? await planName(tx, botTier) : null,
    ignoredNewsRules: Object.keys(ignoredNewsRules(status?.stats, config?.advanced_config.newsRules.map((r) => r.id) ?? [])).length,
  };
}
