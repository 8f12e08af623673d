// Why a running bot cannot trade right now, as one code (BotHaltCodeSchema, the status row's halt_code) and words for
// the status row's halt_reason; null when nothing stands in the way. A pure function of what the runner knows, so
// each case is unit-tested (blocked.test.ts); the web app words each code with the action to take (explain.ts). The
// words hold no clock-driven figure, so the manager can write the row as soon as they change (runner-messages.ts).
// Order: what the user's settings rule out entirely first, then the caps of the moment, then the market data, then
// live trading asked for but not possible (the bot still trades paper then).
import type { BotHaltCode, Instrument, VenueId } from '@polybot/schemas';

export interface Blocked {
  code: BotHaltCode;
  reason: string;
}

export interface BlockInputs {
  /** The venues the config enables. */
  venues: ReadonlySet<VenueId>;
  /** Some strategy is on (config toggle AND plan feature): an arbitrage kind, copy trading or news. */
  anyStrategy: boolean;
  /** Every instrument the manager sent (all venues). */
  instruments: Iterable<Instrument>;
  /** The tighter of config and plan. */
  maxTradeSizeUsd: number;
  openPositions: number;
  maxPositions: number;
  /** The risk engine's daily loss halt (its words), or null. */
  dailyLossHalt: string | null;
  /** The last denied reservation within the recheck window, or null. */
  monthlyLimit: { orders: number } | null;
  /** Dry run off and the plan allows live, but these enabled venues have no validated live key. */
  liveKeysMissing: readonly VenueId[];
  /** Dry run off but the plan does not allow live trading. */
  liveNotInPlan: boolean;
  /** The newest book timestamp among the enabled venues' instruments; null before any book. */
  newestBookMs: number | null;
  /** When the runner started: with no book at all, data counts as stale from then. */
  startedAtMs: number;
  maxBookAgeMs: number;
  nowMs: number;
  /**
   * Dry run off and the plan allows live, but the venue rejected these enabled venues' live keys (revoked, expired:
   * validation_status 'invalid'): their words and when they were checked. Optional: no venue when absent.
   */
  liveKeysInvalid?: ReadonlyArray<{ venue: VenueId; checkedAt: string | null; reason: string | null }>;
  /** A venue paused (maintenance, engine restart): venue-pause.ts's words naming it and its next check, or null. */
  venuePaused?: string | null;
}

/**
 * A complete basket pays $1 per contract at resolution and an arbitrage buys it below that, but not for less than
 * this per contract in any market we have seen: a basket of the venue's minimum size costs at least minOrderSize ×
 * this. Max trade size below that cost for every instrument of every enabled venue means no order can ever go out.
 */
export const MIN_BASKET_PRICE_USD = 0.5;
/** How long every book must have been too old before the status says the data is stale (short gaps are normal). */
export const STALE_STRETCH_MS = 60_000;

const NAMES: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };
const usd = (n: number): string => `$${n.toFixed(2)}`;

export function whyNotTrading(i: BlockInputs): Blocked | null {
  if (i.venues.size === 0) return { code: 'no_venue_enabled', reason: 'no venue is enabled' };
  if (!i.anyStrategy) return { code: 'no_strategy_enabled', reason: 'no strategy is enabled' };
  const usable = [...i.instruments].filter((x) => i.venues.has(x.venue) && x.active);
  const names = [...i.venues].map((v) => NAMES[v]).join(' or ');
  if (usable.length === 0) return { code: 'no_markets', reason: `no open markets found on ${names}` };
  const cheapest = Math.min(...usable.map((x) => x.minOrderSize * MIN_BASKET_PRICE_USD));
  if (i.maxTradeSizeUsd + 1e-9 < cheapest)
    return {
      code: 'trade_size_below_minimum',
      reason: `max trade size ${usd(i.maxTradeSizeUsd)} is below the smallest order on ${names} (about ${usd(cheapest)})`,
    };
  // A key the venue now rejects comes before the caps: they lift by themselves, the key needs the user.
  const rejected = i.liveNotInPlan ? undefined : i.liveKeysInvalid?.[0];
  if (rejected) {
    const name = NAMES[rejected.venue];
    const when = rejected.checkedAt
      ? ` on ${rejected.checkedAt.replace('T', ' ').replace(/(:\d\d)?(\.\d+)?Z$/, ' UTC')}`
      : '';
    const why = rejected.reason ? ` (${rejected.reason.replace(/\.$/, '')})` : '';
    return {
      code: 'live_key_invalid',
      reason: `${name} rejected your live key${when}${why}: live trading on ${name} stopped and the bot trades paper there. Save a new live ${name} key in Settings → API keys to trade live again.`,
    };
  }
  if (i.dailyLossHalt !== null) return { code: 'daily_loss_limit', reason: i.dailyLossHalt };
  if (i.monthlyLimit !== null)
    return {
      code: 'monthly_limit_reached',
      reason: `monthly trade limit reached: no room for ${i.monthlyLimit.orders} more orders (one per leg); no new orders that size until the limit resets or the plan changes`,
    };
  if (i.openPositions >= i.maxPositions)
    return {
      code: 'max_positions_reached',
      reason: `max open positions reached (${i.openPositions} of ${i.maxPositions}): no new positions`,
    };
  if (i.venuePaused) return { code: 'venue_paused', reason: i.venuePaused };
  const since = i.newestBookMs === null ? i.startedAtMs : i.newestBookMs + i.maxBookAgeMs;
  if ((i.newestBookMs === null || i.nowMs - i.newestBookMs > i.maxBookAgeMs) && i.nowMs - since >= STALE_STRETCH_MS)
    return {
      code: 'stale_data',
      reason:
        i.newestBookMs === null
          ? `no order book received from ${names} yet`
          : `every order book from ${names} has been older than ${i.maxBookAgeMs} ms for over ${STALE_STRETCH_MS / 1000} s`,
    };
  if (i.liveNotInPlan)
    return { code: 'live_not_in_plan', reason: 'live trading is on but the plan does not allow it: trading paper' };
  if (i.liveKeysMissing.length > 0)
    return {
      code: 'live_keys_missing',
      reason: `live trading is on but no validated live ${i.liveKeysMissing.map((v) => NAMES[v]).join(' or ')} key: trading paper there`,
    };
  return null;
}
