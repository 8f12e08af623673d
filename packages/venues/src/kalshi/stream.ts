// Kalshi's orderbook_delta WebSocket as a BookSubscription: one subscription (sid) for every wanted ticker, a
// snapshot per ticker, then deltas. `seq` must grow by exactly 1 per sid; on a gap we drop the subscription and
// subscribe again (fresh snapshots). A closed socket reconnects with exponential backoff and resubscribes. A socket that
// stays open but sends no data for `silenceMs` (pongs do not count) is resubscribed the same way
// (hub/silence-watchdog.ts).
import { constants, sign } from 'node:crypto';
import { WebSocket } from 'ws';
import { z } from 'zod';
import type { OrderBook } from '@polybot/schemas';
import { DEFAULT_SILENCE_MS, SilenceWatchdog } from '../hub/silence-watchdog.ts';
import { backoffDelay } from '../rate-limit/index.ts';
import type { BookSubscription, BookUpdate } from '../venue.ts';
import type { KalshiCredentials } from './client.ts';
import { bidsFromLevels, roundPrice, sideBook, splitInstrumentId, type BidsOnly } from './parse.ts';

export interface StreamOptions {
  wsUrl: string;
  credentials: KalshiCredentials;
  onUpdate: (update: BookUpdate) => void;
  onError: (error: Error) => void;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Inbound silence (no data message) after which every ticker is resubscribed; default 20 s. */
  silenceMs?: number;
  /** The silence watchdog fired (log line / metric). */
  onSilence?: (silentForMs: number) => void;
}

const HEARTBEAT_MS = 15_000;

const Num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const Levels = z.array(z.tuple([Num, Num])).nullish();
const Message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribed'), id: z.number().optional(), msg: z.object({ sid: z.number() }) }),
  z.object({
    type: z.literal('orderbook_snapshot'),
    sid: z.number(),
    seq: z.number(),
    msg: z.object({ market_ticker: z.string(), yes_dollars_fp: Levels, no_dollars_fp: Levels }),
  }),
  z.object({
    type: z.literal('orderbook_delta'),
    sid: z.number(),
    seq: z.number(),
    msg: z.object({
      market_ticker: z.string(),
      price_dollars: Num,
      delta_fp: Num,
      side: z.enum(['yes', 'no']),
      ts: z.string().optional(),
    }),
  }),
  z.object({
    type: z.literal('error'),
    id: z.number().optional(),
    msg: z.object({ code: z.number().optional(), msg: z.string().optional() }),
  }),
  z.object({ type: z.literal('unsubscribed'), sid: z.number().optional() }),
  z.object({ type: z.literal('ok'), sid: z.number().optional() }),
]);

