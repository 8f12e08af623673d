// Number formats of the positions page (money itself is labels.ts `money`).

/** A price per contract, 0–1 USD. */
export const price = (v: number): string => v.toFixed(3);

/** Contracts: whole numbers without decimals, fractions to what the column stores. */
export const size = (v: number): string =>
  Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 6 });

export const pnlClass = (v: number | null): string => (v === null || Math.abs(v) < 0.005 ? '' : v < 0 ? 'neg' : 'pos');

/** "12s ago", "5m ago", "3h ago", "2d ago", measured from the render's `now` (server and browser agree). */
export function ago(at: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}
