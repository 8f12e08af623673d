// Kalshi's maintenance and pauses (docs.kalshi.com "Maintenance and Pauses"): every Thursday 3–5 AM ET a trading
// pause (no new or amended orders, cancels accepted), rarely a full exchange pause (nothing accepted). Resting orders
// stay unless placed with `cancel_order_on_pause`. `GET /exchange/status` says which: `trading_active` and
// `exchange_active`, and `exchange_estimated_resume_time` during maintenance. The error code an order gets during a
// pause is not documented on a page we could read; these codes count as "paused" (a 503 stays a transient error:
// retried, then ambiguous).
import type { VenueId } from '@polybot/schemas';
import { z } from 'zod';
import { VenuePausedError } from '../venue-errors.ts';
import type { KalshiClient } from './client.ts';

const PAUSE_CODES = new Set(['trading_is_paused', 'exchange_closed', 'exchange_paused', 'exchange_unavailable']);

/** The pause an order error (kalshiError's view of it) means, or null for any other error. */
export function kalshiPause(err: {
  status: number | null;
  code: string | null;
  message: string;
}): VenuePausedError | null {
  if (err.code === null || !PAUSE_CODES.has(err.code)) return null;
  const venue: VenueId = 'kalshi';
  return new VenuePausedError(venue, `trading paused (${err.code}: ${err.message})`);
}

const ExchangeStatusSchema = z
  .object({
    exchange_active: z.boolean(),
    trading_active: z.boolean(),
    exchange_estimated_resume_time: z.string().nullish(),
  })
  .loose();

export interface KalshiExchangeStatus {
  /** Orders are accepted: trading and the exchange both active. */
  trading: boolean;
  /** The venue's estimate of the end of maintenance, ms since epoch, or null. */
  resumeAtMs: number | null;
}

/** `GET /exchange/status` (public, a read: rate limited and retried like every read). */
export async function kalshiExchangeStatus(client: KalshiClient): Promise<KalshiExchangeStatus> {
  const raw = ExchangeStatusSchema.parse(await client.read(() => client.exchange.getExchangeStatus()));
  const resume = raw.exchange_estimated_resume_time ? Date.parse(raw.exchange_estimated_resume_time) : NaN;
  return { trading: raw.exchange_active && raw.trading_active, resumeAtMs: Number.isNaN(resume) ? null : resume };
}
