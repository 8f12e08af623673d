// Everything the manager needs to know about one user to decide what their runner should be: whether it should run,
// the config to apply in place, and fingerprints of the keys and plan (a change of either restarts the runner).
import { createHash } from 'node:crypto';
import {
  abandonPaperIntents,
  asManager,
  listUnreconciledKalshiMarkets,
  listUnresolvedIntents,
  getUserSecretsDecrypted,
  listSecretVerdicts,
  listDesiredBots,
  listRecentCopiedTxHashes,
  listRecentNewsSignalKeys,
  readRiskStart,
  type RiskStart,
  readRunnerUser,
} from '@polybot/db/service';
import { UserConfigRowSchema, type OrderIntentRow } from '@polybot/schemas';
import type { Sql } from 'postgres';
import { z } from 'zod';
import type { RunnerConfig, RunnerKey, RunnerPlan } from '../shared/ipc.ts';
import { copyEnabled, newsEnabled } from '../shared/signal-gates.ts';
import type { PendingInit } from './slot.ts';

export interface UserState {
  userId: string;
  configVersion: number;
  config: RunnerConfig;
  plan: RunnerPlan;
  keys: RunnerKey[];
  /** sha256 of the keys: compared, never logged, never sent anywhere. */
  keysFingerprint: string;
  planFingerprint: string;
}

/**
 * A config row that fails the schema (written around the app: SQL, Studio, an old client): the bot must not run on
 * it, nor keep running on the previous one as if nothing happened. `problem` names the fields, in words for the user.
 */
export interface InvalidConfig {
  invalid: true;
  configVersion: number;
  problem: string;
}

