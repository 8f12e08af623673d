// Kalshi's per-key limits by API tier (reads/s, writes/s; orders and cancels are writes). Basic is every key's
// default; higher tiers are granted by Kalshi. The client stays below the tier's limit with headroom, so a burst
// queues here instead of earning 429s.
export const KALSHI_TIERS = {
  basic: { readsPerSecond: 20, writesPerSecond: 10 },
  advanced: { readsPerSecond: 30, writesPerSecond: 30 },
  premier: { readsPerSecond: 100, writesPerSecond: 100 },
  prime: { readsPerSecond: 400, writesPerSecond: 400 },
} as const;
export type KalshiTier = keyof typeof KALSHI_TIERS;

/** The budget the client uses for a tier: 80% of each limit (never under 1/s). */
export function kalshiTierLimits(tier: KalshiTier): { readsPerSecond: number; writesPerSecond: number } {
  const t = KALSHI_TIERS[tier];
  return {
    readsPerSecond: Math.max(1, Math.floor(t.readsPerSecond * 0.8)),
    writesPerSecond: Math.max(1, Math.floor(t.writesPerSecond * 0.8)),
  };
}
