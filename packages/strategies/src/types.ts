// Inputs shared by the strategies. Everything is plain data plus a fee lookup, so a strategy is a pure function of
// what the runner already holds in memory.
import type { FeeSchedule, Instrument, OrderBook, StrategyKind, VenueId } from '@polybot/schemas';

/** Which fee schedule applies to an instrument (resolved by the runner with `resolveFeeSchedule`). */
export type FeeLookup = (instrument: Instrument) => FeeSchedule;

export interface MarketSnapshot {
  /** By instrumentId. */
  instruments: ReadonlyMap<string, Instrument>;
  /** By instrumentId; bids best first, asks best first. */
  books: ReadonlyMap<string, OrderBook>;
  fees: FeeLookup;
}

export interface ArbParams {
  /** Drop opportunities whose profit / cost × 100 is below this (exactly equal is kept). */
  minProfitPct: number;
  /** Upper bound on total cost including fees of one opportunity, dollars. */
  maxTradeSizeUsd: number;
  /** A book whose timestampMs is older than nowMs − maxBookAgeMs is ignored. */
  maxBookAgeMs: number;
}

/**
 * A basket: buy the same size of every leg; whatever happens, the basket pays at least `minPayout` per unit.
 * Every arbitrage here (binary, neg-risk/exclusive event, cross-venue, implies) is one of these.
 */
export interface BasketPlan {
  /** Stable id of the basket (not of a priced opportunity). */
  id: string;
  strategy: StrategyKind;
  instrumentIds: readonly string[];
  /** Guaranteed payout per unit for arbitrage; for a directional bet, the believed probability that it pays 1. */
  minPayout: number;
  description: string;
}

/** Contracts are whole on Kalshi; Polymarket sizes go to 2 decimals. */
export function lotSize(venue: VenueId): number {
  return venue === 'kalshi' ? 1 : 0.01;
}
