// Copy trading in the runner: followed wallets' trades (from the manager's wallet feed) wait in a queue and are priced
// one at a time between decisions with the user's per-wallet scale and cap. A transaction hash is mirrored at most
// once: the seen set starts from the hashes this user's booked copy trades carry (sent in init, so a restart does not
// mirror again), and the order's client order id derives from the opportunity id `copy:<txHash>:<token>`, so a
// replay that got through anyway would book nothing new (recordTrade is idempotent per client order id).
import { COPY_DEFAULT_MAX_SLIPPAGE, type Opportunity } from '@polybot/schemas';
import { copyTrades, type CopyParams, type MarketSnapshot } from '@polybot/strategies';
import type { RunnerConfig, WalletTradeMessage } from '../shared/ipc.ts';

/** A leader's trade older than this is not followed any more: the moment has passed. */
export const COPY_MAX_TRADE_AGE_MS = 10 * 60_000;
const MAX_QUEUE = 500;

export { copyEnabled } from '../shared/signal-gates.ts';

export const txHashOf = (opportunityId: string): string | null =>
  opportunityId.startsWith('copy:') ? (opportunityId.split(':')[1] ?? null) : null;

export class CopyTrader {
  private readonly seen: Set<string>;
  private readonly queue: WalletTradeMessage[] = [];
  /** Trades on instruments whose book has not reached this runner yet (a runner just started): priced when it does. */
  private readonly parked = new Map<string, WalletTradeMessage[]>();

  constructor(copiedTxHashes: readonly string[]) {
    this.seen = new Set(copiedTxHashes);
  }

  push(trade: WalletTradeMessage): void {
    if (this.seen.has(trade.txHash) || this.queue.some((t) => t.txHash === trade.txHash)) return;
    this.queue.push(trade);
    if (this.queue.length > MAX_QUEUE) this.queue.shift();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The next queued trade's mirror order, if the wallet is still followed and the book lets it be copied. */
  next(snapshot: MarketSnapshot, config: RunnerConfig, maxTradeSizeUsd: number, nowMs: number): Opportunity[] {
    const trade = this.queue.shift();
    if (!trade) return [];
    const wallet = config.followed_wallets.find((w) => w.address.toLowerCase() === trade.wallet);
    if (!wallet) return [];
    if (snapshot.instruments.has(trade.instrumentId) && !snapshot.books.has(trade.instrumentId)) {
      const list = this.parked.get(trade.instrumentId) ?? [];
      if (list.length < 20) list.push(trade);
      this.parked.set(trade.instrumentId, list);
      return [];
    }
    const params: CopyParams = {
      scale: wallet.scale,
      maxPerTradeUsd: wallet.maxPerTradeUsd,
      maxTradeSizeUsd,
      maxSlippage: wallet.maxSlippage ?? COPY_DEFAULT_MAX_SLIPPAGE,
      maxTradeAgeMs: COPY_MAX_TRADE_AGE_MS,
      maxBookAgeMs: config.max_book_age_ms,
    };
    return copyTrades(
      { snapshot, trades: [trade], followedWallets: new Set([trade.wallet]), seenTxHashes: this.seen },
      params,
      nowMs,
    );
  }

  /** A book arrived: trades parked for it go back in the queue. */
  unpark(instrumentId: string): boolean {
    const list = this.parked.get(instrumentId);
    if (!list) return false;
    this.parked.delete(instrumentId);
    for (const t of list) this.push(t);
    return true;
  }

  /** Called when an order for this opportunity is about to be reserved: from now on the hash counts as mirrored. */
  acted(opportunityId: string): void {
    const tx = txHashOf(opportunityId);
    if (tx) this.seen.add(tx);
  }
}
