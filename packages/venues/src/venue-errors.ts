// Errors the venue adapters throw that the runner acts on, one home for all of them (docs/ARCHITECTURE.md 8a.3).
import type { VenueId } from '@polybot/schemas';

/**
 * The venue takes no orders right now, and will again by itself: Polymarket's matching engine restarting (HTTP 425)
 * or its post-only window right after, Kalshi's trading or exchange pause (maintenance). Thrown, not returned as a
 * rejected order: nothing reached the book, and the caller should wait (retryAfterMs when the venue said how long).
 */
export class VenuePausedError extends Error {
  override readonly name = 'VenuePausedError';

  constructor(
    readonly venue: VenueId,
    /** Words for the status row, e.g. "matching engine restarting (HTTP 425)". */
    readonly reason: string,
    readonly retryAfterMs: number | null = null,
    options?: ErrorOptions,
  ) {
    super(`${venue} paused: ${reason}`, options);
  }
}

export const isVenuePaused = (e: unknown): e is VenuePausedError => e instanceof VenuePausedError;
