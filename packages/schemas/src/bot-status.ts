// The contract of polybot_bot_status between the bot-manager (which writes it) and the web app (which reads it): the
// state, the machine-readable codes beside the human text (halt_code beside halt_reason, error_code beside
// last_error) and the shape of the `stats` jsonb. supabase/tests/enums.test.ts checks each enum against its CHECK.
import { z } from 'zod';
import { StrategyKindSchema } from './market.ts';
import { TierSchema } from './plans.ts';

export const BotStateSchema = z.enum([
  'stopped',
  'starting',
  'running',
  'reloading',
  'stopping',
  'paused',
  'suspended',
  'limit_reached',
  'error',
]);
export type BotState = z.infer<typeof BotStateSchema>;

/**
 * Why the bot is not trading (halt_code, beside the human halt_reason). The manager's reasons for a bot it stopped,
 * in list_desired_bots' order, then the halts a running bot reports of its own.
 */
export const BotHaltCodeSchema = z.enum([
  /** The user's profile is gone (deleted account): nothing to run. */
  'account_missing',
  'suspended',
  'onboarding_incomplete',
  /** No config row yet: nothing saved. */
  'no_config',
  'paused_by_user',
  /** A paid plan whose subscription is not in TRADING_SUBSCRIPTION_STATUSES (e.g. unpaid). */
  'subscription_inactive',
  /** None of the above: the manager stopped it (a reconcile that found it no longer desired for another reason). */
  'stopped_by_service',
  /** The bot-manager is shutting down; the bot resumes when it is back. */
  'service_restarting',
  /** The runner's risk engine: today's loss reached the limit; no new positions until the halt ends. */
  'daily_loss_limit',
  /** The runner's monthly trade limit: no room for an execution's orders this month. */
  'monthly_limit_reached',
  // A running bot that cannot trade, as the runner sees it (apps/bot-manager/src/runner/blocked.ts decides which;
  // migration 20261204002000 adds them to the CHECK). The state stays `running`: the bot keeps watching and trades
  // again by itself once the cause goes away.
  /** Neither Polymarket nor Kalshi is enabled in the config. */
  'no_venue_enabled',
  /** No strategy is on (config toggle AND plan feature). */
  'no_strategy_enabled',
  /** The enabled venues have no instruments (market discovery found none). */
  'no_markets',
  /** The max trade size (config or plan, the tighter) cannot pay for the smallest order on any enabled venue. */
  'trade_size_below_minimum',
  /** Open positions reached the max open positions (config or plan, the tighter): no new positions. */
  'max_positions_reached',
  /** Every book of the enabled venues is older than max_book_age_ms, and has been for a while. */
  'stale_data',
  /** Dry run is off but no enabled venue has a validated live key: it trades paper meanwhile. */
  'live_keys_missing',
  /** Dry run is off but the plan does not allow live trading: it trades paper meanwhile. */
  'live_not_in_plan',
  // Live trading that never trades blind (issue 13; migration 20261206000100 adds them to the CHECK).
  /** A venue is in maintenance or its matching engine is restarting (HTTP 425): orders wait, and resume by themselves. */
  'venue_paused',
  /** A live key the venue now rejects (revoked or expired): live trading on that venue stopped, paper meanwhile. */
  'live_key_invalid',
  // One tenant cannot starve others (issue 14; migration 20261207000600 adds it to the CHECK).
  /** The bot needed more CPU than its budget for too long, even throttled: stopped until the user changes something. */
  'cpu_budget',
]);
export type BotHaltCode = z.infer<typeof BotHaltCodeSchema>;

/** What went wrong (error_code, beside the human last_error): what the web app explains to the user. */
export const BotErrorCodeSchema = z.enum([
  /** The user's config row fails the schema: the bot stays stopped until a valid config is saved. */
  'invalid_config',
  /** The runner crashed too many times in a row: stopped until settings or keys change. */
  'crash_loop',
  /** The runner exited on its own (an exit code); a restart is scheduled. */
  'runner_exited',
  /** The runner was killed by a signal the manager did not send with a reason; a restart is scheduled. */
  'runner_killed',
  /** The manager killed the runner: no heartbeat for too long. */
  'runner_silent',
  /** The manager killed the runner: over its memory budget. */
  'runner_memory',
  /** A venue rejected the user's keys (401/403, signature, auth). */
  'keys_rejected',
  /** Not enough balance on a venue. */
  'insufficient_balance',
  /** A venue could not be reached (timeout, connection refused, network). */
  'venue_unreachable',
  /** Any other error the runner met. */
  'runner_error',
]);
export type BotErrorCode = z.infer<typeof BotErrorCodeSchema>;

