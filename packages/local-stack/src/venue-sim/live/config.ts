// The fixed parts of the `live` scenario (scenarios/live/live.json) and the timing constants of its generated world.
import { z } from 'zod';

const Hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const TokenId = z.string().regex(/^\d{1,78}$/);

const LinkedSchema = z.object({
  id: z.string().min(1),
  relation: z.enum(['equivalent', 'implies']),
  /** Starting YES price in cents of the Polymarket side (and of the Kalshi side when equivalent). */
  fair: z.number().int().min(5).max(95),
  /** For `implies` (Polymarket A implies Kalshi B): B's starting YES price in cents, above `fair`. */
  impliedFair: z.number().int().min(5).max(95).optional(),
  polymarket: z.object({
    eventId: z.string(),
    marketId: z.string(),
    conditionId: Hex32,
    yesTokenId: TokenId,
    noTokenId: TokenId,
    question: z.string(),
    slug: z.string(),
  }),
  kalshi: z.object({
    series: z.string(),
    eventTicker: z.string(),
    ticker: z.string(),
    title: z.string(),
    subTitle: z.string(),
  }),
});
export type LinkedPair = z.infer<typeof LinkedSchema>;

export const LiveConfigSchema = z.object({
  note: z.string().optional(),
  seed: z.number().int(),
  defaultBalance: z.number().nonnegative().default(1000),
  /** How long the linked markets trade before they resolve (scenario ms). */
  linkedLifetimeMs: z.number().int().positive(),
  /** Underlyings of the rotating Polymarket "above a strike" markets. */
  subjects: z
    .array(
      z.object({ symbol: z.string(), name: z.string(), price: z.number().positive(), step: z.number().positive() }),
    )
    .min(1),
  /** Cities of the rotating Kalshi temperature events (three mutually exclusive buckets each). */
  cities: z.array(z.object({ code: z.string().regex(/^[A-Z]+$/), name: z.string(), base: z.number().int() })).min(1),
  linked: z.array(LinkedSchema),
  wallets: z.array(z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/), name: z.string() })),
  news: z.array(z.object({ feed: z.string(), headlines: z.array(z.string().min(1)).min(1) })),
});
export type LiveConfig = z.infer<typeof LiveConfigSchema>;

/** Timing of the generated world (scenario ms). One driver step per TICK_MS keeps runs identical under any clock. */
export const LIVE = {
  TICK_MS: 1000,
  /** Rotating Polymarket binaries open at once; the first resolves at PM_FIRST_END_MS, then one every PM_STAGGER_MS. */
  PM_CONCURRENT: 10,
  PM_FIRST_END_MS: 100_000,
  PM_STAGGER_MS: 30_000,
  /** A replacement lists when a market resolves and trades this long. */
  PM_LIFETIME_MS: 300_000,
  /** Trading halts (outcome proposed) this long before resolution. */
  PM_PROPOSE_BEFORE_MS: 15_000,
  KALSHI_CONCURRENT: 4,
  KALSHI_FIRST_END_MS: 130_000,
  KALSHI_STAGGER_MS: 75_000,
  KALSHI_LIFETIME_MS: 300_000,
  /** After close: determined, then finalized (paid). */
  KALSHI_DETERMINE_AFTER_MS: 15_000,
  KALSHI_SETTLE_AFTER_MS: 30_000,
  /** Opportunity windows: mean gap between openings (ms) and duration range. */
  PM_SINGLE_EVERY_MS: 20_000,
  KALSHI_SINGLE_EVERY_MS: 40_000,
  CROSS_EVERY_MS: 60_000,
  OVERLAP_EVERY_MS: 90_000,
  WINDOW_MS: [20_000, 50_000] as const,
  /** Windows open only on markets with this much trading time left, so positions taken resolve within minutes. */
  WINDOW_REMAINING_MS: [45_000, 210_000] as const,
  WALLET_TRADE_EVERY_MS: 50_000,
  /** News items are generated for this horizon at load time, one every NEWS_EVERY_MS on average. */
  NEWS_HORIZON_MS: 24 * 3_600_000,
  NEWS_EVERY_MS: 150_000,
  /** Chance per tick that a market's fair price moves one cent. */
  WALK_PROBABILITY: 0.08,
} as const;
