// The runner's copy trader against the real strategy: each followed wallet's own price limit above the leader's
// (its `maxSlippage`, else the default) decides how far up the book a copy may walk.
import { COPY_DEFAULT_MAX_SLIPPAGE, NO_FEES, type OrderBook } from '@polybot/schemas';
import type { MarketSnapshot } from '@polybot/strategies';
import { describe, expect, it } from 'vitest';
import type { RunnerConfig, WalletTradeMessage } from '../shared/ipc.ts';
import { CopyTrader } from './copy.ts';
import { FED_CUTS_YES as tok } from '../../test/instruments.ts';

const WALLET = '0x' + 'ab'.repeat(20);
const now = 1_800_000_000_000;
// The leader bought at 0.50; the book now asks 10 at 0.51 and 100 at 0.55.
const book: OrderBook = {
  venue: 'polymarket',
  instrumentId: tok.instrumentId,
  bids: [],
  asks: [
    { price: 0.51, size: 10 },
    { price: 0.55, size: 100 },
  ],
  timestampMs: now,
  seq: 1,
};
const snapshot: MarketSnapshot = {
  instruments: new Map([[tok.instrumentId, tok]]),
  books: new Map([[tok.instrumentId, book]]),
  fees: () => NO_FEES,
};
const trade: WalletTradeMessage = {
  wallet: WALLET,
  instrumentId: tok.instrumentId,
  side: 'buy',
  price: 0.5,
  size: 50,
  timestampMs: now - 1000,
  txHash: '0xfeed',
};
const configWith = (maxSlippage?: number): RunnerConfig =>
  ({
    max_book_age_ms: 60_000,
    followed_wallets: [
      { address: WALLET, scale: 1, maxPerTradeUsd: 1000, ...(maxSlippage === undefined ? {} : { maxSlippage }) },
    ],
  }) as RunnerConfig;

function copyOnce(config: RunnerConfig): { size: number; limitPrice: number } | undefined {
  const trader = new CopyTrader([]);
  trader.push(trade);
  return trader.next(snapshot, config, 1000, now)[0]?.legs[0];
}

describe('copy trading in the runner', () => {
  it('without a wallet setting pays at most the default above the leader: only the 10 at 0.51', () => {
    expect(COPY_DEFAULT_MAX_SLIPPAGE).toBe(0.02);
    expect(copyOnce(configWith())).toMatchObject({ size: 10, limitPrice: 0.51 });
  });

  it("uses the wallet's own limit: 0.05 reaches the asks at 0.55 (all 50), 0 copies nothing above the leader's 0.50", () => {
    expect(copyOnce(configWith(0.05))).toMatchObject({ size: 50, limitPrice: 0.55 });
    expect(copyOnce(configWith(0))).toBeUndefined();
  });
});
