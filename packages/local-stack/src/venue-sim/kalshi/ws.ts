// Kalshi's market-data WebSocket (/trade-api/ws/v2). `orderbook_delta`: a subscription (sid) covers some tickers;
// each gets an `orderbook_snapshot`, then every level change is an `orderbook_delta`. `market_lifecycle_v2` (no
// ticker filter, as on the venue): `market_lifecycle_v2` messages (created, close_date_updated, determined, settled)
// and `event_lifecycle` on event creation. `seq` counts messages per subscription, so a client can detect a gap.
// Test hooks drop sockets and skip a seq.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { FeedSilence } from '../feed-silence.ts';

export interface SnapshotSource {
  snapshot(ticker: string): { yes: Array<[string, string]>; no: Array<[string, string]> } | null;
}

interface Subscription {
  sid: number;
  channel: 'orderbook_delta' | 'market_lifecycle_v2';
  tickers: Set<string>;
  seq: number;
}

interface Client {
  ws: WebSocket;
  subs: Map<number, Subscription>;
}

const CommandSchema = z.object({
  id: z.number().int(),
  cmd: z.enum(['subscribe', 'unsubscribe', 'update_subscription']),
  params: z
    .object({
      channels: z.array(z.string()).optional(),
      market_tickers: z.array(z.string()).optional(),
      market_ticker: z.string().optional(),
      sids: z.array(z.number().int()).optional(),
      sid: z.number().int().optional(),
      action: z.enum(['add_markets', 'delete_markets']).optional(),
    })
    .default({}),
});

export class KalshiWsHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly clients = new Set<Client>();
  private nextSid = 1;
  private readonly skipping = new Set<Subscription>();
  /** `/_sim/kalshi/silence`: open sockets that send nothing (feed-silence.ts); pings are answered by `ws` itself. */
  private readonly silence = new FeedSilence<Client>();

  constructor(private readonly books: SnapshotSource) {}

  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { ws, subs: new Map() };
      this.clients.add(client);
      this.silence.accepted(client);
      ws.on('close', () => this.clients.delete(client));
      ws.on('message', (data) => this.onMessage(client, String(data)));
    });
  }

  /** A level changed by `deltaHundredths` contracts/100: tell every subscription that covers the ticker. */
  publishDelta(ticker: string, side: 'yes' | 'no', priceDollars: string, deltaFp: string, tsMs: number): void {
    for (const client of this.clients) {
      for (const sub of client.subs.values()) {
        if (!sub.tickers.has(ticker)) continue;
        this.send(client, sub, 'orderbook_delta', {
          market_ticker: ticker,
          price_dollars: priceDollars,
          delta_fp: deltaFp,
          side,
          ts: new Date(tsMs).toISOString(),
        });
      }
    }
  }

  /** A `market_lifecycle_v2` or `event_lifecycle` message to every lifecycle subscription (all markets). */
  publishLifecycle(type: 'market_lifecycle_v2' | 'event_lifecycle', msg: Record<string, unknown>): void {
    for (const client of this.clients)
      for (const sub of client.subs.values())
        if (sub.channel === 'market_lifecycle_v2') this.send(client, sub, type, msg);
  }

  /** Active subscriptions per ticker, across all connections. */
  subscriptionCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const client of this.clients) {
      for (const sub of client.subs.values()) {
        for (const t of sub.tickers) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
    }
    return counts;
  }

  dropConnections(): number {
    const n = this.clients.size;
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
    return n;
  }

  /** The next message of every subscription jumps seq by 2, as if one message were lost. */
  skipNextSeq(): void {
    for (const client of this.clients) for (const sub of client.subs.values()) this.skipping.add(sub);
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(client: Client, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.error(client, 0, 1, 'Unable to process message');
      return;
    }
    const parsed = CommandSchema.safeParse(json);
    if (!parsed.success) {
      this.error(client, 0, 1, 'Unable to process message');
      return;
    }
    const { id, cmd, params } = parsed.data;
    const tickers = params.market_tickers ?? (params.market_ticker ? [params.market_ticker] : []);
    if (cmd === 'subscribe') {
      this.silence.subscribed(client);
      const channels = params.channels ?? [];
      if (channels.length === 1 && channels[0] === 'market_lifecycle_v2') {
        const sub: Subscription = { sid: this.nextSid++, channel: 'market_lifecycle_v2', tickers: new Set(), seq: 0 };
        client.subs.set(sub.sid, sub);
        this.write(
          client,
          JSON.stringify({ id, type: 'subscribed', msg: { channel: 'market_lifecycle_v2', sid: sub.sid } }),
        );
        return;
      }
      if (channels.length !== 1 || channels[0] !== 'orderbook_delta') {
        this.error(client, id, 8, 'Unknown channel name');
        return;
      }
      if (tickers.length === 0) {
        this.error(client, id, 3, 'Params required');
        return;
      }
      const sub: Subscription = { sid: this.nextSid++, channel: 'orderbook_delta', tickers: new Set(), seq: 0 };
      client.subs.set(sub.sid, sub);
      this.write(client, JSON.stringify({ id, type: 'subscribed', msg: { channel: 'orderbook_delta', sid: sub.sid } }));
      this.addTickers(client, sub, tickers);
      return;
    }
    const sids = params.sids ?? (params.sid !== undefined ? [params.sid] : []);
    if (cmd === 'unsubscribe') {
      for (const sid of sids) {
        if (client.subs.delete(sid)) this.write(client, JSON.stringify({ id, sid, type: 'unsubscribed' }));
      }
      return;
    }
    const sub = sids[0] === undefined ? undefined : client.subs.get(sids[0]);
    if (!sub) {
      this.error(client, id, 7, 'Subscription not found');
      return;
    }
    if (params.action === 'delete_markets') for (const t of tickers) sub.tickers.delete(t);
    else this.addTickers(client, sub, tickers);
    this.write(client, JSON.stringify({ id, sid: sub.sid, type: 'ok', msg: { market_tickers: [...sub.tickers] } }));
  }

  private addTickers(client: Client, sub: Subscription, tickers: readonly string[]): void {
    for (const ticker of tickers) {
      const snap = this.books.snapshot(ticker);
      if (!snap) {
        this.error(client, 0, 16, `Market ticker not found: ${ticker}`);
        continue;
      }
      sub.tickers.add(ticker);
      this.send(client, sub, 'orderbook_snapshot', {
        market_ticker: ticker,
        market_id: ticker,
        yes_dollars_fp: snap.yes,
        no_dollars_fp: snap.no,
      });
    }
  }

  private send(client: Client, sub: Subscription, type: string, msg: Record<string, unknown>): void {
    sub.seq += this.skipping.delete(sub) ? 2 : 1;
    this.write(client, JSON.stringify({ type, sid: sub.sid, seq: sub.seq, msg }));
  }

  /** Every outbound frame: dropped while the connection is silenced. */
  private write(client: Client, text: string): void {
    if (client.ws.readyState === client.ws.OPEN && !this.silence.mutes(client)) client.ws.send(text);
  }

  /** Every open connection goes quiet (see FeedSilence). */
  silenceAll(ms: number): { silenced: number; untilMs: number } {
    return this.silence.silence(ms, this.clients);
  }

  private error(client: Client, id: number, code: number, msg: string): void {
    this.write(client, JSON.stringify({ id, type: 'error', msg: { code, msg } }));
  }
}
