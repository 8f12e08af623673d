// The manager↔runner protocol. Every message crossing the IPC channel is parsed with these schemas on arrival, in
// both directions: a runner is treated as untrusted input by the manager and vice versa.
import {
  BOT_RECENT_OPPORTUNITIES,
  BotErrorCodeSchema,
  BotHaltCodeSchema,
  BotOpportunitySchema,
  type BotOpportunity,
  FeeScheduleSchema,
  FollowedWalletSchema,
  InstrumentSchema,
  MarketLinkSchema,
  IntentResolutionSchema,
  NewsRuleSchema,
  OrderBookSchema,
  OrderIntentSchema,
  OrderIntentStatusSchema,
  OrderSideSchema,
  OrderStatusSchema,
  OrderTypeSchema,
  PlanFeaturesSchema,
  SecretValidationStatusSchema,
  StrategyKindSchema,
  TierSchema,
  TradeStrategySchema,
  TradingModeSchema,
  VenueIdSchema,
} from '@polybot/schemas';
import { z } from 'zod';

/** The subset of polybot_user_config a runner acts on. */
export const RunnerConfigSchema = z.object({
  dry_run: z.boolean(),
  min_profit_pct: z.number(),
  max_trade_size_usd: z.number(),
  max_daily_loss_usd: z.number(),
  max_open_positions: z.number().int(),
  enable_single_platform_arb: z.boolean(),
  enable_cross_platform_arb: z.boolean(),
  enable_overlapping_arb: z.boolean(),
  enable_news_arbitrage: z.boolean(),
  enable_copy_trading: z.boolean(),
  enable_polymarket: z.boolean(),
  enable_kalshi: z.boolean(),
  max_book_age_ms: z.number().int().positive(),
  /** advanced_config.followedWallets: whose buys copy trading mirrors, scaled and capped per wallet. */
  followed_wallets: z.array(FollowedWalletSchema),
  /** advanced_config.newsRules: which feeds' items the news strategy acts on, and how. */
  news_rules: z.array(NewsRuleSchema),
  /** The user wants opportunity_found notifications: the runner reports new opportunities (`opportunity`). */
  notify_on_opportunity: z.boolean().optional(),
});
export type RunnerConfig = z.infer<typeof RunnerConfigSchema>;

/** What the user's plan (as copied onto their profile) lets the runner do. A change here restarts the runner. */
export const RunnerPlanSchema = z.object({
  tier: TierSchema,
  features: PlanFeaturesSchema,
  liveTradingAllowed: z.boolean(),
  maxTradeSizeUsd: z.number(),
  maxDailyLossUsd: z.number(),
  maxPositions: z.number().int(),
  monthlyTradeLimit: z.number().int(),
});
export type RunnerPlan = z.infer<typeof RunnerPlanSchema>;

export const RunnerKeySchema = z.object({
  platform: VenueIdSchema,
  isPaper: z.boolean(),
  apiKey: z.string().nullable(),
  apiSecret: z.string().nullable(),
  privateKey: z.string().nullable(),
  additionalConfig: z.record(z.string(), z.unknown()),
  validationStatus: SecretValidationStatusSchema,
  /** The venue's words when the key is invalid (validation_error); null otherwise. */
  validationError: z.string().nullable().default(null),
  /** When the key was last checked with the venue (ISO UTC); not part of the keys fingerprint (user-state.ts). */
  validatedAt: z.string().nullable().default(null),
});
export type RunnerKey = z.infer<typeof RunnerKeySchema>;

export const VenueUrlsSchema = z.object({
  polymarketClob: z.string(),
  polymarketGamma: z.string(),
  polymarketWs: z.string(),
  /** Kalshi trade-api v2 base and WebSocket URLs (public venue addresses; runners use them for live Kalshi orders). */
  kalshiApi: z.string().optional(),
  kalshiWs: z.string().optional(),
  /** Polymarket's public data-API (followed wallets' trades; polled by the manager only). */
  polymarketDataApi: z.string().optional(),
  /**
   * Kalshi's demo environment (trade-api v2 base; KALSHI_DEMO_API_URL). With it, a validated paper Kalshi key is
   * checked there and the runner paper-trades Kalshi on the demo exchange with it; without it, Kalshi paper is local.
   */
  kalshiDemoApi: z.string().optional(),
});
export type VenueUrls = z.infer<typeof VenueUrlsSchema>;

