// Polymarket's dead-man switch, client side: once a user has sent a heartbeat, the venue cancels all their open
// orders if no valid heartbeat follows within 10 s. clob-client-v2's postHeartbeat(heartbeatId) posts
// `POST /v1/heartbeats {"heartbeat_id": …}` (L2-signed); the first sends "" and every answer carries the id the next
// one must send (it rotates each time). A refused id (400 "Invalid Heartbeat ID": the chain expired, or another
// process of the same user restarted it) starts a fresh chain with "". A failed beat is retried at the next tick with
// the same id: while the venue has not answered we do not know whether it rotated it.
import { ApiError, type ClobClient } from '@polymarket/clob-client-v2';

export interface HeartbeatOptions {
  /** Between beats; well inside the venue's 10 s (the platform uses 5 s). */
  intervalMs: number;
  /** A beat that failed (network, 5xx, 401): logged by the caller; the loop goes on. */
  onError?: (error: unknown) => void;
}

export class PolymarketHeartbeat {
  private id = '';
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  /** Beats the venue acknowledged (tests and logs). */
  acknowledged = 0;

  constructor(
    private readonly client: Pick<ClobClient, 'postHeartbeat'>,
    private readonly opts: HeartbeatOptions,
  ) {}

  /** Beats at once, then every `intervalMs` until stop(). */
  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
  }

  /** No more beats (the venue cancels the user's open orders once its timeout passes, unless they are cancelled first). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  private tick(): void {
    // One beat at a time: a slow answer must not race the next beat with a stale id.
    if (this.inFlight) return;
    this.inFlight = this.beat()
      .catch((e: unknown) => this.opts.onError?.(e))
      .finally(() => {
        this.inFlight = null;
      });
  }

  async beat(): Promise<void> {
    try {
      this.id = (await this.client.postHeartbeat(this.id)).heartbeat_id;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 400 || this.id === '') throw e;
      this.id = (await this.client.postHeartbeat('')).heartbeat_id;
    }
    this.acknowledged++;
  }
}
