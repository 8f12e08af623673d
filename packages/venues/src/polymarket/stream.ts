// Market-channel book stream: one WebSocket for any number of instruments. Each instrument gets a snapshot
// (the venue's `book` message, or a REST resnapshot) and then deltas. A delta whose best bid/ask disagrees
// with our book after applying it, or that is older than what we hold, means a lost or reordered message:
// the instrument is resnapshotted over REST. A dropped connection reconnects with backoff and resubscribes,
// which makes the venue send fresh snapshots. A socket that stays open but sends no data for `silenceMs` (pings do not
// count) is dropped and reconnected the same way (hub/silence-watchdog.ts).
import WebSocket from 'ws';
import { z } from 'zod';
import { DEFAULT_SILENCE_MS, SilenceWatchdog } from '../hub/silence-watchdog.ts';
import { backoffDelay } from '../rate-limit/index.ts';
import type { BookSubscription, BookUpdate } from '../venue.ts';
import { BookSummarySchema, LocalBook, PriceChangeSchema, type BookSummary } from './book.ts';

/**
 * The market channel's lifecycle events, sent to subscriptions made with `custom_feature_enabled: true`
 * (docs/WIRE-CONTRACTS.md): a market resolved (its winning token), or a new market listed.
 */
const MarketResolvedMessage = z
  .object({
    event_type: z.literal('market_resolved'),
    market: z.string(),
    assets_ids: z.array(z.string()).default([]),
    winning_asset_id: z.string().nullish(),
    winning_outcome: z.string().nullish(),
  })
  .loose();
const NewMarketMessage = z
  .object({ event_type: z.literal('new_market'), market: z.string(), assets_ids: z.array(z.string()).default([]) })
  .loose();

export type MarketLifecycleEvent =
  | { kind: 'market_resolved'; conditionId: string; assetIds: string[]; winningAssetId: string | null }
  | { kind: 'new_market'; conditionId: string; assetIds: string[] };

const PriceChangeMessage = z
  .object({ event_type: z.literal('price_change'), timestamp: z.string(), price_changes: z.array(PriceChangeSchema) })
  .loose();

export interface BookStreamOptions {
  wsUrl: string;
  /** REST snapshot for resync (rate limited by the caller). */
  fetchBook: (assetId: string) => Promise<BookSummary>;
  onUpdate: (update: BookUpdate) => void;
  onError: (error: Error) => void;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  pingIntervalMs?: number;
  /** Lifecycle events; with a handler the subscription opts in with `custom_feature_enabled: true`. */
  onLifecycle?: (event: MarketLifecycleEvent) => void;
  /** Inbound silence (no data message; PONGs do not count) after which the socket is reconnected; default 20 s. */
  silenceMs?: number;
  /** The watchdog fired (for a log line / metric). */
  onSilence?: (silentForMs: number) => void;
}

export interface BookStreamStats {
  connects: number;
  resnapshots: number;
  /** Reconnects forced by the inbound-silence watchdog. */
  silenceReconnects: number;
}

export class PolymarketBookStream implements BookSubscription {
  private readonly wanted = new Set<string>();
  private readonly books = new Map<string, LocalBook>();
  private readonly resyncing = new Set<string>();
  private ws: WebSocket | null = null;
  private closed = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  readonly stats: BookStreamStats = { connects: 0, resnapshots: 0, silenceReconnects: 0 };
  private readonly watchdog: SilenceWatchdog;

  constructor(private readonly opts: BookStreamOptions) {
    this.watchdog = new SilenceWatchdog({
      silenceMs: opts.silenceMs ?? DEFAULT_SILENCE_MS,
      watching: () => this.ws?.readyState === WebSocket.OPEN && this.wanted.size > 0,
      onSilence: (silentForMs) => this.onSilence(silentForMs),
    });
  }

  /** Open but silent: drop the socket; the close handler clears the books and reconnects (fresh snapshots). */
  private onSilence(silentForMs: number): void {
    this.stats.silenceReconnects++;
    this.opts.onSilence?.(silentForMs);
    this.ws?.terminate();
  }

  add(instrumentIds: readonly string[]): void {
    const fresh = instrumentIds.filter((id) => !this.wanted.has(id));
    if (fresh.length === 0 || this.closed) return;
    for (const id of fresh) this.wanted.add(id);
    if (this.ws?.readyState === WebSocket.OPEN)
      this.ws.send(JSON.stringify({ assets_ids: fresh, operation: 'subscribe' }));
    else if (this.ws === null && this.reconnectTimer === null) this.connect();
  }