/** Why an opportunity the runner met was not taken (BotOpportunity.skip_code, beside the runner's skip_reason words). */
export const OpportunitySkipCodeSchema = z.enum([
  /** Today's loss reached the max daily loss: no new positions until the next UTC day. */
  'daily_loss_limit',
  /** It costs more than the max trade size (config or plan, the tighter). */
  'above_max_trade_size',
  /** It would open more positions than max open positions allows. */
  'max_positions',
  /** The monthly trade limit has no room for its orders (one per leg). */
  'monthly_limit',
  /** Its legs are on a venue trading live and one trading paper: half an arbitrage would be none. */
  'mixed_modes',
  /** Live mode without a usable live key for one of its venues. */
  'not_routable',
  /** Another opportunity was more profitable and taken first. */
  'better_opportunity',
  /** Already traded (booked before a restart, or by another runner of the user): never sent twice. */
  'already_booked',
  /** Reserved, but no order went out (the book moved away). */
  'not_filled',
  /** Sending or booking failed; the words are the error. */
  'order_failed',
  /** One of its markets closed or resolved (or left the venue's listing): never ordered again. */
  'market_closed',
  /** The venue is paused (maintenance, engine restart): nothing is sent until it trades again. */
  'venue_paused',
  /** Its books were older than max book age when the order would have left: never sent on old data. */
  'stale_book',
  /** The live account has too little balance or allowance for its legs; the words say what to do. */
  'insufficient_funds',
  /** An earlier order on one of its instruments has an unknown fate (sent, answer lost): nothing more until reconciled. */
  'intent_unresolved',
  /** The runner's lease from its bot manager expired (the manager froze or lost the user): nothing is sent any more. */
  'lease_expired',
]);
export type OpportunitySkipCode = z.infer<typeof OpportunitySkipCodeSchema>;

/** One opportunity the runner met, as the dashboard lists it. */
export const BotOpportunitySchema = z.object({
  strategy: StrategyKindSchema,
  description: z.string().max(500),
  expected_profit_usd: z.number(),
  detected_at_ms: z.number().int().nonnegative(),
  /** Orders went out for it (false: seen only — risk, the monthly limit or an earlier fill kept it from trading). */
  acted: z.boolean(),
  /** Why it was not taken (null while taken or not yet decided); absent in rows written before skip reasons. */
  skip_code: OpportunitySkipCodeSchema.nullable().optional(),
  /** The same in the runner's words, with its figures ("costs $12.00, above the max trade size of $10.00"). */
  skip_reason: z.string().max(300).nullable().optional(),
});
export type BotOpportunity = z.infer<typeof BotOpportunitySchema>;
export const BOT_RECENT_OPPORTUNITIES = 10;

const statsShape = {
  /**
   * The plan the runner was started with: right after an upgrade the profile already names the new plan while the
   * old runner still trades under the old one, and the dashboard says so instead of claiming the new limits.
   */
  plan_tier: TierSchema,
  plan_monthly_trade_limit: z.number().int().nonnegative(),
  /** The runner's own view of today: realized plus open positions marked to market. */
  pnl_today_usd: z.number(),
  open_positions: z.number().int().nonnegative(),
  trades_placed: z.number().int().nonnegative(),
  opportunities_seen: z.number().int().nonnegative(),
  mode_reason: z.string(),
  /** Book-update-to-decision p99 over the last 60 s; null without decisions in it. */
  decision_p99_ms: z.number().nullable(),
  /** The dashboard's "recent opportunities", newest first. */
  recent_opportunities: z.array(BotOpportunitySchema).max(BOT_RECENT_OPPORTUNITIES),
  /** News rules the bot does not act on, with the reason the settings page shows next to each. */
  ignored_news_rules: z.array(z.object({ rule_id: z.string(), reason: z.string() })),
  /** Copied from the profile by the heartbeat's SQL (the one counter), not by the manager's code. */
  trades_this_month: z.number().int().nonnegative(),
};

/**
 * polybot_bot_status.stats as a heartbeat writes it. The manager builds it through this schema (every key but
 * trades_this_month, which the update's SQL adds); the plan keys are absent for a runner started without a plan.
 */
export const BotStatsSchema = z.strictObject(statsShape).partial({
  plan_tier: true,
  plan_monthly_trade_limit: true,
  trades_this_month: true,
});
export type BotStats = z.infer<typeof BotStatsSchema>;

type Lenient<T extends Record<string, z.ZodType>> = z.ZodObject<{
  [K in keyof T]: z.ZodCatch<z.ZodOptional<T[K]>>;
}>;
function lenient<T extends Record<string, z.ZodType>>(shape: T): Lenient<T> {
  const out: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(shape)) out[key] = schema.optional().catch(undefined);
  return z.object(out) as Lenient<T>;
}

/**
 * How readers parse stats: every key optional and a malformed one read as absent, so a row written before a key
 * existed (or by a runner that never heartbeat: '{}') never breaks a page; unknown keys are dropped.
 */
export const BotStatsReadSchema = lenient(statsShape);
export type BotStatsRead = z.infer<typeof BotStatsReadSchema>;

/** Stats read from a row: never throws (anything not an object reads as no stats at all). */
export function readBotStats(raw: unknown): BotStatsRead {
  const parsed = BotStatsReadSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/**
 * The code of an error the runner met and reports in words (a venue's or a library's message: text we do not author).
 * The runner classifies it where it happens, so readers decide by the code; the patterns are the ones the web app
 * used to apply to last_error, in the same order (the backfill in 20261204000200_bot_status_codes.sql too).
 */
export function classifyRunnerError(message: string): BotErrorCode {
  if (/401|403|auth|signature|api key/i.test(message)) return 'keys_rejected';
  if (/balance|insufficient|funds/i.test(message)) return 'insufficient_balance';
  if (/crash|exit|backoff|restart/i.test(message)) return 'runner_exited';
  if (/timeout|ECONN|network|unreachable/i.test(message)) return 'venue_unreachable';
  return 'runner_error';
}
