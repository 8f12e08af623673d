// Writes of polybot_bot_status, the row each user sees on their dashboard.
import { updateBotStatus, type BotStatusUpdate } from '@polybot/db/service';
import { BotStatsSchema, planMayTrade, type BotHaltCode, type BotStats, type Tier } from '@polybot/schemas';
import type { Sql } from 'postgres';
import type { RunnerStats } from '../shared/ipc.ts';

export function writeStatus(sql: Sql, userId: string, update: BotStatusUpdate): Promise<void> {
  return updateBotStatus(sql, userId, update);
}

/** A heartbeat: state, mode, halt, today's P&L and this month's trade count (read from the profile, the one counter). */
export async function writeHeartbeat(
  sql: Sql,
  userId: string,
  hb: {
    pid: number;
    managerId: string;
    configVersion: number;
    stats: RunnerStats;
    plan: { tier: Tier; monthlyTradeLimit: number } | null;
  },
): Promise<void> {
  const s = hb.stats;
  // The runner's camelCase IPC stats become the row's one casing, snake_case, through the shared schema the web reads
  // (the recent opportunities already arrive in the row's shape).
  const stats: BotStats = BotStatsSchema.parse({
    // The plan this runner was started with: right after an upgrade the profile already names the new plan while the
    // old runner still trades under the old one, and the dashboard says so instead of claiming the new limits.
    ...(hb.plan ? { plan_tier: hb.plan.tier, plan_monthly_trade_limit: hb.plan.monthlyTradeLimit } : {}),
    pnl_today_usd: s.pnlTodayUsd,
    open_positions: s.openPositions,
    trades_placed: s.tradesPlaced,
    opportunities_seen: s.opportunitiesSeen,
    mode_reason: s.modeReason,
    decision_p99_ms: s.decisionP99Ms,
    // The dashboard's "recent opportunities" list (docs/WEB.md), newest first.
    recent_opportunities: s.recentOpportunities,
    // News rules the bot does not act on, with the reason the settings page shows next to each.
    ignored_news_rules: s.ignoredNewsRules.map((r) => ({ rule_id: r.ruleId, reason: r.reason })),
  });
  await sql`
    update public.polybot_bot_status set
      state = ${s.state}, mode = ${s.mode}, pid = ${hb.pid}, manager_id = ${hb.managerId}, heartbeat_at = now(),
      config_version = ${hb.configVersion},
      last_error = ${s.lastError}, last_error_at = case when ${s.lastError}::text is null then null else coalesce(last_error_at, now()) end,
      error_code = ${s.lastError === null ? null : s.lastErrorCode},
      trading_halted_until = ${s.haltedUntil}, halt_reason = ${s.haltReason},
      halt_code = ${s.haltReason === null ? null : s.haltCode},
      stats = ${sql.json(stats)} || jsonb_build_object('trades_this_month',
        (select trades_this_month from public.polybot_user_profiles where id = ${userId}))
    where user_id = ${userId}`;
}

/**
 * Why a user's bot is not running, in words for their dashboard and for admins in Studio (the status row's
 * halt_reason): the manager stops a bot because it left the desired state, and the row must say which rule took it out.
 * The order follows list_desired_bots; a user can match several (suspension wins, as in the web app).
 */
export async function whyNotRunning(
  sql: Sql,
  userId: string,
): Promise<{ state: 'suspended' | 'paused' | 'stopped'; reason: string; code: BotHaltCode }> {
  const [row] = await sql<
    {
      is_suspended: boolean;
      suspended_reason: string | null;
      onboarding_completed: boolean;
      subscription_tier: string;
      subscription_status: string;
      bot_enabled: boolean | null;
    }[]
  >`
    select p.is_suspended, p.suspended_reason, p.onboarding_completed, p.subscription_tier, p.subscription_status,
           c.bot_enabled
      from public.polybot_user_profiles p
      left join public.polybot_user_config c on c.user_id = p.id
     where p.id = ${userId}`;
  if (!row) return { state: 'stopped', reason: 'account not found', code: 'account_missing' };
  if (row.is_suspended)
    return {
      state: 'suspended',
      reason: `suspended by PolyBot support: ${row.suspended_reason ?? 'no reason given'}`,
      code: 'suspended',
    };
  if (!row.onboarding_completed)
    return { state: 'stopped', reason: 'onboarding is not finished', code: 'onboarding_incomplete' };
  if (row.bot_enabled === null) return { state: 'stopped', reason: 'no bot settings saved yet', code: 'no_config' };
  if (!row.bot_enabled) return { state: 'paused', reason: 'paused by you', code: 'paused_by_user' };
  if (!planMayTrade(row.subscription_tier, row.subscription_status)) {
    return {
      state: 'stopped',
      reason: `the ${row.subscription_tier} subscription is ${row.subscription_status.replace(/_/g, ' ')}: trading stays stopped until it is paid or you choose another plan`,
      code: 'subscription_inactive',
    };
  }
  return { state: 'stopped', reason: 'stopped by the bot service', code: 'stopped_by_service' };
}
