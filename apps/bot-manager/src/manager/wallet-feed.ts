// Followed wallets' trades for copy trading: the manager polls Polymarket's public data-API once per wallet per
// round, however many runners follow it (the union of the subscriptions), and hands each new trade to the
// runners that follow that wallet. A round takes turns between followers and makes at most `pollBudget` polls
// (wallet-poll-order.ts): one user's long list cannot hold back another user's wallet (SECURITY.md §7.3). A trade is new by its transaction hash (+ token); the timestamp watermark bounds
// how far back each poll pages. Trades of the last `recentWindowMs` are kept and replayed to a runner that starts
// following later (a restart included): the runner's own seen set decides what it already mirrored.
import { PolymarketDataApi, type DataApiTrade } from '@polybot/venues';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import type { WalletTradeMessage } from '../shared/ipc.ts';
import { fairPollOrder } from './wallet-poll-order.ts';

export interface WalletFeedOptions {
  dataApiUrl: string;
  intervalMs: number;
  log: Logger;
  /** How old a trade may be and still be handed to a runner (the runner's copy strategy has its own, tighter bound). */
  recentWindowMs?: number;
  /** Most data-API polls in one round (default 100); followers take turns within it, and carry on next round. */
  pollBudget?: number;
  api?: PolymarketDataApi;
}

export interface WalletSubscription {
  update(wallets: readonly string[]): void;
  close(): void;
}

interface Subscriber {
  wallets: Set<string>;
  onTrade: (t: WalletTradeMessage) => void;
  /** Where this follower's next turn starts in their wallet list (fairPollOrder), carried over between rounds. */
  next: number;
}

interface WalletState {
  /** Newest trade timestamp seen (unix seconds); undefined before the first successful poll. */
  watermarkSec: number | undefined;
  seen: Map<string, number>;
  recent: WalletTradeMessage[];
}

const keyOf = (t: DataApiTrade): string => `${t.transactionHash}:${t.asset}:${t.side}`;

export function toWalletTrade(t: DataApiTrade): WalletTradeMessage {
  return {
    wallet: t.proxyWallet.toLowerCase(),
    instrumentId: t.asset,
    side: t.side === 'BUY' ? 'buy' : 'sell',
    price: t.price,
    size: t.size,
    timestampMs: t.timestamp * 1000,
    txHash: t.transactionHash,
  };
}

export class WalletFeed {
  private readonly api: PolymarketDataApi;
  private readonly subscribers = new Set<Subscriber>();
  private readonly wallets = new Map<string, WalletState>();
  private readonly recentWindowMs: number;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private closed = false;
  private readonly counters = { polls: 0, errors: 0, trades: 0, delivered: 0 };
  /** Rounds so far: which follower takes the first turn rotates with it. */
  private rounds = 0;

  constructor(private readonly opts: WalletFeedOptions) {
    this.api = opts.api ?? new PolymarketDataApi({ url: opts.dataApiUrl });
    this.recentWindowMs = opts.recentWindowMs ?? 10 * 60_000;
  }

  /** A runner's interest in some wallets; an empty list (copy trading off) costs nothing. */
  subscribe(wallets: readonly string[], onTrade: (t: WalletTradeMessage) => void): WalletSubscription {
    const sub: Subscriber = { wallets: new Set(), onTrade, next: 0 };
    this.subscribers.add(sub);
    const update = (next: readonly string[]): void => {
      const added = next.map((w) => w.toLowerCase()).filter((w) => !sub.wallets.has(w));
      sub.wallets = new Set(next.map((w) => w.toLowerCase()));
      for (const w of added) for (const t of this.wallets.get(w)?.recent ?? []) this.deliver(sub, t);
      this.schedule(added.some((w) => !this.wallets.has(w)) ? 0 : null);
    };
    update(wallets);
    return { update, close: () => this.subscribers.delete(sub) };
  }

  /** The wallets some subscriber follows right now. */
  followed(): Set<string> {
    const all = new Set<string>();
    for (const s of this.subscribers) for (const w of s.wallets) all.add(w);
    return all;
  }

  stats(): { wallets: number; followers: number; polls: number; errors: number; trades: number; delivered: number } {
    return {
      wallets: this.followed().size,
      followers: [...this.subscribers].filter((s) => s.wallets.size > 0).length,
      ...this.counters,
    };
  }

  private deliver(sub: Subscriber, t: WalletTradeMessage): void {
    if (Date.now() - t.timestampMs > this.recentWindowMs) return;
    this.counters.delivered++;
    try {
      sub.onTrade(t);
    } catch (e) {
      this.opts.log.warn({ err: coerceError(e).message }, 'wallet trade delivery failed');
    }
  }

  /** One timer for every wallet; `delayMs` 0 = poll now (a newly followed wallet), null = keep the regular beat. */
  private schedule(delayMs: number | null): void {
    if (this.closed || this.followed().size === 0) return;
    if (this.timer && delayMs === null) return;
    if (this.round) return; // the running round reschedules when it ends
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.pollAll().finally(() => {
        this.round = null;
        this.schedule(this.opts.intervalMs);
      });
    }, delayMs ?? this.opts.intervalMs);
  }

  private async pollAll(): Promise<void> {
    const wanted = this.followed();
    for (const w of this.wallets.keys()) if (!wanted.has(w)) this.wallets.delete(w);
    // One wallet after another (the data-API's budget is per IP and shared by every wallet), followers taking turns.
    const followers = [...this.subscribers].filter((s) => s.wallets.size > 0);
    const { order, next } = fairPollOrder(
      followers.map((f) => ({ wallets: [...f.wallets], next: f.next })),
      this.opts.pollBudget ?? 100,
      this.rounds++ % Math.max(1, followers.length),
    );
    followers.forEach((f, i) => (f.next = next[i] ?? 0));
    for (const wallet of order) {
      if (this.closed) return;
      await this.pollWallet(wallet).catch((e: unknown) => {
        this.counters.errors++;
        this.opts.log.warn({ wallet, err: coerceError(e).message }, 'wallet poll failed');
      });
    }
  }

  private async pollWallet(wallet: string): Promise<void> {
    let st = this.wallets.get(wallet);
    this.counters.polls++;
    const rows = await this.api.tradesSince(
      wallet,
      st?.watermarkSec === undefined ? {} : { afterTimestampSec: st.watermarkSec },
    );
    if (!st) this.wallets.set(wallet, (st = { watermarkSec: undefined, seen: new Map(), recent: [] }));
    const fresh: WalletTradeMessage[] = [];
    // Oldest first, so runners meet a wallet's trades in the order they happened.
    for (const row of [...rows].reverse()) {
      const key = keyOf(row);
      if (st.seen.has(key)) continue;
      st.seen.set(key, row.timestamp);
      fresh.push(toWalletTrade(row));
    }
    st.watermarkSec = Math.max(st.watermarkSec ?? 0, ...rows.map((r) => r.timestamp));
    const now = Date.now();
    // Seen keys older than the watermark's page-overlap second can never come back from a bounded poll.
    for (const [k, ts] of st.seen) if (ts < (st.watermarkSec ?? 0) - 1) st.seen.delete(k);
    st.recent = [...st.recent, ...fresh].filter((t) => now - t.timestampMs <= this.recentWindowMs).slice(-200);
    this.counters.trades += fresh.length;
    if (fresh.length > 0) this.opts.log.info({ wallet, trades: fresh.length }, 'followed wallet traded');
    for (const t of fresh) for (const s of this.subscribers) if (s.wallets.has(wallet)) this.deliver(s, t);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
  }
}