export function kalshiWsHeaders(
  credentials: KalshiCredentials,
  pathname: string,
  nowMs = Date.now(),
): Record<string, string> {
  const ts = String(nowMs);
  const signature = sign('sha256', Buffer.from(`${ts}GET${pathname}`), {
    key: credentials.privateKeyPem,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString('base64');
  return {
    'KALSHI-ACCESS-KEY': credentials.keyId,
    'KALSHI-ACCESS-TIMESTAMP': ts,
    'KALSHI-ACCESS-SIGNATURE': signature,
  };
}

interface TickerState {
  sides: Set<'yes' | 'no'>;
  book: BidsOnly | null;
  seq: number;
  tsMs: number;
}

export class KalshiBookStream implements BookSubscription {
  private ws: WebSocket | null = null;
  private readonly tickers = new Map<string, TickerState>();
  private sid: number | null = null;
  private lastSeq = 0;
  private pendingId: number | null = null;
  /** Tickers asked of the venue on the current connection (so adds during a pending subscribe are not lost). */
  private requested = new Set<string>();
  private nextId = 1;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;
  /** Resubscriptions after a seq gap and reconnects (for stats and tests). */
  resyncs = 0;
  reconnects = 0;
  /** Resubscriptions forced by the inbound-silence watchdog. */
  silenceResubscribes = 0;
  private readonly watchdog: SilenceWatchdog;

  constructor(private readonly opts: StreamOptions) {
    this.watchdog = new SilenceWatchdog({
      silenceMs: opts.silenceMs ?? DEFAULT_SILENCE_MS,
      watching: () => this.isOpen() && this.tickers.size > 0,
      onSilence: (silentForMs) => {
        // Open but silent: a fresh subscription makes the venue send every book again as a snapshot.
        this.silenceResubscribes++;
        this.opts.onSilence?.(silentForMs);
        this.subscribeAll();
      },
    });
    this.connect();
  }

  add(instrumentIds: readonly string[]): void {
    const fresh: string[] = [];
    for (const id of instrumentIds) {
      const { ticker, side } = splitInstrumentId(id);
      let st = this.tickers.get(ticker);
      if (!st) {
        st = { sides: new Set(), book: null, seq: 0, tsMs: 0 };
        this.tickers.set(ticker, st);
        fresh.push(ticker);
      }
      if (!st.sides.has(side)) {
        st.sides.add(side);
        // A side added to a ticker we already stream starts from the book we hold.
        if (st.book) this.emit(ticker, st, 'snapshot', [side]);
      }
    }
    if (fresh.length === 0 || !this.isOpen()) return;
    if (this.sid !== null) this.addMarkets(fresh);
    else if (this.pendingId === null) this.subscribeAll();
    // else: the pending subscribe's answer adds what is missing (see onMessage).
  }

  remove(instrumentIds: readonly string[]): void {
    const gone: string[] = [];
    for (const id of instrumentIds) {
      const { ticker, side } = splitInstrumentId(id);
      const st = this.tickers.get(ticker);
      if (!st) continue;
      st.sides.delete(side);
      if (st.sides.size === 0) {
        this.tickers.delete(ticker);
        this.requested.delete(ticker);
        gone.push(ticker);
      }
    }
    if (gone.length > 0 && this.sid !== null && this.isOpen()) {
      this.send({
        id: this.nextId++,
        cmd: 'update_subscription',
        params: { sids: [this.sid], market_tickers: gone, action: 'delete_markets' },
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.watchdog.stop();
    const ws = this.ws;
    this.ws = null;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  private connect(): void {
    if (this.closed) return;
    const pathname = new URL(this.opts.wsUrl).pathname;
    const ws = new WebSocket(this.opts.wsUrl, { headers: kalshiWsHeaders(this.opts.credentials, pathname) });
    this.ws = ws;
    this.sid = null;
    this.pendingId = null;
    // A half-open TCP connection never closes by itself: ping, and give up on a socket silent for two periods.
    let alive = true;
    ws.on('open', () => {
      if (this.tickers.size > 0) this.subscribeAll();
      this.watchdog.start();
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => {
        if (!alive) ws.terminate();
        alive = false;
        ws.ping();
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    });
    ws.on('pong', () => (alive = true));
    ws.on('message', (data) => {
      alive = true;
      this.watchdog.data();
      this.onMessage(String(data));
    });
    ws.on('unexpected-response', (_req, res) => {
      this.opts.onError(new Error(`kalshi ws: handshake refused with HTTP ${res.statusCode ?? '?'}`));
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => this.opts.onError(err));
    ws.on('close', () => {
      if (this.ws !== ws || this.closed) return;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      this.watchdog.stop();
      this.ws = null;
      const delay = backoffDelay(this.attempt++, this.opts.baseDelayMs, this.opts.maxDelayMs);
      this.reconnects++;
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  private addMarkets(tickers: readonly string[]): void {
    if (this.sid === null || tickers.length === 0) return;
    for (const t of tickers) this.requested.add(t);
    this.send({
      id: this.nextId++,
      cmd: 'update_subscription',
      params: { sids: [this.sid], market_tickers: tickers, action: 'add_markets' },
    });
  }

  private isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  private send(cmd: Record<string, unknown>): void {
    this.ws?.send(JSON.stringify(cmd));
  }

  /** Drop the current subscription (if any) and subscribe to everything again: every book restarts from a snapshot. */
  private subscribeAll(): void {
    if (this.sid !== null) this.send({ id: this.nextId++, cmd: 'unsubscribe', params: { sids: [this.sid] } });
    this.sid = null;
    this.lastSeq = 0;
    if (this.tickers.size === 0) return;
    this.pendingId = this.nextId++;
    this.requested = new Set(this.tickers.keys());
    this.send({
      id: this.pendingId,
      cmd: 'subscribe',
      params: { channels: ['orderbook_delta'], market_tickers: [...this.tickers.keys()] },
    });
  }

  private onMessage(text: string): void {
    let parsed;
    try {
      parsed = Message.safeParse(JSON.parse(text));
    } catch {
      this.opts.onError(new Error('kalshi ws: non-JSON message'));
      return;
    }
    if (!parsed.success) return; // other channels / message types we do not use
    const m = parsed.data;
    switch (m.type) {
      case 'subscribed':
        if (m.id !== this.pendingId) return;
        this.pendingId = null;
        this.sid = m.msg.sid;
        this.lastSeq = 0;
        this.addMarkets([...this.tickers.keys()].filter((t) => !this.requested.has(t)));
        return;
      case 'error':
        this.opts.onError(new Error(`kalshi ws error ${m.msg.code ?? '?'}: ${m.msg.msg ?? ''}`));
        return;
      case 'orderbook_snapshot':
      case 'orderbook_delta': {
        if (m.sid !== this.sid) return; // a subscription we already dropped
        if (m.seq !== this.lastSeq + 1) {
          this.resyncs++;
          this.subscribeAll();
          return;
        }
        this.lastSeq = m.seq;
        const st = this.tickers.get(m.msg.market_ticker);
        if (!st) return;
        if (m.type === 'orderbook_snapshot') {
          st.book = bidsFromLevels(m.msg.yes_dollars_fp ?? [], m.msg.no_dollars_fp ?? []);
          st.seq = 0;
          st.tsMs = Date.now();
          this.attempt = 0;
          this.emit(m.msg.market_ticker, st, 'snapshot', [...st.sides]);
          return;
        }
        if (!st.book) return;
        const side = m.msg.side === 'yes' ? st.book.yes : st.book.no;
        const price = roundPrice(m.msg.price_dollars);
        const size = Math.round(((side.get(price) ?? 0) + m.msg.delta_fp) * 100) / 100;
        if (size > 0) side.set(price, size);
        else side.delete(price);
        st.seq++;
        st.tsMs = m.msg.ts ? Date.parse(m.msg.ts) || Date.now() : Date.now();
        this.emit(m.msg.market_ticker, st, 'delta', [...st.sides]);
        return;
      }
      default:
        return;
    }
  }

  private emit(ticker: string, st: TickerState, kind: BookUpdate['kind'], sides: ReadonlyArray<'yes' | 'no'>): void {
    if (!st.book) return;
    for (const side of sides) {
      const book: OrderBook = {
        venue: 'kalshi',
        instrumentId: `${ticker}:${side}`,
        ...sideBook(st.book, side),
        timestampMs: st.tsMs,
        seq: st.seq,
      };
      this.opts.onUpdate({ book, kind });
    }
  }
}
