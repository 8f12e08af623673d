// Market-data and trading shapes shared by venues, strategies, the simulator and the runner.
// Prices are probabilities in dollars per contract (0..1), sizes are contracts (shares), both plain numbers:
// adapters convert the venues' decimal strings at the boundary and nothing downstream parses strings again.
import { z } from 'zod';

export const VenueIdSchema = z.enum(['polymarket', 'kalshi']);
export type VenueId = z.infer<typeof VenueIdSchema>;

export const OutcomeSideSchema = z.enum(['yes', 'no']);
export type OutcomeSide = z.infer<typeof OutcomeSideSchema>;

/** One price level. */
export const BookLevelSchema = z.object({
  price: z.number().gt(0).lt(1),
  size: z.number().positive(),
});
export type BookLevel = z.infer<typeof BookLevelSchema>;

/**
 * A full order book for one instrument (a Polymarket token, or one side of a Kalshi market expressed as its own
 * instrument). `bids` best (highest) first, `asks` best (lowest) first — adapters sort; the venues do not agree.
 */
export const OrderBookSchema = z.object({
  venue: VenueIdSchema,
  /** Polymarket: token id. Kalshi: `${ticker}:yes` / `${ticker}:no`. */
  instrumentId: z.string().min(1),
  bids: z.array(BookLevelSchema),
  asks: z.array(BookLevelSchema),
  /** Venue timestamp of the last change, ms since epoch. Strategies treat old books as stale. */
  timestampMs: z.number().int().nonnegative(),
  /** Monotonic per-instrument sequence as seen by our adapter (resets on resnapshot). */
  seq: z.number().int().nonnegative(),
});
export type OrderBook = z.infer<typeof OrderBookSchema>;

/** A tradeable binary outcome on one venue. */
export const InstrumentSchema = z.object({
  venue: VenueIdSchema,
  instrumentId: z.string().min(1),
  /** Polymarket conditionId / Kalshi market ticker. */
  marketId: z.string().min(1),
  /** Polymarket event id (neg-risk grouping) / Kalshi event ticker. */
  eventId: z.string().min(1).nullable(),
  side: OutcomeSideSchema,
  /** The instrument paying out on the other outcome of the same market (YES token <-> NO token). */
  complementId: z.string().min(1).nullable(),
  title: z.string(),
  outcome: z.string(),
  /** True when the event's markets are mutually exclusive and exhaustive (Polymarket negRisk, Kalshi mutually_exclusive). */
  mutuallyExclusive: z.boolean(),
  tickSize: z.number().positive(),
  minOrderSize: z.number().nonnegative(),
  closeTime: z.string().nullable(),
  active: z.boolean(),
});
export type Instrument = z.infer<typeof InstrumentSchema>;

export const OrderTypeSchema = z.enum(['FOK', 'FAK', 'GTC']);
export type OrderType = z.infer<typeof OrderTypeSchema>;
export const OrderSideSchema = z.enum(['buy', 'sell']);
export type OrderSide = z.infer<typeof OrderSideSchema>;
/** How an order ended (OrderResult) and what a trade row records (polybot_trades.status). */
export const OrderStatusSchema = z.enum(['filled', 'partially_filled', 'resting', 'cancelled', 'rejected']);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;
/** Paper (simulated fills) or live (real orders): a trade's, a position's and the bot's mode. */
export const TradingModeSchema = z.enum(['paper', 'live']);
export type TradingMode = z.infer<typeof TradingModeSchema>;

/** What execution is asked to do. Always a BUY of an outcome instrument at or below a limit price. */
export const OrderRequestSchema = z.object({
  venue: VenueIdSchema,
  instrumentId: z.string().min(1),
  side: OrderSideSchema,
  limitPrice: z.number().gt(0).lt(1),
  size: z.number().positive(),
  orderType: OrderTypeSchema,
  /** Idempotency key: the same id never produces two orders or two booked trades. */
  clientOrderId: z.string().min(8).max(64),
});
export type OrderRequest = z.infer<typeof OrderRequestSchema>;

export const FillSchema = z.object({
  venue: VenueIdSchema,
  instrumentId: z.string().min(1),
  clientOrderId: z.string(),
  venueOrderId: z.string().nullable(),
  side: OrderSideSchema,
  price: z.number().gt(0).lt(1),
  size: z.number().positive(),
  fee: z.number().nonnegative(),
  timestampMs: z.number().int().nonnegative(),
});
export type Fill = z.infer<typeof FillSchema>;

