// The CLOB market channel (`/ws/market`): subscribe/unsubscribe by asset id, `book` snapshots on subscribe,
// then `price_change` / `last_trade_price`; connections that subscribed with `custom_feature_enabled: true` also get
// the lifecycle events `new_market` and `market_resolved` (for every market, not only subscribed assets). Counts subscriptions per asset so tests can prove fan-out happens
// on our side (the hub), not by opening one venue subscription per consumer.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { FeedSilence } from '../feed-silence.ts';
import { formatPrice, formatSize, type LevelChange } from './book.ts';
import { bookSummary } from './shapes.ts';
import { acceptsOrders, winnerOf, type SimMarket, type SimToken, type World } from './world.ts';

/** The fields `new_market` and `market_resolved` share. */
function lifecycleBase(m: SimMarket): Record<string, unknown> {
  return {
    id: m.spec.id,
    question: m.spec.question,
    market: m.spec.conditionId,
    slug: m.spec.slug,
    description: m.spec.question,
    assets_ids: m.tokens.map((t) => t.tokenId),
    outcomes: m.tokens.map((t) => t.outcome),
    event_message: {
      id: m.event.spec.id,
      ticker: m.event.spec.slug,
      slug: m.event.spec.slug,
      title: m.event.spec.title,
      description: m.event.spec.title,
    },
    tags: [],
  };
}

interface Conn {
  socket: WebSocket;
  assets: Set<string>;
  /** Set by a subscription with `custom_feature_enabled: true`: lifecycle events are sent to this connection. */
  customFeatures: boolean;
}

export class MarketChannel {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private readonly byAsset = new Map<string, Set<Conn>>();
  /** Assets whose next change is applied but not sent: simulates a lost message (gap). */
  private readonly skipNext = new Set<string>();
  messagesSent = 0;
  /** `/_sim/polymarket/silence`: open sockets that send nothing (feed-silence.ts). */
  readonly silence = new FeedSilence<Conn>();

