// What the dashboard's live status card shows, computed the same way for the first render and every poll.
import 'server-only';
import type { UserTx } from '@polybot/db';
import type { BotState } from '@polybot/schemas';
import {
  getOwnBotStatus,
  getOwnConfig,
  getOwnProfile,
  latestOwnSettlementId,
  latestOwnTradeId,
  planDisplayName,
} from '@polybot/db/user';
import { adviseHalt, explainError, type HaltAdvice } from './explain.ts';
import { ignoredNewsRules } from './ignored-rules.ts';

export interface StatusView {
  /** The bot's own state as the manager last wrote it (or `suspended` from the profile). */
  state: string;
  /** How the state reads: a bot the user paused and the manager stopped reads "Paused". */
  stateLabel: string;
  /** The user paused the bot: 'pausing' while it still runs, 'paused' once the manager has stopped it. */
  pause: 'pausing' | 'paused' | null;
  /**
   * Why the bot is not trading, in the bot-manager's own words (polybot_bot_status.halt_reason): why it stopped a
   * bot ("the pro subscription is unpaid: …", "the bot service is restarting; …") or a running bot's halt. Null when
   * there is none, or when the page already says it (paused by the user, suspended).
   */
  reason: string | null;
  /** What to do about it, chosen by the row's halt_code (explain.ts); null beside no reason or nothing to do. */
  advice: HaltAdvice | null;
  mode: 'paper' | 'live';
  botEnabled: boolean;
  heartbeatAt: string | null;
  /** When the running bot's process started (a restart — new keys, new plan — moves it); null when not running. */
  startedAt: string | null;
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
  /** The running bot's heartbeat names the profile's plan: the plan shown is the one it trades under. */
  botOnPlan: boolean;
  ignoredNewsRules: number;
  /** The newest trade's id, or null. */
  latestTradeId: number | null;
  /**
   * Changes when the dashboard's server-rendered parts would: a new trade, a new settlement, the bot starting or
   * stopping, its open positions, or its recent opportunities (a new one, one taken, or a new reason for a skip). The status card re-renders the page when a poll brings another value.
   */
  listsVersion: string;
  /**
   * When the server computed this view (ISO). The card's first render measures ages ("heartbeat 3s ago") from it, not
   * from the clock of whoever renders: the server's HTML and the browser's hydration then read the same text (a
   * clock read in each made them differ by a second now and then: React error #418 on the dashboard).
   */
  at: string;
}

const RUNNING = new Set(['running', 'limit_reached', 'reloading']);

/** Keyed by the shared enum: a state added to @polybot/schemas does not compile until it has a label here. */
const STATE_LABELS: Record<BotState, string> = {
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
  const running = status !== null && RUNNING.has(state);
  const botTier = running ? (status.stats.plan_tier ?? null) : null;
  const botEnabled = config?.bot_enabled ?? false;
  // "Paused" only once the bot has stopped: until the manager has acted, the user sees it still running.
  const paused = !botEnabled && (state === 'stopped' || state === 'paused');
  const startedAt = running ? (status.started_at ?? null) : null;
  const newestTrade = await latestOwnTradeId(tx);
  const newestSettlement = await latestOwnSettlementId(tx);
  const opportunities = status?.stats.recent_opportunities ?? [];
  return {
    state,
    stateLabel: paused ? 'Paused' : (STATE_LABELS[state] ?? state),
    pause: paused ? 'paused' : !botEnabled && running ? 'pausing' : null,
    reason: paused || state === 'suspended' ? null : (status?.halt_reason ?? null),
    advice: paused || state === 'suspended' || !status?.halt_reason ? null : adviseHalt(status.halt_code ?? null),
    mode,
    botEnabled,
    heartbeatAt: status?.heartbeat_at?.toISOString() ?? null,
    startedAt: startedAt?.toISOString() ?? null,
    configVersion: config?.config_version ?? null,
    appliedVersion: status?.config_version ?? null,
    appliedAt: status?.config_applied_at?.toISOString() ?? null,
    problem: profile?.is_suspended
      ? `Suspended by PolyBot support: ${profile.suspended_reason ?? 'no reason given'}. Your bot cannot run, be paused or resumed until support lifts the suspension: contact PolyBot support to have it reviewed. Your settings, keys and trades are kept.`
      : explainError({ text: status?.last_error ?? null, code: status?.error_code ?? null }),
    tradesThisMonth: profile?.trades_this_month ?? 0,
    monthlyTradeLimit: profile?.monthly_trade_limit ?? 0,
    planName: await planDisplayName(tx, tier),
    botPlanName: botTier !== null && botTier !== tier ? await planDisplayName(tx, botTier) : null,
    botOnPlan: botTier === tier,
    ignoredNewsRules: Object.keys(
      ignoredNewsRules(status?.stats, config?.advanced_config.newsRules.map((r) => r.id) ?? []),
    ).length,
    latestTradeId: newestTrade,
    at: new Date().toISOString(),
    listsVersion: JSON.stringify([
      newestTrade,
      // the page offers pause/resume except while suspended
      state === 'suspended',
      // a market the user held resolved: the P&L card and the positions' valuation change
      newestSettlement,
      running,
      status?.stats.open_positions ?? null,
      opportunities.map((o) => [o.detected_at_ms, o.acted, o.skip_code ?? null]),
    ]),
  };
}
