// Writes of polybot_bot_status, the row each user sees on their dashboard. Through asManager: the write carries the
// manager's lease token and the database refuses it from a manager that does not own the user's shard (issue 15).
import {
  asManager,
  getBotRunDecision,
  updateBotStatus,
  writeBotHeartbeat,
  type BotStatusUpdate,
} from '@polybot/db/service';
import { BotStatsSchema, type BotHaltCode, type BotStats, type Tier } from '@polybot/schemas';
import type { Sql } from 'postgres';
import type { RunnerStats } from '../shared/ipc.ts';

export function writeStatus(sql: Sql, userId: string, update: BotStatusUpdate): Promise<void> {
  return asManager(sql, (tx) => updateBotStatus(tx, userId, update));
}

/** A bot taken out by the manager: no process, no heartbeat, no halt of the runner's own — only why it is out. */
export function writeTakenOut(
  sql: Sql,
  userId: string,
  why: { state: NonNullable<BotStatusUpdate['state']>; reason: string; code: BotHaltCode },
): Promise<void> {
  return asManager(sql, (tx) =>
    updateBotStatus(tx, userId, {
      state: why.state,
      pid: null,
      heartbeatAt: null,
      haltReason: why.reason,
      haltCode: why.code,
      tradingHaltedUntil: null,
    }),
  );
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
  await asManager(sql, (tx) =>
    writeBotHeartbeat(tx, userId, {
      state: s.state,
      mode: s.mode,
      pid: hb.pid,
      managerId: hb.managerId,
      configVersion: hb.configVersion,
      lastError: s.lastError,
      errorCode: s.lastErrorCode,
      haltedUntil: s.haltedUntil,
      haltReason: s.haltReason,
      haltCode: s.haltCode,
      stats,
    }),
  );
}

/**
 * Why a user's bot is not running, in words for their dashboard and for admins in Studio (the status row's
 * halt_reason), with the state the row shows and a machine-readable code: the manager stops a bot because it left the
 * desired state, and the row must say which rule took it out. The rule and its reasons have one home, the SQL function
 * public.bot_run_decisions (list_desired_bots is built on it).
 */
export async function whyNotRunning(
  sql: Sql,
  userId: string,
): Promise<{ state: 'suspended' | 'paused' | 'stopped'; code: BotHaltCode; reason: string }> {
  const d = await asManager(sql, (tx) => getBotRunDecision(tx, userId));
  return { state: d.idle_state, code: d.reason_code, reason: d.reason };
}
