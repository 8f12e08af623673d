// What every benchmark reports: a percentile of its samples (nearest rank, p as a fraction: 0.5, 0.99, 1 = max).

export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}
