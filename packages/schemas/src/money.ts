// How an amount of dollars reads to a person, everywhere PolyBot shows one (web tables, notifications): two decimals,
// a real minus sign (U+2212) before the dollar sign, no thousands separator so columns of P&L stay compact.
export function formatUsd(amount: number): string {
  return `${amount < 0 ? '−' : ''}$${Math.abs(amount).toFixed(2)}`;
}

/** A signed P&L: "+$3.20", "−$1.05", "$0.00". */
export function formatSignedUsd(amount: number): string {
  return amount > 0 ? `+${formatUsd(amount)}` : formatUsd(amount);
}
