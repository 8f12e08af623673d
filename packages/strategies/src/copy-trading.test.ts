import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyTrades } from './copy-trading.ts';
import type { CopyParams, WalletTrade } from './copy-trading.ts';
import { book, COPY_PARAMS, fixturePath, instrument, snapshot } from '../test/helpers.ts';

// One real data-api trade (BTC Up/Down 5m, "Down" token) as the leader's trade.
interface DataApiTrade {
  proxyWallet: string;
  side: 'BUY' | 'SELL';
  asset: string;
  size: number;
  price: number;
  timestamp: number;
  transactionHash: string;
}
const [raw] = JSON.parse(
  readFileSync(fixturePath('polymarket/data-api-trades-btc-updown-5m.json'), 'utf8'),
) as DataApiTrade[];
if (!raw) throw new Error('fixture empty');
const leader: WalletTrade = {
  wallet: raw.proxyWallet,
  instrumentId: raw.asset,
  side: raw.side === 'BUY' ? 'buy' : 'sell',
  price: raw.price,
  size: raw.size,
  timestampMs: raw.timestamp * 1000,
  txHash: raw.transactionHash,
};
const now = leader.timestampMs + 5_000;

const down = instrument({
  instrumentId: raw.asset,
  marketId: 'btc-5m',
  title: 'Bitcoin Up or Down 3:50-3:55 (Down)',
  tickSize: 0.001,
});
const s = snapshot(
  [down],
  [
    book(
      raw.asset,
      [
        [0.9, 30],
        [0.91, 40],
        [0.95, 100],
      ],
      [],
      now,
    ),
  ],
);
const params: CopyParams = COPY_PARAMS;
const big: WalletTrade = { ...leader, size: 200 };
const input = (trades: WalletTrade[], seen: string[] = []) => ({
  snapshot: s,
  trades,
  followedWallets: new Set([leader.wallet.toUpperCase().replace('0X', '0x')]),
  seenTxHashes: new Set(seen),
});

describe('copyTrades', () => {
  it('mirrors the recorded BUY 3.28888 @ 0.90 scaled ×2 → 6.57 (floored to 0.01), all at 0.90', () => {
    expect(leader).toMatchObject({ side: 'buy', price: 0.9, size: 3.28888 });
    const [opp] = copyTrades(input([leader]), { ...params, scale: 2 }, now);
    expect(opp?.id).toBe(`copy:${leader.txHash}:${raw.asset}`);
    expect(opp?.legs[0]).toMatchObject({ size: 6.57, limitPrice: 0.9 });
    expect(opp?.cost).toBeCloseTo(6.57 * 0.9, 9);
    expect(opp?.expectedProfit).toBeCloseTo(0, 9);
  });

  it('scales 200 × 0.25 = 50, walks to the 0.92 cap: 30@0.90 + 20@0.91 = 45.2; vs leader (0.90 − 0.904) × 50 = −0.2', () => {
    const [opp] = copyTrades(input([big]), { ...params, scale: 0.25 }, now);
    expect(opp?.legs[0]).toMatchObject({ size: 50, limitPrice: 0.91 });
    expect(opp?.legs[0]?.vwap).toBeCloseTo(45.2 / 50, 12);
    expect(opp?.cost).toBeCloseTo(45.2, 9);
    // (0.90 − 0.904) × 50 = −0.2: we paid 0.2 more than the leader in total
    expect(opp?.expectedProfit).toBeCloseTo(-0.2, 9);
  });

  it('never pays above leader + slippage: ×1 wants 200 but only 70 sit at ≤ 0.92', () => {
    const [opp] = copyTrades(input([big]), params, now);
    expect(opp?.legs[0]).toMatchObject({ size: 70, limitPrice: 0.91 });
  });

  it('caps by maxPerTradeUsd: $20 → 22.22 @ 0.90 (22.22 × 0.9 = 19.998)', () => {
    const [opp] = copyTrades(input([big]), { ...params, maxPerTradeUsd: 20 }, now);
    expect(opp?.legs[0]?.size).toBe(22.22);
    expect(opp?.cost).toBeCloseTo(19.998, 9);
  });

  it('skips seen txHashes, repeats within the batch, old trades, sells, strangers, and sizes below the minimum', () => {
    expect(copyTrades(input([big], [big.txHash]), params, now)).toEqual([]);
    expect(copyTrades(input([big, big]), params, now)).toHaveLength(1);
    expect(copyTrades(input([big]), params, big.timestampMs + 60_001)).toEqual([]);
    expect(copyTrades(input([{ ...big, side: 'sell' }]), params, now)).toEqual([]);
    expect(copyTrades(input([{ ...big, wallet: '0x0000000000000000000000000000000000000001' }]), params, now)).toEqual(
      [],
    );
    // 200 × 0.02 = 4 < 5 shares minimum
    expect(copyTrades(input([big]), { ...params, scale: 0.02 }, now)).toEqual([]);
  });
});
