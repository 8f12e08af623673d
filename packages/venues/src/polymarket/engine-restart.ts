// Polymarket's matching-engine restarts (docs.polymarket.com "Matching Engine Restarts"): weekly and unscheduled,
// about 90 s during which every order endpoint answers HTTP 425 (Too Early), then about 2 minutes of post-only mode in
// which cancels are accepted and orders without `postOnly: true` are rejected. We never send post-only orders (an
// arbitrage takes liquidity), so both phases mean: the venue is paused for us. The docs give no exact error text for
// the post-only rejection; any 4xx whose error mentions post-only counts (we never send post-only orders, so no other
// post-only error can come back).
import { ApiError } from '@polymarket/clob-client-v2';
import { VenuePausedError } from '../venue-errors.ts';

/** The pause an error from an order endpoint means, or null for any other error. */
export function polymarketPause(e: unknown): VenuePausedError | null {
  if (!(e instanceof ApiError) || e.status === undefined) return null;
  if (e.status === 425)
    return new VenuePausedError('polymarket', 'matching engine restarting (HTTP 425)', null, { cause: e });
  if (e.status >= 400 && e.status < 500 && /post[- ]?only/i.test(e.message))
    return new VenuePausedError('polymarket', 'post-only mode after a matching engine restart', null, { cause: e });
  return null;
}