/** An intent as a (re)started runner receives it: the order as written down, and where reconciliation left it. */
export const UnresolvedIntentSchema = OrderIntentSchema.extend({ status: OrderIntentStatusSchema });
export type UnresolvedIntent = z.infer<typeof UnresolvedIntentSchema>;

/** Test-only fault injection points of a runner. */
export const RunnerTestHooksSchema = z.object({
  /** Exit hard (SIGKILL) right after the venue accepted a live order, before it is booked. */
  crashAfterSend: z.boolean().optional(),
  /** The runners of these users burn CPU without end (the CPU budget watch's test: throttled, then stopped). */
  burnCpuFor: z.array(z.uuid()).optional(),
});
export type RunnerTestHooks = z.infer<typeof RunnerTestHooksSchema>;

export const InitMessageSchema = z.object({
  type: z.literal('init'),
  userId: z.uuid(),
  configVersion: z.number().int(),
  config: RunnerConfigSchema,
  plan: RunnerPlanSchema,
  keys: z.array(RunnerKeySchema),
  instruments: z.array(InstrumentSchema),
  fees: z.record(z.string(), FeeScheduleSchema),
  /** Approved market links: what cross-platform and overlapping baskets are built from. */
  links: z.array(MarketLinkSchema),
  venueUrls: VenueUrlsSchema,
  heartbeatMs: z.number().int().positive(),
  /** Instruments of the user's open positions (readRiskStart): counted towards max open positions from the start. */
  openInstrumentIds: z.array(z.string()).max(100_000),
  pnlTodayUsd: z.number(),
  /** Transaction hashes this user's copy trades already mirrored (booked): never mirrored again after a restart. */
  copiedTxHashes: z.array(z.string().max(200)).max(5000),
  /** `<ruleId>:<itemId>` of this user's booked news trades: a restarted runner never acts on them again. */
  newsSeenKeys: z.array(z.string().max(200)).max(5000),
  /** Tickers of this user's live Kalshi settlements not reconciled with the venue yet (a restart resumes them). */
  reconcileKalshi: z.array(z.string().max(200)).max(1000).default([]),
  /**
   * Live orders of this user whose fate a previous runner did not learn (written before sending, never booked): this
   * runner asks the venue about them first (reconcile-intents.ts) and sends nothing on their instruments until then.
   * (The manager marks paper leftovers abandoned before listing these.)
   */
  unresolvedIntents: z.array(UnresolvedIntentSchema).max(500).default([]),
  /** Crash injection for tests only: set solely by startBotManager's programmatic `testHooks` option, never from env. */
  testHooks: RunnerTestHooksSchema.optional(),
  /** How often a live Polymarket runner heartbeats the venue (its dead-man switch, runner/dead-man.ts). */
  venueHeartbeatMs: z.number().int().positive().default(5000),
  /**
   * The runner's own deadline (monotonicMs(), shared/monotonic.ts): no order leaves once it has passed, and at it the
   * runner stops trading, cancels its live venues' resting orders and exits with LEASE_EXPIRED_EXIT_CODE
   * (runner/lease-guard.ts). The manager extends it with `lease` messages while it holds this user's shard.
   */
  leaseUntil: z.number(),
});
export type InitMessage = z.infer<typeof InitMessageSchema>;

/** A followed wallet's trade, as the manager's wallet poller read it from the data-API. */
export const WalletTradeSchema = z.object({
  wallet: z.string().regex(/^0x[0-9a-f]{40}$/),
  instrumentId: z.string().min(1).max(200),
  side: OrderSideSchema,
  price: z.number().gt(0).lt(1),
  size: z.number().positive(),
  timestampMs: z.number().int().nonnegative(),
  txHash: z.string().min(1).max(100),
});
export type WalletTradeMessage = z.infer<typeof WalletTradeSchema>;

