// Copy trading: mirror followed wallets' buys, scaled and capped.
//
// - Only trades by followed wallets, not older than `maxTradeAgeMs`, not from the future, and whose txHash is not in
//   `seenTxHashes` (nor repeated in this batch: the first occurrence wins) are mirrored.
// - Only BUYs are mirrored: an Opportunity leg is a buy. Reducing our position when a leader sells is position
//   management in the runner (it knows what we hold); such trades are skipped here.
// - Size = leader size × `scale`, walking the asks up to leader price + `maxSlippage` (absolute, in price units),
//   capped so cost incl. fees ≤ min(maxPerTradeUsd, maxTradeSizeUsd); rounded down to the venue lot and dropped
//   below the instrument's minimum order size or on a stale book.
// - expectedProfit has no edge estimate behind it; it is reported as the price advantage over the leader,
//   (leader price − our VWAP) × size − fees: negative when we pay more than the leader did. minProfitPct does not apply.
import type { Opportunity } from '@polybot/schemas';
import { feePerContract } from '@polybot/schemas';
import { optimalBasketSize } from './basket.ts';
import { floorToStep, walkAsks } from './book.ts';
import type { MarketSnapshot } from './types.ts';
import { lotSize } from './types.ts';

export interface WalletTrade {
  wallet: string;
  instrumentId: string;
  side: 'buy' | 'sell';
  price: number;
  size: number;
  timestampMs: number;
  txHash: string;
}

export interface CopyParams {
  scale: number;
  maxPerTradeUsd: number;
  maxTradeSizeUsd: number;
  /** Highest price we pay above the leader's price (absolute). */
  maxSlippage: number;
  maxTradeAgeMs: number;
  maxBookAgeMs: number;
}

export interface CopyInput {
  snapshot: MarketSnapshot;
  trades: readonly WalletTrade[];
  followedWallets: ReadonlySet<string>;
  seenTxHashes: ReadonlySet<string>;
}

export function copyTrades(input: CopyInput, params: CopyParams, nowMs: number): Opportunity[] {
  const out: Opportunity[] = [];
  const done = new Set<string>();
  const followed = new Set([...input.followedWallets].map((w) => w.toLowerCase()));
  for (const t of input.trades) {
    if (input.seenTxHashes.has(t.txHash) || done.has(t.txHash)) continue;
    done.add(t.txHash);
    if (t.side !== 'buy' || !followed.has(t.wallet.toLowerCase())) continue;
    if (t.timestampMs > nowMs || t.timestampMs < nowMs - params.maxTradeAgeMs) continue;
    const ins = input.snapshot.instruments.get(t.instrumentId);
    const book = input.snapshot.books.get(t.instrumentId);
    if (!ins || !book || !ins.active || book.timestampMs < nowMs - params.maxBookAgeMs) continue;
    const schedule = input.snapshot.fees(ins);
    const cap = Math.min(t.price + params.maxSlippage, 0.999);
    const asks = book.asks.filter((l) => l.price <= cap + 1e-12);
    const budget = Math.min(params.maxPerTradeUsd, params.maxTradeSizeUsd);
    // A payout no price reaches makes only depth, budget and the target size bind.
    const raw = optimalBasketSize(
      [{ asks, feeSlope: (p) => feePerContract(schedule, p) }],
      Number.MAX_SAFE_INTEGER,
      budget,
      0,
      t.size * params.scale,
    );
    const lot = lotSize(ins.venue);
    let size = floorToStep(raw, lot);
    let walk = walkAsks(book, size, schedule, cap);
    while (size > 0 && walk.notional + walk.fee > budget + 1e-9) {
      size = floorToStep(size - lot, lot);
      walk = walkAsks(book, size, schedule, cap);
    }
    if (size <= 0 || size + 1e-9 < ins.minOrderSize || walk.vwap === null || walk.worstPrice === null) continue;
    const cost = walk.notional + walk.fee;
    const expectedProfit = (t.price - walk.vwap) * size - walk.fee;
    out.push({
      id: `copy:${t.txHash}:${t.instrumentId}`,
      strategy: 'copy_trading',
      legs: [
        {
          venue: ins.venue,
          instrumentId: ins.instrumentId,
          side: 'buy',
          size,
          vwap: walk.vwap,
          limitPrice: walk.worstPrice,
          fee: walk.fee,
        },
      ],
      cost,
      expectedProfit,
      profitPct: cost > 0 ? (expectedProfit / cost) * 100 : 0,
      detectedAtMs: Math.trunc(nowMs),
      description: `Copy ${t.wallet} buy of ${t.size} ${ins.title} @ ${t.price} (×${params.scale})`,
    });
  }
  return out;
}
