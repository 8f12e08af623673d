// The unmodified clob-client-v2 against the simulator over real HTTP: L1/L2 auth, books, V2-signed orders.
import { ApiError, AssetType, Chain, ClobClient, OrderType, Side, type ApiKeyCreds } from '@polymarket/clob-client-v2';
import { createWalletClient, custom, type WalletClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polymarketFactory, startVenueSim, type VenueSim } from '../server.ts';

const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';
const FED_NO_CHANGE_NO = '40302938956091099752849867077837976978448552504757012372843872340644441002059';

function wallet(): WalletClient {
  return createWalletClient({
    account: privateKeyToAccount(generatePrivateKey()),
    chain: polygon,
    transport: custom({ request: () => Promise.reject(new Error('signing is offline: no RPC')) }),
  });
}

let sim: VenueSim;
beforeAll(async () => {
  sim = await startVenueSim({ scenario: 'arb-rich', venues: [polymarketFactory], autoAdvance: false });
});
afterAll(async () => {
  await sim.close();
});

async function authed(signer = wallet()): Promise<{ client: ClobClient; creds: ApiKeyCreds; signer: WalletClient }> {
  const l1 = new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, throwOnError: true });
  const creds = await l1.createOrDeriveApiKey();
  return {
    client: new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, creds, throwOnError: true }),
    creds,
    signer,
  };
}