/** A news item from a feed the manager polls (RSS), as the news strategy reads it. */
export const NewsItemMessageSchema = z.object({
  /** The item's guid when short and plain, else a hash of it: part of the trade's leg group id `news:<ruleId>:<id>`. */
  id: z.string().regex(/^[\w.~-]{1,64}$/),
  feed: z.string().min(1).max(100),
  headline: z.string().max(1000),
  body: z.string().max(20_000),
  /** The item's pubDate, never later than when the manager first read it (a feed's clock may run ahead). */
  publishedAtMs: z.number().int().nonnegative(),
});
export type NewsItemMessage = z.infer<typeof NewsItemMessageSchema>;

/**
 * The market universe changed (a listing, a close, a resolution): instruments added and removed, and the fee schedules
 * of the added ones. A removed instrument is never ordered again from the moment this arrives; its book is dropped and
 * the baskets, news rules and copy trading are rebuilt at the runner's next safe point (no restart).
 */
export const InstrumentsMessageSchema = z.object({
  type: z.literal('instruments'),
  added: z.array(InstrumentSchema),
  removed: z.array(z.string()),
  fees: z.record(z.string(), FeeScheduleSchema),
});
export type InstrumentsMessage = z.infer<typeof InstrumentsMessageSchema>;

/**
 * Positions of this user in these instruments were settled (their market resolved): the risk engine stops counting
 * them as open. `realizedPnlUsd` (per instrument: the user's settlements' realized P&L, as settleMarket returned it)
 * counts towards today's P&L.
 */
export const PositionsSettledMessageSchema = z.object({
  type: z.literal('positionsSettled'),
  instrumentIds: z.array(z.string()),
  realizedPnlUsd: z.record(z.string(), z.number()).optional(),
  /**
   * Kalshi tickers of settled LIVE positions: the runner reads the venue's settlements with the user's own key
   * (GET /portfolio/settlements) and the manager records the venue's payout beside ours (recordVenueSettlement).
   */
  reconcileKalshi: z.array(z.string()).max(1000).optional(),
});
export type PositionsSettledMessage = z.infer<typeof PositionsSettledMessageSchema>;

/**
 * A runner's exit code when its lease deadline passed without an extension (runner/lease-guard.ts): it stopped by
 * itself because its manager went silent or lost this user, not because it crashed (75 = EX_TEMPFAIL).
 */
export const LEASE_EXPIRED_EXIT_CODE = 75;

/**
 * `leaseUntil` of a manager that does not coordinate with others (one manager per database): a deadline that never
 * comes. The lease guard never arms a timer for it.
 */
export const NO_LEASE_DEADLINE = Number.MAX_SAFE_INTEGER;

export const ToRunnerSchema = z.discriminatedUnion('type', [
  InitMessageSchema,
  z.object({ type: z.literal('config'), configVersion: z.number().int(), config: RunnerConfigSchema }),
  z.object({ type: z.literal('book'), book: OrderBookSchema, hubAtMs: z.number() }),
  /** The approved links changed (an admin approved or withdrew one): rebuild the baskets at the next safe point. */
  z.object({ type: z.literal('links'), links: z.array(MarketLinkSchema) }),
  /** A trade of a wallet this user follows (sent only while copy trading is on for them, config AND plan). */
  z.object({ type: z.literal('walletTrade'), trade: WalletTradeSchema }),
  /** An item of a feed one of this user's news rules reads (sent only while news is on for them, config AND plan). */
  z.object({ type: z.literal('newsItem'), item: NewsItemMessageSchema }),
  InstrumentsMessageSchema,
  PositionsSettledMessageSchema,
  z.object({
    type: z.literal('dbResult'),
    id: z.number().int(),
    ok: z.boolean(),
    value: z.unknown(),
    error: z.string().nullable(),
  }),
  z.object({ type: z.literal('stop') }),
  /** Over its CPU budget (manager/cpu-budget.ts): make no decisions for `forMs` (books are still stored). */
  z.object({ type: z.literal('throttle'), forMs: z.number().int().positive().max(3_600_000) }),
  /** The manager still holds this user: the runner's deadline moves to `until` (monotonicMs(); only ever forward). */
  z.object({ type: z.literal('lease'), until: z.number() }),
]);
export type ToRunner = z.infer<typeof ToRunnerSchema>;