export const OrderResultSchema = z.object({
  clientOrderId: z.string(),
  venueOrderId: z.string().nullable(),
  status: OrderStatusSchema,
  filledSize: z.number().nonnegative(),
  averagePrice: z.number().nonnegative().nullable(),
  fees: z.number().nonnegative(),
  fills: z.array(FillSchema),
  rejectReason: z.string().nullable(),
});
export type OrderResult = z.infer<typeof OrderResultSchema>;

/** The strategies that find opportunities (what an opportunity, a plan feature and a config toggle are about). */
export const StrategyKindSchema = z.enum(['single_platform', 'cross_platform', 'overlapping', 'news', 'copy_trading']);
export type StrategyKind = z.infer<typeof StrategyKindSchema>;

/**
 * What a trade row may carry in polybot_trades.strategy: the strategy that placed the order, or `unwind` for the
 * leg-risk clean-up of an arbitrage whose legs did not all fill. No opportunity is ever of kind `unwind`, so the two
 * enums stay apart. supabase/tests/enums.test.ts checks this list against the table's CHECK.
 */
export const TradeStrategySchema = z.enum([...StrategyKindSchema.options, 'unwind']);
export type TradeStrategy = z.infer<typeof TradeStrategySchema>;

export const OpportunityLegSchema = z.object({
  venue: VenueIdSchema,
  instrumentId: z.string().min(1),
  side: z.literal('buy'),
  size: z.number().positive(),
  /** Volume-weighted average price over the book levels consumed. */
  vwap: z.number().gt(0).lt(1),
  /** Worst level price consumed: the limit price to send. */
  limitPrice: z.number().gt(0).lt(1),
  fee: z.number().nonnegative(),
});
export type OpportunityLeg = z.infer<typeof OpportunityLegSchema>;

export const OpportunitySchema = z.object({
  /** Deterministic id: same inputs, same id (lets a runner skip an opportunity it already acted on). */
  id: z.string().min(1),
  strategy: StrategyKindSchema,
  legs: z.array(OpportunityLegSchema).min(1),
  /** Total cost including fees, dollars. */
  cost: z.number().nonnegative(),
  /** Guaranteed (arbitrage) or expected (directional) profit after fees, dollars. */
  expectedProfit: z.number(),
  /** expectedProfit / cost * 100. */
  profitPct: z.number(),
  detectedAtMs: z.number().int().nonnegative(),
  description: z.string(),
});
export type Opportunity = z.infer<typeof OpportunitySchema>;

/** Admin-approved relation between two markets (table polybot_market_links). */
export const MarketLinkSchema = z.object({
  id: z.number().int().positive(),
  relation: z.enum(['equivalent', 'implies']),
  /** For 'implies': A implies B. For 'equivalent': the same proposition on two venues. */
  aVenue: VenueIdSchema,
  aMarketId: z.string().min(1),
  bVenue: VenueIdSchema,
  bMarketId: z.string().min(1),
  approved: z.boolean(),
});
export type MarketLink = z.infer<typeof MarketLinkSchema>;

/** Review state of a stored link (polybot_market_links.status): only 'approved' is ever traded. */
export const MarketLinkStatusSchema = z.enum(['proposed', 'approved', 'rejected']);
export type MarketLinkStatus = z.infer<typeof MarketLinkStatusSchema>;

/** Who created a link row (polybot_market_links.proposed_by): an admin, or the periodic matcher. */
export const MarketLinkProposerSchema = z.enum(['admin', 'matcher']);
export type MarketLinkProposer = z.infer<typeof MarketLinkProposerSchema>;

/** An admin's review decision (public.admin_review_market_link's p_decision). */
export const MarketLinkDecisionSchema = z.enum(['approved', 'rejected']);
export type MarketLinkDecision = z.infer<typeof MarketLinkDecisionSchema>;

/**
 * A link the matcher proposes for an admin to review (stored with status 'proposed', i.e. `approved: false`).
 * Titles are for the reviewer in Studio; score and reasons say why the matcher thinks the markets are the same.
 */
export const MarketLinkProposalSchema = z.object({
  relation: MarketLinkSchema.shape.relation,
  aVenue: VenueIdSchema,
  aMarketId: z.string().min(1).max(200),
  aTitle: z.string().nullable(),
  bVenue: VenueIdSchema,
  bMarketId: z.string().min(1).max(200),
  bTitle: z.string().nullable(),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type MarketLinkProposal = z.infer<typeof MarketLinkProposalSchema>;