  constructor(
    private readonly world: World,
    private readonly now: () => number,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(socket: WebSocket): void {
    const conn: Conn = { socket, assets: new Set(), customFeatures: false };
    this.conns.add(conn);
    this.silence.accepted(conn);
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (text === 'PING') return socket.send('PONG');
      this.onMessage(conn, text);
    });
    socket.on('close', () => this.drop(conn));
    socket.on('error', () => this.drop(conn));
  }

  private drop(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    for (const asset of conn.assets) this.unsubscribe(conn, asset);
  }

  private onMessage(conn: Conn, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      conn.socket.send(JSON.stringify({ error: 'invalid message' }));
      return;
    }
    if (typeof msg !== 'object' || msg === null || !('assets_ids' in msg) || !Array.isArray(msg.assets_ids)) {
      conn.socket.send(JSON.stringify({ error: 'invalid message: assets_ids required' }));
      return;
    }
    const ids = msg.assets_ids.map(String);
    if ('custom_feature_enabled' in msg && msg.custom_feature_enabled === true) conn.customFeatures = true;
    const operation = 'operation' in msg ? String(msg.operation) : 'subscribe';
    if (operation === 'unsubscribe') {
      for (const id of ids) this.unsubscribe(conn, id);
      return;
    }
    this.silence.subscribed(conn);
    const snapshots: unknown[] = [];
    for (const id of ids) {
      const token = this.world.tokens.get(id);
      if (!token) continue;
      if (!conn.assets.has(id)) {
        conn.assets.add(id);
        let set = this.byAsset.get(id);
        if (!set) this.byAsset.set(id, (set = new Set()));
        set.add(conn);
      }
      snapshots.push({ event_type: 'book', ...bookSummary(token, this.now()) });
    }
    if (snapshots.length > 0) this.send(conn, snapshots);
  }

  private unsubscribe(conn: Conn, asset: string): void {
    conn.assets.delete(asset);
    const set = this.byAsset.get(asset);
    set?.delete(conn);
    if (set && set.size === 0) this.byAsset.delete(asset);
  }

  private send(conn: Conn, payload: unknown): void {
    if (conn.socket.readyState !== conn.socket.OPEN || this.silence.mutes(conn)) return;
    conn.socket.send(JSON.stringify(payload));
    this.messagesSent++;
  }

  publishChanges(token: SimToken, changes: LevelChange[]): void {
    if (changes.length === 0) return;
    if (this.skipNext.delete(token.tokenId)) return;
    const subscribers = this.byAsset.get(token.tokenId);
    if (!subscribers || subscribers.size === 0) return;
    // The hash of the book after this change, as a `GET /book` at this instant would carry it.
    const hash = String(bookSummary(token, this.now()).hash);
    const bestBid = token.book.best('bid');
    const bestAsk = token.book.best('ask');
    const msg = {
      market: token.market.spec.conditionId,
      price_changes: changes.map((c) => ({
        asset_id: token.tokenId,
        price: formatPrice(c.pips),
        size: formatSize(c.size),
        side: c.side === 'bid' ? 'BUY' : 'SELL',
        hash,
        best_bid: bestBid === null ? '0' : formatPrice(bestBid),
        best_ask: bestAsk === null ? '1' : formatPrice(bestAsk),
      })),
      timestamp: String(this.now()),
      event_type: 'price_change',
    };
    for (const conn of subscribers) this.send(conn, msg);
  }

  publishTrade(token: SimToken, price: number, size: number, side: 'BUY' | 'SELL'): void {
    const subscribers = this.byAsset.get(token.tokenId);
    if (!subscribers) return;
    const fee = Math.round((token.market.feeSchedule?.rate ?? 0) * 10_000);
    const msg = {
      asset_id: token.tokenId,
      event_type: 'last_trade_price',
      fee_rate_bps: String(fee),
      market: token.market.spec.conditionId,
      price: String(price),
      side,
      size: String(size),
      timestamp: String(this.now()),
    };
    for (const conn of subscribers) this.send(conn, msg);
  }

  /**
   * `new_market`, as the venue sends it to custom-feature subscribers when a market is listed. Field names follow
   * the venue's message (docs.polymarket.com, market channel): `market` is the condition id, `assets_ids` the tokens.
   */
  publishNewMarket(m: SimMarket): void {
    this.broadcastLifecycle({
      ...lifecycleBase(m),
      event_type: 'new_market',
      active: acceptsOrders(m),
      clob_token_ids: m.tokens.map((t) => t.tokenId),
      condition_id: m.spec.conditionId,
      group_item_title: m.spec.groupItemTitle ?? '',
      order_price_min_tick_size: String(m.spec.tickSize),
      fees_enabled: m.feeSchedule !== null,
      timestamp: String(this.now()),
    });
  }

  /**
   * `market_resolved`: `winning_asset_id`/`winning_outcome` name the winner; a 50-50 has none (both "" here —
   * read the payouts from Gamma's `outcomePrices`, ["0.5","0.5"]).
   */
  publishResolved(m: SimMarket): void {
    const winner = winnerOf(m);
    this.broadcastLifecycle({
      ...lifecycleBase(m),
      event_type: 'market_resolved',
      winning_asset_id: winner?.tokenId ?? '',
      winning_outcome: winner?.outcome ?? '',
      timestamp: String(this.now()),
    });
  }

  private broadcastLifecycle(msg: Record<string, unknown>): void {
    for (const conn of this.conns) if (conn.customFeatures) this.send(conn, msg);
  }

  /** Every open connection goes quiet (see FeedSilence). */
  silenceAll(ms: number): { silenced: number; untilMs: number } {
    return this.silence.silence(ms, this.conns);
  }

  skip(tokenId: string): void {
    this.skipNext.add(tokenId);
  }

  /** Terminates every connection abruptly (no close frame), as a network drop would. */
  dropAll(): number {
    const n = this.conns.size;
    for (const conn of [...this.conns]) {
      conn.socket.terminate();
      this.drop(conn);
    }
    return n;
  }

  stats(): {
    connections: number;
    subscriptions: Record<string, number>;
    totalSubscriptions: number;
    messagesSent: number;
  } {
    const subscriptions: Record<string, number> = {};
    let total = 0;
    for (const [asset, set] of this.byAsset) {
      subscriptions[asset] = set.size;
      total += set.size;
    }
    return { connections: this.conns.size, subscriptions, totalSubscriptions: total, messagesSent: this.messagesSent };
  }

  async close(): Promise<void> {
    for (const conn of [...this.conns]) conn.socket.terminate();
    this.conns.clear();
    this.byAsset.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