export const TradeRowSchema = z.object({
  clientOrderId: z.string().min(8).max(64),
  venueOrderId: z.string().nullable(),
  platform: VenueIdSchema,
  marketId: z.string(),
  marketTitle: z.string().max(300).nullable().default(null),
  instrumentId: z.string(),
  outcome: z.string().nullable(),
  side: OrderSideSchema,
  strategy: TradeStrategySchema,
  mode: TradingModeSchema,
  orderType: OrderTypeSchema,
  status: OrderStatusSchema,
  limitPrice: z.number(),
  price: z.number().nullable(),
  size: z.number(),
  filledSize: z.number(),
  fee: z.number(),
  opportunityId: z.string().nullable(),
  legGroupId: z.string().nullable(),
  rejectReason: z.string().nullable(),
});
export type TradeRow = z.infer<typeof TradeRowSchema>;

/**
 * One opportunity the runner met, already in the status row's shape (BotOpportunitySchema, snake_case like the rest
 * of polybot_bot_status.stats): the manager writes the list as it arrives.
 */
export const RecentOpportunitySchema = BotOpportunitySchema;
export type RecentOpportunity = BotOpportunity;
export const RECENT_OPPORTUNITIES = BOT_RECENT_OPPORTUNITIES;

/** A news rule of the user's config the runner does not act on, and why, in words for the user. */
export const IgnoredNewsRuleSchema = z.object({ ruleId: z.string(), reason: z.string() });
export type IgnoredNewsRule = z.infer<typeof IgnoredNewsRuleSchema>;

export const RunnerStatsSchema = z.object({
  state: z.enum(['running', 'limit_reached', 'error']),
  mode: TradingModeSchema,
  modeReason: z.string(),
  pnlTodayUsd: z.number(),
  openPositions: z.number().int(),
  tradesPlaced: z.number().int(),
  opportunitiesSeen: z.number().int(),
  haltedUntil: z.string().nullable(),
  haltReason: z.string().nullable(),
  /** The code beside haltReason (a runner's own halts: daily loss, monthly limit); null with no halt. */
  haltCode: BotHaltCodeSchema.nullable(),
  lastError: z.string().nullable(),
  /** The code beside lastError (classifyRunnerError where the error was met); null with no error. */
  lastErrorCode: BotErrorCodeSchema.nullable(),
  /** Book-update-to-decision p99 over the last 60 s (runner/decision-latency.ts); null without decisions in it. */
  decisionP99Ms: z.number().nullable(),
  decisions: z.number().int(),
  /** The last opportunities met, newest first. */
  recentOpportunities: z.array(RecentOpportunitySchema).max(RECENT_OPPORTUNITIES),
  /** Recomputed whenever the rules are (init, config applied); empty when every rule is acted on. */
  ignoredNewsRules: z.array(IgnoredNewsRuleSchema),
  /** Over its CPU budget: no decisions now (runner/decision-throttle.ts, sent by manager/cpu-budget.ts). */
  throttled: z.boolean().optional(),
  /** Pricings (book updates, looks at what waited) the CPU throttle put off since the runner started. */
  decisionsSkippedThrottled: z.number().int().nonnegative().optional(),
});
export type RunnerStats = z.infer<typeof RunnerStatsSchema>;