  remove(instrumentIds: readonly string[]): void {
    const gone = instrumentIds.filter((id) => this.wanted.delete(id));
    for (const id of gone) this.books.delete(id);
    if (gone.length > 0 && this.ws?.readyState === WebSocket.OPEN)
      this.ws.send(JSON.stringify({ assets_ids: gone, operation: 'unsubscribe' }));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopPing();
    this.watchdog.stop();
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      const done = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close();
      await done;
    }
  }

  /** Current local book (for tests and diagnostics). */
  book(assetId: string): LocalBook | undefined {
    return this.books.get(assetId);
  }

  private connect(): void {
    const ws = new WebSocket(this.opts.wsUrl);
    this.ws = ws;
    ws.on('open', () => {
      this.stats.connects++;
      if (this.wanted.size > 0)
        ws.send(
          JSON.stringify({
            assets_ids: [...this.wanted],
            type: 'market',
            ...(this.opts.onLifecycle ? { custom_feature_enabled: true } : {}),
          }),
        );
      this.startPing(ws);
      this.watchdog.start();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text === 'PONG') return;
      this.watchdog.data();
      this.attempt = 0;
      this.onMessage(text);
    });
    ws.on('error', (err) => this.opts.onError(new Error(`polymarket ws: ${err.message}`, { cause: err })));
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopPing();
      this.watchdog.stop();
      // Books are stale until the venue's fresh snapshots arrive after resubscribing.
      this.books.clear();
      this.resyncing.clear();
      if (!this.closed) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = Math.max(
      10,
      backoffDelay(this.attempt++, this.opts.reconnectBaseMs ?? 250, this.opts.reconnectMaxMs ?? 10_000),
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed && this.wanted.size > 0) this.connect();
    }, delay);
  }

  private startPing(ws: WebSocket): void {
    this.stopPing();
    this.pingTimer = setInterval(
      () => ws.readyState === WebSocket.OPEN && ws.send('PING'),
      this.opts.pingIntervalMs ?? 10_000,
    );
    this.pingTimer.unref();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.opts.onError(new Error(`polymarket ws: non-JSON message ${text.slice(0, 80)}`));
      return;
    }
    for (const event of Array.isArray(msg) ? msg : [msg]) this.onEvent(event);
  }

  private onEvent(event: unknown): void {
    const type = typeof event === 'object' && event !== null && 'event_type' in event ? event.event_type : undefined;
    if (type === 'book') {
      const parsed = BookSummarySchema.safeParse(event);
      if (!parsed.success)
        return this.opts.onError(new Error(`polymarket ws: bad book message: ${parsed.error.message}`));
      this.snapshot(parsed.data);
    } else if (type === 'price_change') {
      const parsed = PriceChangeMessage.safeParse(event);
      if (!parsed.success)
        return this.opts.onError(new Error(`polymarket ws: bad price_change: ${parsed.error.message}`));
      this.delta(Number(parsed.data.timestamp), parsed.data.price_changes);
    } else if (type === 'market_resolved' && this.opts.onLifecycle) {
      const parsed = MarketResolvedMessage.safeParse(event);
      if (!parsed.success)
        return this.opts.onError(new Error(`polymarket ws: bad market_resolved: ${parsed.error.message}`));
      this.opts.onLifecycle({
        kind: 'market_resolved',
        conditionId: parsed.data.market,
        assetIds: parsed.data.assets_ids,
        winningAssetId: parsed.data.winning_asset_id ?? null,
      });
    } else if (type === 'new_market' && this.opts.onLifecycle) {
      const parsed = NewMarketMessage.safeParse(event);
      if (!parsed.success)
        return this.opts.onError(new Error(`polymarket ws: bad new_market: ${parsed.error.message}`));
      this.opts.onLifecycle({ kind: 'new_market', conditionId: parsed.data.market, assetIds: parsed.data.assets_ids });
    }
    // last_trade_price, tick_size_change: not book state.
  }

  private snapshot(summary: BookSummary): void {
    if (!this.wanted.has(summary.asset_id)) return;
    const book = LocalBook.fromSummary(summary);
    this.books.set(summary.asset_id, book);
    this.opts.onUpdate({ book: book.toOrderBook(), kind: 'snapshot' });
  }

  private delta(timestampMs: number, changes: z.infer<typeof PriceChangeSchema>[]): void {
    const byAsset = new Map<string, typeof changes>();
    for (const c of changes) byAsset.set(c.asset_id, [...(byAsset.get(c.asset_id) ?? []), c]);
    for (const [assetId, list] of byAsset) {
      const book = this.books.get(assetId);
      if (!book || this.resyncing.has(assetId)) continue;
      if (timestampMs < book.timestampMs) {
        this.resync(assetId);
        continue;
      }
      for (const c of list) book.apply(c);
      const last = list.at(-1);
      if (last && !book.agreesWith(last)) {
        this.resync(assetId);
        continue;
      }
      book.seq++;
      book.timestampMs = timestampMs;
      this.opts.onUpdate({ book: book.toOrderBook(), kind: 'delta' });
    }
  }

  private resync(assetId: string): void {
    this.resyncing.add(assetId);
    this.stats.resnapshots++;
    this.opts.fetchBook(assetId).then(
      (summary) => {
        this.resyncing.delete(assetId);
        this.snapshot(summary);
      },
      (err: unknown) => {
        // Keep the asset marked as resyncing (deltas stay ignored) and try again later; REST already retried.
        this.books.delete(assetId);
        this.opts.onError(new Error(`polymarket: resnapshot of ${assetId} failed`, { cause: err }));
        const timer = setTimeout(() => {
          this.resyncing.delete(assetId);
          if (!this.closed && this.wanted.has(assetId)) this.resync(assetId);
        }, this.opts.reconnectMaxMs ?? 10_000);
        timer.unref();
      },
    );
  }
}
