// The shape of scenarios/<name>/polymarket.json. Books are either explicit levels (exact prices for scripted
// opportunities) or a generated ladder behind them (realistic depth without a huge file), both deterministic.
import { z } from 'zod';
import { SmartWalletSchema } from './wallets.ts';

const Level = z.tuple([z.number().gt(0).lt(1), z.number().nonnegative()]);

export const LadderSchema = z.object({
  /** Best bid / ask of the generated ladder; null leaves that side empty (one-sided books occur near expiry). */
  bid: z.number().gt(0).lt(1).nullable(),
  ask: z.number().gt(0).lt(1).nullable(),
  levels: z.number().int().positive().default(10),
  /** Typical size per level; actual sizes vary deterministically around it. */
  size: z.number().positive().default(500),
});

export const BookSpecSchema = z.object({
  bids: z.array(Level).default([]),
  asks: z.array(Level).default([]),
  ladder: LadderSchema.optional(),
});
export type BookSpec = z.infer<typeof BookSpecSchema>;

const TokenSpecSchema = z.object({
  tokenId: z.string().regex(/^\d{1,78}$/, 'token ids are uint256 decimal strings'),
  outcome: z.string().min(1),
  book: BookSpecSchema,
});

export const FeeScheduleSchema = z.object({
  rate: z.number().nonnegative(),
  exponent: z.number().nonnegative(),
  takerOnly: z.boolean().default(true),
  rebateRate: z.number().nonnegative().default(0),
});
export type FeeSchedule = z.infer<typeof FeeScheduleSchema>;

const Hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

export const MarketSpecSchema = z.object({
  id: z.string().min(1),
  conditionId: Hex32,
  questionId: Hex32.optional(),
  question: z.string().min(1),
  slug: z.string().min(1),
  groupItemTitle: z.string().optional(),
  tickSize: z.number().positive().default(0.01),
  minOrderSize: z.number().nonnegative().default(5),
  feeSchedule: FeeScheduleSchema.nullable().default(null),
  endDate: z.string(),
  active: z.boolean().default(true),
  closed: z.boolean().default(false),
  tokens: z.tuple([TokenSpecSchema, TokenSpecSchema]),
});
export type MarketSpec = z.infer<typeof MarketSpecSchema>;

export const EventSpecSchema = z.object({
  id: z.string().min(1),
  slug: z.string().min(1),
  title: z.string().min(1),
  negRisk: z.boolean().default(false),
  negRiskMarketID: Hex32.optional(),
  endDate: z.string(),
  markets: z.array(MarketSpecSchema).min(1),
});
export type EventSpec = z.infer<typeof EventSpecSchema>;

/** Sets the scenario liquidity at one level at `atMs` after the scenario start (size 0 removes it). */
const PathStepSchema = z.object({
  atMs: z.number().int().nonnegative(),
  tokenId: z.string(),
  side: z.enum(['bid', 'ask']),
  price: z.number().gt(0).lt(1),
  size: z.number().nonnegative(),
});
export type PathStep = z.infer<typeof PathStepSchema>;

/** A followed wallet's public trade, served by the data-API once scenario time passes `atMs`. */
const WalletTradeSchema = z.object({
  atMs: z.number().int().nonnegative(),
  proxyWallet: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  name: z.string().default(''),
  side: z.enum(['BUY', 'SELL']),
  tokenId: z.string(),
  size: z.number().positive(),
  price: z.number().gt(0).lt(1),
});
export type WalletTrade = z.infer<typeof WalletTradeSchema>;

const ResolutionSchema = z.object({
  atMs: z.number().int().nonnegative(),
  conditionId: Hex32,
  winningOutcome: z.string(),
});
export type Resolution = z.infer<typeof ResolutionSchema>;

/** Generated load: `markets` binary markets (2 tokens each) whose books change `updatesPerSecond` times a second. */
const StressSchema = z.object({
  markets: z.number().int().positive(),
  updatesPerSecond: z.number().int().nonnegative(),
  levels: z.number().int().positive().default(8),
});

export const PolymarketScenarioSchema = z.object({
  seed: z.number().int(),
  /** pUSD every account gets on first sight. */
  defaultBalance: z.number().nonnegative().default(1000),
  events: z.array(EventSpecSchema).default([]),
  pricePaths: z.array(PathStepSchema).default([]),
  walletTrades: z.array(WalletTradeSchema).default([]),
  resolutions: z.array(ResolutionSchema).default([]),
  stress: StressSchema.optional(),
  /** Smart wallets (proxy / Safe / deposit wallet) and their owner EOAs, known from the start. */
  wallets: z.array(SmartWalletSchema).default([]),
  /** Start like production: EOA makers refused ("please use the deposit wallet flow"). */
  refuseEoaMakers: z.boolean().default(false),
});
export type PolymarketScenario = z.infer<typeof PolymarketScenarioSchema>;
