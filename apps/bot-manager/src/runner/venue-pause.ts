// Venue pauses in the runner: Polymarket's matching-engine restart (HTTP 425, then its post-only window) and Kalshi's
// trading/exchange pauses arrive as VenuePausedError from the live adapters (packages/venues/src/venue-errors.ts).
// A paused venue gets no orders (skip `venue_paused`) and the status says so (halt `venue_paused`, with the venue and
// when it is checked again). Checks back off exponentially (1 s, 2 s, 4 s … up to a minute): Kalshi is probed with GET /exchange/status; Polymarket has no status for the engine, so after the backoff
// the venue counts as open again and the next order is the probe (another 425 pauses it again, with a longer wait).
// The pause lifts by itself: nothing for the user to do.
import type { Opportunity, VenueId } from '@polybot/schemas';
import type { KalshiClient, kalshiExchangeStatus } from '@polybot/venues';
import type { VenuePausedError } from '@polybot/venues/errors';
import { backoffDelay } from '@polybot/venues/rate-limit';
import type { Logger } from 'pino';
import type { VenueUrls } from '../shared/ipc.ts';

const NAMES: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };

export interface VenueProbe {
  (venue: VenueId): Promise<{ trading: boolean; resumeAtMs: number | null }>;
}

/** Kalshi: GET /exchange/status (public); Polymarket: open again after the backoff (the next order tells). */
export function venueProbe(urls: VenueUrls): VenueProbe {
  // The Kalshi client (kalshi-typescript, axios) is loaded only when a Kalshi pause is probed: a paper runner never
  // loads the live adapters (runner-bundle.test.ts).
  let kalshi: Promise<{ client: KalshiClient; status: typeof kalshiExchangeStatus }> | null = null;
  return async (venue) => {
    if (venue !== 'kalshi' || !urls.kalshiApi) return { trading: true, resumeAtMs: null };
    const basePath = urls.kalshiApi;
    kalshi ??= import('@polybot/venues').then((v) => ({
      client: new v.KalshiClient({ basePath, retry: { retries: 1 } }),
      status: v.kalshiExchangeStatus,
    }));
    const k = await kalshi;
    return k.status(k.client);
  };
}

interface Pause {
  reason: string;
  retryAtMs: number;
  timer: NodeJS.Timeout;
}

export interface VenuePausesOptions {
  probe: VenueProbe;
  log: Logger;
  /** A venue paused or resumed: the status row changes (heartbeat) and waiting opportunities may go now. */
  onChange: () => void;
  baseMs?: number;
  maxMs?: number;
}

export class VenuePauses {
  private readonly paused = new Map<VenueId, Pause>();
  /** Pauses in a row per venue (reset once an order goes through): the backoff's exponent. */
  private readonly attempts = new Map<VenueId, number>();
  private stopped = false;

  constructor(private readonly o: VenuePausesOptions) {}

  /** An adapter said the venue is paused. */
  report(err: VenuePausedError, nowMs = Date.now()): void {
    if (this.stopped) return;
    const current = this.paused.get(err.venue);
    if (current) {
      current.reason = err.reason;
      return;
    }
    this.schedule(err.venue, err.reason, err.retryAfterMs, nowMs);
    this.o.log.warn({ venue: err.venue, reason: err.reason }, 'venue paused: no orders there until it trades again');
    this.o.onChange();
  }

  /** An order went through on this venue: the next pause starts its backoff from the beginning. */
  succeeded(venue: VenueId): void {
    this.attempts.delete(venue);
  }

  isPaused(venue: VenueId): boolean {
    return this.paused.has(venue);
  }

  /** Skip words for an opportunity with a leg on a paused venue; null when all its venues trade. */
  blocked(o: { legs: ReadonlyArray<Pick<Opportunity['legs'][number], 'venue'>> }): {
    code: 'venue_paused';
    reason: string;
  } | null {
    for (const venue of new Set(o.legs.map((l) => l.venue))) {
      const p = this.paused.get(venue);
      if (p) return { code: 'venue_paused', reason: `${NAMES[venue]} is paused (${p.reason}): nothing sent there` };
    }
    return null;
  }

  /** The status row's words while some venue is paused (absolute times only: they change on a new check, not a tick). */
  haltReason(): string | null {
    const parts = [...this.paused].map(
      ([venue, p]) =>
        `${NAMES[venue]} is paused (${p.reason}): no orders there until it trades again; next check at ${new Date(p.retryAtMs).toISOString().slice(11, 19)} UTC`,
    );
    return parts.length === 0 ? null : parts.join('; ');
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.paused.values()) clearTimeout(p.timer);
    this.paused.clear();
  }

  private schedule(venue: VenueId, reason: string, afterMs: number | null, nowMs: number): void {
    const attempt = this.attempts.get(venue) ?? 0;
    this.attempts.set(venue, attempt + 1);
    const base = this.o.baseMs ?? 1000;
    const max = this.o.maxMs ?? 60_000;
    // Full jitter, floored at half the base: never a tight loop against a venue that is restarting.
    const delay = Math.min(max, afterMs ?? Math.max(base / 2, backoffDelay(attempt, base, max)));
    const timer = setTimeout(() => void this.check(venue), delay);
    timer.unref();
    this.paused.set(venue, { reason, retryAtMs: nowMs + delay, timer });
  }

  private async check(venue: VenueId): Promise<void> {
    const p = this.paused.get(venue);
    if (!p || this.stopped) return;
    let status: { trading: boolean; resumeAtMs: number | null };
    try {
      status = await this.o.probe(venue);
    } catch (e) {
      status = { trading: false, resumeAtMs: null };
      this.o.log.warn({ venue, err: e instanceof Error ? e.message : String(e) }, 'venue status check failed');
    }
    if (this.stopped) return;
    if (status.trading) {
      this.paused.delete(venue);
      this.o.log.info({ venue }, 'venue trading again: orders resume');
    } else {
      // The venue's resume estimate is not a promise (Kalshi: "can be extended"): keep probing on the backoff.
      this.schedule(venue, p.reason, null, Date.now());
    }
    this.o.onChange();
  }
}
