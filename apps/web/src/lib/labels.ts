// How stored values read to a person: one place, so the table, the filters and the detail page say the same thing.
import type { OrderStatus, TradeStrategy, TradingMode, VenueId } from '@polybot/schemas';
import { formatUsd } from '@polybot/schemas';

export const PLATFORM_LABELS: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };

/** Keyed by the shared enum: a strategy added to @polybot/schemas does not compile until it has a label here. */
export const STRATEGY_LABELS: Record<TradeStrategy, string> = {
  single_platform: 'Single-platform',
  cross_platform: 'Cross-platform',
  overlapping: 'Overlapping',
  news: 'News',
  copy_trading: 'Copy',
  unwind: 'Unwind',
};

export const MODE_LABELS: Record<TradingMode, string> = { paper: 'Paper', live: 'Live' };

export const STATUS_LABELS: Record<OrderStatus, string> = {
  filled: 'Filled',
  partially_filled: 'Partly filled',
  resting: 'Resting',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
};

/** Unknown values (a strategy added later) show as stored rather than disappearing. */
export function label(map: Record<string, string>, value: string): string {
  return map[value] ?? value;
}

/** Dollars as every PolyBot surface writes them (notifications too); null (not known yet) is a dash. */
export function money(v: number | null): string {
  return v === null ? '—' : formatUsd(v);
}

/** "2026-11-25 05:16 UTC" */
export function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
