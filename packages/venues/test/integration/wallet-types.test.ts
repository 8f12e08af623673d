// Every Polymarket account type through the real clob-client-v2 against the simulator: EOA, proxy wallet (email /
// Magic), Gnosis Safe (browser wallet) and deposit wallet (EIP-1271). The key signs; the funder (maker) holds the
// money and the positions. The simulator checks, as the venue does, that the signer controls the maker.
import type { OrderRequest } from '@polybot/schemas';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFunderControl, type PolymarketSignatureType } from '../../src/polymarket/account.ts';
import { PolymarketTrading } from '../../src/polymarket/trading.ts';
import { BTC_DOWN, FED_NO_CHANGE_NO, simControl, startPolymarketSim, type VenueSim } from '../polymarket-sim.ts';

const WALLET_TYPES = { 1: 'POLY_PROXY', 2: 'POLY_GNOSIS_SAFE', 3: 'POLY_1271' } as const;
const newAddress = (): `0x${string}` => privateKeyToAccount(generatePrivateKey()).address;

let seq = 0;
const buy = (o: Pick<OrderRequest, 'instrumentId' | 'limitPrice' | 'size' | 'orderType'>): OrderRequest => ({
  venue: 'polymarket',
  side: 'buy',
  clientOrderId: `wallet-types-${String(++seq).padStart(4, '0')}`,
  ...o,
});

interface Statement {
  cash: number;
  positions: { tokenId: string; size: number }[];
}