describe('polymarket simulator with @polymarket/clob-client-v2', () => {
  it('creates, then derives the same API key with L1 auth', async () => {
    const signer = wallet();
    const { creds } = await authed(signer);
    const again = await new ClobClient({
      host: sim.origin,
      chain: Chain.POLYGON,
      signer,
      throwOnError: true,
    }).deriveApiKey();
    expect(again).toEqual(creds);
    expect(creds.secret.length).toBeGreaterThan(20);
  });

  it('serves books with the best level last and a content hash', async () => {
    const client = new ClobClient({ host: sim.origin, chain: Chain.POLYGON, throwOnError: true });
    const book = await client.getOrderBook(BTC_UP);
    expect(book.asset_id).toBe(BTC_UP);
    expect(book.asks.at(-1)?.price).toBe('0.47');
    expect(book.bids.at(-1)?.price).toBe('0.45');
    expect(book.hash).toMatch(/^[0-9a-f]{40}$/);
    // The hash verifies with the SDK's own check (which recomputes it from the summary).
    const hash = book.hash;
    expect(await client.getOrderBookHash({ ...book })).toBe(hash);
    expect(await client.getTickSize(BTC_UP)).toBe('0.001');
  });

  it('fills a V2-signed FOK buy with taker fees, then shows the trade, balance and position', async () => {
    const { client } = await authed();
    const before = await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    expect(before.balance).toBe('1000000000');
    const res = await client.postOrder(
      await client.createOrder({ tokenID: FED_NO_CHANGE_NO, price: 0.02, size: 50, side: Side.BUY }),
      OrderType.FOK,
    );
    expect(res.success).toBe(true);
    expect(res.status).toBe('matched');
    expect(res.takingAmount).toBe('50');
    const trades = await client.getTrades();
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({
      asset_id: FED_NO_CHANGE_NO,
      price: '0.02',
      size: '50',
      side: 'BUY',
      trader_side: 'TAKER',
    });
    // 50 × 0.02 = 1.00 plus fee 50 × 0.05 × 0.02 × 0.98 = 0.049.
    const after = await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    expect(after.balance).toBe(String(1_000_000_000 - 1_000_000 - 49_000));
    const position = await client.getBalanceAllowance({
      asset_type: AssetType.CONDITIONAL,
      token_id: FED_NO_CHANGE_NO,
    });
    expect(position.balance).toBe('50000000');
  });

  it('kills a FOK order that cannot fill completely and changes nothing', async () => {
    const { client } = await authed();
    const book = await client.getOrderBook(FED_NO_CHANGE_NO);
    const order = await client.createOrder({ tokenID: FED_NO_CHANGE_NO, price: 0.02, size: 5000, side: Side.BUY });
    await expect(client.postOrder(order, OrderType.FOK)).rejects.toThrow(/FOK/);
    const after = await client.getOrderBook(FED_NO_CHANGE_NO);
    expect([after.bids, after.asks]).toEqual([book.bids, book.asks]);
    expect(await client.getTrades()).toEqual([]);
  });

  it('rests a GTC order, lists it, and cancels it', async () => {
    const { client } = await authed();
    const res = await client.createAndPostOrder(
      { tokenID: BTC_UP, price: 0.3, size: 10, side: Side.BUY },
      undefined,
      OrderType.GTC,
    );
    expect(res.status).toBe('live');
    const open = await client.getOpenOrders();
    expect(open.map((o) => o.id)).toEqual([res.orderID]);
    const book = await client.getOrderBook(BTC_UP);
    expect(book.bids.find((l) => l.price === '0.3')?.size).toBe('10');
    const cancelled = await client.cancelOrder({ orderID: res.orderID });
    expect(cancelled).toEqual({ canceled: [res.orderID], not_canceled: {} });
    expect(await client.getOpenOrders()).toEqual([]);
    expect((await client.getOrderBook(BTC_UP)).bids.find((l) => l.price === '0.3')).toBeUndefined();
  });

  it('rejects L2 requests signed with the wrong secret with 401 and the venue error shape', async () => {
    const { creds, signer } = await authed();
    const wrong = new ClobClient({
      host: sim.origin,
      chain: Chain.POLYGON,
      signer,
      creds: { ...creds, secret: Buffer.alloc(32, 7).toString('base64url') },
      throwOnError: true,
    });
    const error = await wrong.getOpenOrders().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).data).toMatchObject({ error: 'Unauthorized/Invalid api key' });
  });

  it('rejects an order whose signature does not recover the signer', async () => {
    const { client, creds, signer } = await authed();
    const order = await client.createOrder({ tokenID: BTC_UP, price: 0.47, size: 5, side: Side.BUY });
    const tampered = { ...order, takerAmount: String(BigInt(order.takerAmount) * 2n) };
    const error = await client.postOrder(tampered, OrderType.FOK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toBe('invalid signature');
    // Signed by a different key than the API key's wallet: refused in the venue's words.
    const other = await new ClobClient({
      host: sim.origin,
      chain: Chain.POLYGON,
      signer: wallet(),
      throwOnError: true,
    }).createOrder({ tokenID: BTC_UP, price: 0.47, size: 5, side: Side.BUY });
    const direct = new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, creds, throwOnError: true });
    await expect(direct.postOrder(other, OrderType.FOK)).rejects.toThrow(
      'the order signer address has to be the address of the API KEY',
    );
    expect(await client.getTrades()).toEqual([]);
  });

  it("matches a taker against another account's resting order: both see the trade, cash and tokens move", async () => {
    const maker = await authed();
    const taker = await authed();
    // The maker first buys tokens to sell, then rests an ask below the scenario's 0.47.
    await maker.client.postOrder(
      await maker.client.createOrder({ tokenID: BTC_UP, price: 0.47, size: 20, side: Side.BUY }),
      OrderType.FOK,
    );
    const ask = await maker.client.createAndPostOrder(
      { tokenID: BTC_UP, price: 0.46, size: 20, side: Side.SELL },
      undefined,
      OrderType.GTC,
    );
    expect(ask.status).toBe('live');
    const makerCash = Number((await maker.client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL })).balance);
    const res = await taker.client.postOrder(
      await taker.client.createOrder({ tokenID: BTC_UP, price: 0.46, size: 15, side: Side.BUY }),
      OrderType.FAK,
    );
    expect(res.takingAmount).toBe('15');
    const [makerTrade] = (await maker.client.getTrades()).filter((t) => t.trader_side === 'MAKER');
    expect(makerTrade?.maker_orders[0]).toMatchObject({
      order_id: ask.orderID,
      matched_amount: '15',
      price: '0.46',
      side: 'SELL',
    });
    expect(Number((await maker.client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL })).balance)).toBe(
      makerCash + 15 * 0.46 * 1e6,
    );
    expect((await maker.client.getOpenOrders())[0]).toMatchObject({
      id: ask.orderID,
      size_matched: '15',
      original_size: '20',
    });
    expect(
      (await taker.client.getBalanceAllowance({ asset_type: AssetType.CONDITIONAL, token_id: BTC_UP })).balance,
    ).toBe('15000000');
  });

  it('rejects L1 auth whose signature does not recover POLY_ADDRESS', async () => {
    const res = await fetch(`${sim.origin}/auth/derive-api-key`, {
      headers: {
        POLY_ADDRESS: privateKeyToAccount(generatePrivateKey()).address,
        POLY_SIGNATURE: `0x${'11'.repeat(65)}`,
        POLY_TIMESTAMP: '1',
        POLY_NONCE: '0',
      },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Invalid L1 Request headers' });
  });

  it('answers unknown routes with a loud JSON 404', async () => {
    const res = await fetch(`${sim.origin}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'venue-sim: no route GET /no/such/route' });
  });
});
