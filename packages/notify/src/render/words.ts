// Small wording helpers shared by the content modules.
import type { VenueId } from '@polybot/schemas';

export const VENUE_NAMES: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };

/** Contract counts: whole numbers as is, fractions to at most two decimals. */
export function count(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "2026-12-05 10:02 UTC", as the web app writes times. */
export function utcMinute(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "Friday, December 4, 2026" for a YYYY-MM-DD day (a calendar date: no time zone shift). */
export function longDay(date: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}