describe('Polymarket wallet types against the simulator', () => {
  let sim: VenueSim;
  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
  });
  afterAll(async () => {
    await sim.close();
  });

  const statement = async (address: string): Promise<Statement | null> => {
    const res = await fetch(`${sim.origin}/_sim/polymarket/statement?address=${address}`);
    return res.status === 404 ? null : ((await res.json()) as Statement);
  };

  /** A key of this type whose smart wallet (for 1–3) is registered to it and funded with 50 pUSD. */
  async function account(signatureType: PolymarketSignatureType, opts: { walletOwner?: string } = {}) {
    const privateKey = generatePrivateKey();
    const signer = privateKeyToAccount(privateKey).address;
    const funder = signatureType === 0 ? signer : newAddress();
    if (signatureType !== 0)
      await simControl(sim, 'wallet', {
        owner: opts.walletOwner ?? signer,
        address: funder,
        type: WALLET_TYPES[signatureType],
      });
    await simControl(sim, 'fund', { address: funder, amount: 50 });
    const trading = await PolymarketTrading.connect({
      clobUrl: sim.origin,
      privateKey,
      signatureType,
      ...(signatureType === 0 ? {} : { funderAddress: funder }),
      retries: 1,
      baseDelayMs: 5,
    });
    return { trading, signer, funder };
  }

  it.each([0, 1, 2, 3] as const)('signature type %i places an order that fills, for the funder', async (type) => {
    const { trading, signer, funder } = await account(type);
    expect(trading.address).toBe(signer);
    expect(trading.funder).toBe(funder);
    const result = await trading.placeOrder(
      buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 10, orderType: 'FOK' }),
    );
    expect(result).toMatchObject({ status: 'filled', filledSize: 10, rejectReason: null });
    // The balance read is the funder's: first-sight 1000 + the 50 funded, minus cost and fee.
    expect(await trading.balance()).toBeCloseTo(1050 - 0.2 - result.fees, 6);
    expect((await statement(funder))?.positions).toEqual([
      expect.objectContaining({ tokenId: FED_NO_CHANGE_NO, size: 10 }),
    ]);
    if (type !== 0) expect((await statement(signer))?.positions ?? []).toEqual([]);
    expect(await trading.positions()).toEqual([
      { venue: 'polymarket', instrumentId: FED_NO_CHANGE_NO, size: 10, averagePrice: 0.02 },
    ]);
  });

  it.each([1, 3] as const)(
    'type %i: the order hash we compute for maker ≠ signer is the venue’s order id (found after a lost answer)',
    async (type) => {
      const { trading } = await account(type);
      // The venue books the order, the answer is lost: the adapter must find it by the hash it computed itself.
      await simControl(sim, 'fail-next', { method: 'POST', path: '/order', status: 502, when: 'after' });
      const result = await trading.placeOrder(
        buy({ instrumentId: BTC_DOWN, limitPrice: 0.3, size: 10, orderType: 'GTC' }),
      );
      expect(result.status).toBe('resting');
      const open = await trading.openOrders();
      expect(open.map((o) => o.venueOrderId)).toEqual([result.venueOrderId]);
      await trading.cancelOrder(result.venueOrderId ?? '');
    },
  );

  it.each([1, 2] as const)(
    'type %i: a funder the signer does not control is refused with "invalid signature"',
    async (type) => {
      const { trading, funder } = await account(type, { walletOwner: newAddress() });
      const result = await trading.placeOrder(
        buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
      );
      expect(result).toMatchObject({ status: 'rejected', filledSize: 0 });
      expect(result.rejectReason).toMatch(/invalid signature/);
      expect((await statement(funder))?.positions ?? []).toEqual([]);
    },
  );

  it('a funder of the wrong wallet type, or one the venue does not know, is refused', async () => {
    // A Safe registered to this signer, traded as if it were a proxy wallet.
    const privateKey = generatePrivateKey();
    const safe = newAddress();
    await simControl(sim, 'wallet', {
      owner: privateKeyToAccount(privateKey).address,
      address: safe,
      type: 'POLY_GNOSIS_SAFE',
    });
    const asProxy = await PolymarketTrading.connect({
      clobUrl: sim.origin,
      privateKey,
      signatureType: 1,
      funderAddress: safe,
    });
    const wrongType = await asProxy.placeOrder(
      buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
    );
    expect(wrongType.rejectReason).toMatch(/invalid signature/);
    const unknown = await PolymarketTrading.connect({
      clobUrl: sim.origin,
      privateKey: generatePrivateKey(),
      signatureType: 3,
      funderAddress: newAddress(),
    });
    const r = await unknown.placeOrder(
      buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
    );
    expect(r.rejectReason).toMatch(/invalid signature/);
  });

  it('a deposit wallet owned by someone else: the order signer is not the API key’s address', async () => {
    const { trading } = await account(3, { walletOwner: newAddress() });
    const result = await trading.placeOrder(
      buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
    );
    expect(result.rejectReason).toMatch(/the order signer address has to be the address of the API KEY/);
  });

  it('a smart wallet type without its funder address is refused before anything is signed', async () => {
    await expect(
      PolymarketTrading.connect({ clobUrl: sim.origin, privateKey: generatePrivateKey(), signatureType: 2 }),
    ).rejects.toThrow(/needs the funder/);
  });

  it('set like production, the venue refuses new EOA makers but not grandfathered ones or smart wallets', async () => {
    const veteran = await account(0);
    expect(
      (
        await veteran.trading.placeOrder(
          buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
        )
      ).status,
    ).toBe('filled');
    await simControl(sim, 'refuse-eoa-makers', { refuse: true });
    try {
      const newcomer = await account(0);
      const refused = await newcomer.trading.placeOrder(
        buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
      );
      expect(refused).toMatchObject({ status: 'rejected' });
      expect(refused.rejectReason).toMatch(/maker address not allowed, please use the deposit wallet flow/);
      const again = await veteran.trading.placeOrder(
        buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
      );
      expect(again.status).toBe('filled');
      const deposit = await account(3);
      const ok = await deposit.trading.placeOrder(
        buy({ instrumentId: FED_NO_CHANGE_NO, limitPrice: 0.02, size: 5, orderType: 'FOK' }),
      );
      expect(ok.status).toBe('filled');
    } finally {
      await simControl(sim, 'refuse-eoa-makers', { refuse: false });
    }
  });

  it('the key check’s probe: control of the funder is proven without an order ever resting or filling', async () => {
    for (const type of [0, 1, 2, 3] as const) {
      const { trading, funder } = await account(type);
      expect(await probeFunderControl(trading.client)).toEqual({ controls: true });
      expect(await trading.openOrders()).toEqual([]);
      expect((await statement(funder))?.positions ?? []).toEqual([]);
    }
    const stranger = await account(1, { walletOwner: newAddress() });
    expect(await probeFunderControl(stranger.trading.client)).toEqual({ controls: false, reason: 'invalid signature' });
    await simControl(sim, 'refuse-eoa-makers', { refuse: true });
    try {
      const newcomer = await account(0);
      expect(await probeFunderControl(newcomer.trading.client)).toEqual({
        controls: false,
        reason: 'maker address not allowed, please use the deposit wallet flow',
      });
    } finally {
      await simControl(sim, 'refuse-eoa-makers', { refuse: false });
    }
  });
});
