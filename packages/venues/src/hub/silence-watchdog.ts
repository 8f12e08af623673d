// Inbound-silence watchdog for a market-data socket. A WebSocket can stay open (pings answered, TCP fine) while the
// venue stops sending data: books then freeze without any error. The stream tells the watchdog about every inbound
// data message (pings/pongs do not count); after `silenceMs` without one on a socket with subscriptions, `onSilence`
// runs (the stream resubscribes or reconnects, which makes the venue send fresh snapshots). It fires again after
// another `silenceMs` if the socket stays silent.

/** Default inbound-silence window for market-data sockets (the manager overrides it with FEED_SILENCE_MS). */
export const DEFAULT_SILENCE_MS = 20_000;

export interface SilenceWatchdogOptions {
  silenceMs: number;
  /** Whether silence matters now: an open socket with subscriptions (an idle or closed one is not watched). */
  watching: () => boolean;
  /** The socket was silent for `silentForMs`: resubscribe or reconnect. */
  onSilence: (silentForMs: number) => void;
}

export class SilenceWatchdog {
  private lastDataMs = Date.now();
  private timer: NodeJS.Timeout | null = null;
  /** How often it fired (stats and tests). */
  fired = 0;

  constructor(private readonly opts: SilenceWatchdogOptions) {}

  /** An inbound data message arrived. */
  data(): void {
    this.lastDataMs = Date.now();
  }

  /** (Re)starts watching, counting silence from now (a new connection or subscription). */
  start(): void {
    this.lastDataMs = Date.now();
    if (this.timer) return;
    // Checked a few times per window: a timer reset on every message would cost more at high message rates.
    this.timer = setInterval(() => this.check(), Math.max(25, Math.floor(this.opts.silenceMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const silentFor = Date.now() - this.lastDataMs;
    if (!this.opts.watching()) {
      this.lastDataMs = Date.now();
      return;
    }
    if (silentFor < this.opts.silenceMs) return;
    this.fired++;
    this.lastDataMs = Date.now();
    this.opts.onSilence(silentFor);
  }
}
