// Dead-man switches. A live account connected to PolyBot is the bot's: whatever rests on it (the user's own GTC
// orders, an order left by a crash) is cancelled when the bot stops. Our strategies send only FOK/FAK orders, so
// nothing of ours is meant to rest; this is for everything else.
//
// - Polymarket: while the runner trades Polymarket live it heartbeats the venue (PolymarketHeartbeat, every
//   `heartbeatMs`, 5 s by default). If the runner dies however it dies (kill -9, OOM, a hung event loop), the beats
//   stop and the venue itself cancels the account's open orders within its timeout (10 s).
// - When a venue goes live in a runner (at start, or a config turning it live), everything resting on that account is
//   cancelled first (an orphan of a runner that died, or the user's own order), before the first heartbeat.
// - On every graceful end — the manager's `stop` (suspend, pause, plan change, key rotation, the manager's SIGTERM),
//   the runner's own SIGTERM, the loss of its manager — the heartbeats stop and each venue that traded live in this
//   runner gets cancel-all (Polymarket `DELETE /cancel-all`, Kalshi its resting orders in batches), bounded by
//   `cancelTimeoutMs` so a venue that does not answer cannot hold the exit up (Polymarket's switch still fires then).
import type { VenueId } from '@polybot/schemas';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import type { Mode } from './mode.ts';
import type { TradingRouter } from './trading-router.ts';

export const VENUE_HEARTBEAT_MS = 5_000;
/** Cancel-all on stop may take this long per venue (in parallel); the manager's STOP_GRACE_MS leaves room for it. */
export const CANCEL_ALL_TIMEOUT_MS = 3_000;

interface Heartbeat {
  start(): void;
  stop(): void;
}

export class DeadMan {
  /** Venues that traded live in this runner: cancel-all goes to each of them on stop. */
  private readonly live = new Set<VenueId>();
  private heartbeat: Heartbeat | null = null;
  private starting: Promise<void> | null = null;
  private released: Promise<void> | null = null;

  constructor(
    private readonly router: Pick<TradingRouter, 'liveClient'>,
    private readonly log: Logger,
    private readonly opts: { heartbeatMs: number; cancelTimeoutMs?: number },
  ) {}

  /** The venues' modes now (at start, after each config applied): a venue going live is armed. */
  arm(venues: Readonly<Record<VenueId, Mode>>): void {
    if (this.released !== null) return;
    for (const v of ['polymarket', 'kalshi'] as const)
      if (venues[v] === 'live' && !this.live.has(v)) {
        this.live.add(v);
        // Polymarket sweeps before its first heartbeat (startHeartbeat); Kalshi has no heartbeat to wait for.
        if (v === 'kalshi') void this.sweep('kalshi');
      }
    if (this.live.has('polymarket') && !this.heartbeat && !this.starting) this.starting = this.startHeartbeat();
  }

  /**
   * A venue goes live in this runner (at start, or after a config): whatever rests on the account is an orphan — of
   * a runner that died, or the user's own — and is cancelled by the rule above. Bounded; never throws.
   */
  private async sweep(venue: VenueId): Promise<void> {
    try {
      const cancelled = await withTimeout(
        this.router.liveClient(venue).then((t) => t.cancelAll()),
        this.opts.cancelTimeoutMs ?? CANCEL_ALL_TIMEOUT_MS,
        `orphan sweep on ${venue}`,
      );
      if (cancelled > 0)
        this.log.warn({ venue, cancelled }, 'resting orders found on the live account at start: cancelled (orphans)');
    } catch (e) {
      this.log.warn({ venue, err: coerceError(e).message }, 'orphan sweep failed: resting orders may remain');
    }
  }

  private async startHeartbeat(): Promise<void> {
    try {
      const trading = await this.router.liveClient('polymarket');
      const { PolymarketHeartbeat, PolymarketTrading } = await import('@polybot/venues/polymarket');
      if (this.released !== null || !(trading instanceof PolymarketTrading)) return;
      await this.sweep('polymarket');
      if (this.released !== null) return;
      this.heartbeat = new PolymarketHeartbeat(trading.client, {
        intervalMs: this.opts.heartbeatMs,
        onError: (e) => this.log.warn({ err: coerceError(e).message }, 'Polymarket heartbeat failed'),
      });
      this.heartbeat.start();
      this.log.info({ intervalMs: this.opts.heartbeatMs }, 'Polymarket heartbeats started (dead-man switch)');
    } catch (e) {
      // No client (the venue refused the key, or did not answer): armed again at the next config or never. The
      // account's orders are still cancelled on a graceful stop.
      this.log.warn({ err: coerceError(e).message }, 'Polymarket heartbeats not started');
    } finally {
      this.starting = null;
    }
  }

  /**
   * The end: no more heartbeats, then cancel-all on each live venue, each bounded by the timeout. Never throws;
   * a second call (the manager lost during a stop) waits for the first.
   */
  release(why: string): Promise<void> {
    this.released ??= this.cancelEverything(why);
    return this.released;
  }

  private async cancelEverything(why: string): Promise<void> {
    const timeoutMs = this.opts.cancelTimeoutMs ?? CANCEL_ALL_TIMEOUT_MS;
    // A heartbeat still connecting (a venue that does not answer) is not waited for past the bound either.
    if (this.starting) await withTimeout(this.starting, timeoutMs, 'Polymarket connect').catch(() => undefined);
    this.heartbeat?.stop();
    this.heartbeat = null;
    await Promise.all(
      [...this.live].map(async (venue) => {
        try {
          const cancelled = await withTimeout(
            this.router.liveClient(venue).then((t) => t.cancelAll()),
            timeoutMs,
            `cancel-all on ${venue}`,
          );
          this.log.info({ venue, cancelled, why }, 'resting orders cancelled (cancel-all)');
        } catch (e) {
          this.log.error({ venue, why, err: coerceError(e).message }, 'cancel-all failed');
        }
      }),
    );
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(coerceError(e));
      },
    );
  });
}