/** Database operations a runner may ask for. The manager binds them to the runner's own user id. */
export const DbOpSchema = z.discriminatedUnion('op', [
  /**
   * Reserve one trade of the monthly limit per order of this execution, all or nothing, before any order goes out
   * (idempotent per leg group: a group already booked is not charged again).
   */
  z.object({
    op: z.literal('reserveTrades'),
    legGroupId: z.string().min(1).max(200),
    count: z.number().int().min(1).max(64),
    /** Copy trades: a group already booked answers 'booked' (do not send it again) instead of a free pass. */
    firstOnly: z.boolean().optional(),
  }),
  /** Hand back reservations of this group's orders that were never sent (at most what the group reserved). */
  z.object({
    op: z.literal('releaseTrades'),
    legGroupId: z.string().min(1).max(200),
    count: z.number().int().min(1).max(64),
  }),
  /** Book every leg of one execution in one transaction: all or nothing. */
  z.object({ op: z.literal('recordExecution'), trades: z.array(TradeRowSchema).min(1) }),
  /**
   * Live reconciliation: what the venue says it paid this user for one settled market (Kalshi GET
   * /portfolio/settlements, read with the user's own key), recorded beside our settlement rows.
   */
  z.object({
    op: z.literal('recordVenueSettlement'),
    platform: VenueIdSchema,
    marketId: z.string().min(1).max(200),
    venuePayoutUsd: z.number().min(0).max(1e9),
    venueReference: z.string().min(1).max(200),
  }),
  /**
   * Write these orders down before they leave (one transaction). Answers which were recorded and which existed
   * already (sent before: never send those again). `newGroup`: the first order of an execution — refused (answered as
   * existing) when this leg group has any intent already, so a restarted runner never sends an opportunity twice.
   */
  z.object({
    op: z.literal('recordIntents'),
    intents: z.array(OrderIntentSchema).min(1).max(64),
    newGroup: z.boolean().optional(),
  }),
  /** Reconciliation: an unresolved intent resolved without a booking (or its fate still `unknown`, with why). */
  z.object({
    op: z.literal('resolveIntent'),
    clientOrderId: z.string().min(8).max(64),
    legGroupId: z.string().min(1).max(200),
    status: IntentResolutionSchema,
    error: z.string().max(1000).nullable(),
  }),
  /** Reconciliation: what the database holds live for this user (compared with what the venues hold). */
  z.object({ op: z.literal('livePositions') }),
]);
export type DbOp = z.infer<typeof DbOpSchema>;

/** The manager's answer to `livePositions`. */
export const LivePositionsAnswerSchema = z.array(
  z.object({ venue: VenueIdSchema, instrumentId: z.string(), size: z.number().nonnegative() }),
);

/** The manager's answer to `recordIntents`. */
export const RecordIntentsAnswerSchema = z.object({ recorded: z.array(z.string()), existing: z.array(z.string()) });

export const FromRunnerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('heartbeat'), configVersion: z.number().int(), stats: RunnerStatsSchema }),
  z.object({ type: z.literal('configAck'), configVersion: z.number().int() }),
  z.object({ type: z.literal('db'), id: z.number().int(), request: DbOpSchema }),
  z.object({ type: z.literal('stopped') }),
  /**
   * The venue answered an authentication failure (401/403, an auth error) to this runner's own key while trading:
   * the manager re-validates that venue's keys at once (key-revalidation.ts). `reason`: the venue's words, no key.
   */
  z.object({ type: z.literal('keyRejected'), venue: VenueIdSchema, reason: z.string().max(500) }),
  /**
   * An opportunity the runner met for the first time (recent.ts), sent only while the user has notify_on_opportunity
   * on: the manager emits opportunity_found, throttled per `key` (the strategy's deterministic opportunity id) in SQL.
   */
  z.object({
    type: z.literal('opportunity'),
    key: z.string().min(1).max(500),
    strategy: StrategyKindSchema,
    description: z.string().min(1).max(500),
    expectedProfitUsd: z.number(),
  }),
]);
export type FromRunner = z.infer<typeof FromRunnerSchema>;
