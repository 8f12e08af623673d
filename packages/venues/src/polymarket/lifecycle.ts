// Polymarket market lifecycle from Gamma: where each market stands (`closed`, `acceptingOrders`, `outcomePrices`,
// `umaResolutionStatus`). A market is resolved once it is closed, its UMA resolution says "resolved" and its outcome
// prices are final (["1","0"], or ["0.5","0.5"] for a 50-50). Before that (proposed, disputed) it is only closed.
import { z } from 'zod';
import { GammaMarketSchema } from './gamma.ts';

const JsonNumbers = z.string().transform((text, ctx) => {
  try {
    const parsed = z.array(z.union([z.string(), z.number()]).transform(Number)).safeParse(JSON.parse(text));
    if (parsed.success && parsed.data.every((n) => Number.isFinite(n))) return parsed.data;
  } catch {
    // fall through
  }
  ctx.addIssue({ code: 'custom', message: `expected a JSON-encoded number array, got ${text.slice(0, 40)}` });
  return z.NEVER;
});

const MarketStateWire = GammaMarketSchema.extend({
  outcomePrices: JsonNumbers.nullish(),
  umaResolutionStatus: z.string().nullish(),
});

export interface PolymarketMarketState {
  conditionId: string;
  /** Trading has ended (closed, or not accepting orders). */
  closed: boolean;
  /** The outcome is final: closed, UMA resolution `resolved`, outcome prices present. */
  resolved: boolean;
  /** Token ids in outcome order (clobTokenIds). */
  tokens: string[];
  outcomes: string[];
  /** Per token, what it pays (after resolution: 1/0, 0.5/0.5); null while unknown. */
  outcomePrices: number[] | null;
  umaResolutionStatus: string | null;
}

export function parseMarketState(raw: unknown): PolymarketMarketState {
  const m = MarketStateWire.parse(raw);
  const closed = m.closed || m.acceptingOrders === false || !m.active;
  const prices = m.outcomePrices ?? null;
  const tokens = m.clobTokenIds ?? [];
  return {
    conditionId: m.conditionId,
    closed,
    resolved:
      m.closed &&
      m.umaResolutionStatus === 'resolved' &&
      prices !== null &&
      prices.length === tokens.length &&
      tokens.length > 0,
    tokens,
    outcomes: m.outcomes ?? [],
    outcomePrices: prices,
    umaResolutionStatus: m.umaResolutionStatus ?? null,
  };
}