/** The zod issues of an invalid config as one line: `field.path: message; ...` (values are not repeated). */
function describeIssues(issues: z.ZodError['issues']): string {
  const text = issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'config'}: ${i.message}`).join('; ');
  return text.length > 600 ? `${text.slice(0, 597)}...` : text;
}

export async function desiredUserIds(sql: Sql): Promise<Set<string>> {
  const rows = await asManager(sql, (tx) => listDesiredBots(tx));
  return new Set(rows.map((r) => r.user_id));
}

/** null: no profile or config row (the user is gone). */
export async function loadUserState(sql: Sql, userId: string): Promise<UserState | InvalidConfig | null> {
  return asManager(sql, async (tx) => {
    const user = await readRunnerUser(tx, userId);
    if (!user) return null;
    const { profile, configRow } = user;
    const parsed = UserConfigRowSchema.safeParse(configRow);
    if (!parsed.success) {
      return {
        invalid: true,
        configVersion: z.coerce.number().int().catch(0).parse(configRow.config_version),
        problem: describeIssues(parsed.error.issues),
      };
    }
    const c = parsed.data;
    const secrets = await getUserSecretsDecrypted(tx, userId);
    const verdicts = await listSecretVerdicts(tx, userId);
    const verdictOf = (platform: string, isPaper: boolean) =>
      verdicts.find((v) => v.platform === platform && v.is_paper === isPaper);
    const keys: RunnerKey[] = secrets.map((s) => ({
      platform: s.platform,
      isPaper: s.is_paper,
      apiKey: s.api_key,
      apiSecret: s.api_secret,
      privateKey: s.private_key,
      additionalConfig: s.additional_config,
      validationStatus: s.validation_status,
      validationError: verdictOf(s.platform, s.is_paper)?.validation_error ?? null,
      validatedAt: verdictOf(s.platform, s.is_paper)?.last_validated_at ?? null,
    }));
    const plan: RunnerPlan = {
      tier: profile.subscription_tier,
      features: profile.features_enabled,
      liveTradingAllowed: profile.live_trading_allowed,
      maxTradeSizeUsd: profile.max_trade_size_usd,
      maxDailyLossUsd: profile.max_daily_loss_usd,
      maxPositions: profile.max_positions,
      monthlyTradeLimit: profile.monthly_trade_limit,
    };
    const config: RunnerConfig = {
      dry_run: c.dry_run,
      min_profit_pct: c.min_profit_pct,
      max_trade_size_usd: c.max_trade_size_usd,
      max_daily_loss_usd: c.max_daily_loss_usd,
      max_open_positions: c.max_open_positions,
      enable_single_platform_arb: c.enable_single_platform_arb,
      enable_cross_platform_arb: c.enable_cross_platform_arb,
      enable_overlapping_arb: c.enable_overlapping_arb,
      enable_news_arbitrage: c.enable_news_arbitrage,
      enable_copy_trading: c.enable_copy_trading,
      enable_polymarket: c.enable_polymarket,
      enable_kalshi: c.enable_kalshi,
      max_book_age_ms: c.advanced_config.maxBookAgeMs ?? 120_000,
      followed_wallets: c.advanced_config.followedWallets,
      news_rules: c.advanced_config.newsRules,
      notify_on_opportunity: c.notify_on_opportunity,
    };
    const hash = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');
    return {
      userId,
      configVersion: c.config_version,
      config,
      plan,
      keys,
      // Without when each key was last checked: a re-validation that finds a key still valid restarts nothing.
      keysFingerprint: hash(keys.map((k) => ({ ...k, validatedAt: null }))),
      planFingerprint: hash(plan),
    };
  });
}

/** Wallets whose trades this user's runner should get: copy trading on (config AND plan) on Polymarket. */
export function followedWalletsOf(state: UserState): string[] {
  return copyEnabled(state.config, state.plan.features)
    ? [...new Set(state.config.followed_wallets.map((w) => w.address.toLowerCase()))]
    : [];
}

/** Feeds this user's runner reads, each with its longest rule window (ms): news on (config AND plan), rules on enabled venues. */
export function newsFeedsOf(state: UserState): Map<string, number> {
  const out = new Map<string, number>();
  if (!newsEnabled(state.config, state.plan.features)) return out;
  for (const r of state.config.news_rules) {
    if (r.venue === 'polymarket' ? !state.config.enable_polymarket : !state.config.enable_kalshi) continue;
    out.set(r.feed, Math.max(out.get(r.feed) ?? 0, r.windowMinutes * 60_000));
  }
  return out;
}

/** `<ruleId>:<itemId>` of the news signals this user booked lately (the leg group id is `news:<ruleId>:<itemId>`). */
export function loadNewsSeenKeys(sql: Sql, userId: string): Promise<string[]> {
  return listRecentNewsSignalKeys(sql, userId);
}

/** Transaction hashes this user's copy trades mirrored lately (the opportunity id is `copy:<txHash>:<token>`). */
export function loadCopiedTxHashes(sql: Sql, userId: string): Promise<string[]> {
  return listRecentCopiedTxHashes(sql, userId);
}

/** Live Kalshi markets settled for this user whose venue payout is not recorded yet. */
export function loadUnreconciledKalshi(sql: Sql, userId: string): Promise<string[]> {
  return asManager(sql, (tx) => listUnreconciledKalshiMarkets(tx, userId));
}

/**
 * Orders of this user a previous runner wrote down but never booked: paper ones are abandoned first (their fills
 * lived only in that runner), live ones go to the new runner to reconcile with the venue (§8a.4).
 */
export async function loadUnresolvedIntents(sql: Sql, userId: string): Promise<OrderIntentRow[]> {
  return asManager(sql, async (tx) => {
    await abandonPaperIntents(tx, userId);
    return listUnresolvedIntents(tx, userId);
  });
}

/** What the runner needs to resume today's risk picture after a restart. */
export function loadRiskStart(sql: Sql, userId: string): Promise<RiskStart> {
  return readRiskStart(sql, userId);
}

/** Everything a runner's init needs besides the user's state, read at once (the fork waits for it). */
export async function loadPendingInit(sql: Sql, userId: string, state: UserState): Promise<PendingInit> {
  const [risk, copiedTxHashes, newsSeenKeys, reconcileKalshi, unresolvedIntents] = await Promise.all([
    loadRiskStart(sql, userId),
    loadCopiedTxHashes(sql, userId),
    loadNewsSeenKeys(sql, userId),
    loadUnreconciledKalshi(sql, userId),
    loadUnresolvedIntents(sql, userId),
  ]);
  return { state, risk, copiedTxHashes, newsSeenKeys, reconcileKalshi, unresolvedIntents };
}
