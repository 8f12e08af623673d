// Test control for "a socket that stays open but sends nothing" (POST /_sim/<venue>/silence {ms}): every market-data
// connection open now goes quiet — pings are still answered, the socket stays open, no data or acks are sent — and
// stays quiet until the client subscribes again after the window (a resubscribe on that socket or a new connection).
// Connections opened during the window are quiet too. The window is wall-clock time: scenario time may stand still.
import { z } from 'zod';

export const SilenceBodySchema = z.object({ ms: z.number().int().min(0).max(600_000) });

export class FeedSilence<C extends object> {
  private untilMs = 0;
  private readonly quiet = new WeakSet<C>();

  /** Silences every connection in `open` (and any opened in the next `ms`). */
  silence(ms: number, open: Iterable<C>): { silenced: number; untilMs: number } {
    this.untilMs = Date.now() + ms;
    let silenced = 0;
    for (const c of open) {
      this.quiet.add(c);
      silenced++;
    }
    return { silenced, untilMs: this.untilMs };
  }

  /** A new connection: quiet while the window lasts. */
  accepted(c: C): void {
    if (Date.now() < this.untilMs) this.quiet.add(c);
  }

  /** The client (re)subscribed: after the window this brings the connection back (its snapshots are sent). */
  subscribed(c: C): void {
    if (Date.now() >= this.untilMs) this.quiet.delete(c);
  }

  /** Whether data for this connection is dropped. */
  mutes(c: C): boolean {
    return this.quiet.has(c);
  }
}
