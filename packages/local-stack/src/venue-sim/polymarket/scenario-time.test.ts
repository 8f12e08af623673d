// Scenario-driven behaviour over HTTP: followed-wallet trades appear in the data-API as scenario time passes,
// Gamma filters, account funding, and resolution paying out winning positions.
import { AssetType, Chain, ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { createWalletClient, custom } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polymarketFactory, startVenueSim, type VenueSim } from '../server.ts';

const WALLET = '0x9fb96c5cf2027d0ce8e0e92fc30b52e81f001866';
const BTC_CONDITION = '0xba3509c3c29a52bb2f8cf8204755314a38461825e61e77e6350f5abd4b848e05';
const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';

let sim: VenueSim;
beforeAll(async () => {
  sim = await startVenueSim({ scenario: 'arb-rich', venues: [polymarketFactory], autoAdvance: false });
});
afterAll(async () => {
  await sim.close();
});

const get = async <T>(path: string): Promise<T> => (await (await fetch(`${sim.origin}${path}`)).json()) as T;
const control = (action: string, body: unknown): Promise<Response> =>
  fetch(`${sim.origin}/_sim/polymarket/${action}`, { method: 'POST', body: JSON.stringify(body) });

describe('polymarket scenario time', () => {
  it('serves a followed wallet’s trades in the data-API only once scenario time reaches them, newest first', async () => {
    type Row = {
      proxyWallet: string;
      side: string;
      asset: string;
      size: number;
      price: number;
      outcome: string;
      timestamp: number;
    };
    const first = await get<Row[]>(`/data-api/trades?user=${WALLET}`);
    expect(first.map((t) => [t.side, t.size])).toEqual([['BUY', 50]]);
    sim.advance(30_000);
    const second = await get<Row[]>(`/data-api/trades?user=${WALLET}`);
    expect(second.map((t) => [t.side, t.asset, t.price, t.outcome])).toEqual([
      ['BUY', BTC_UP, 0.47, 'Up'],
      ['BUY', first[0]?.asset, 0.981, 'Yes'],
    ]);
    expect(await get<Row[]>(`/data-api/trades?user=0x0000000000000000000000000000000000000002`)).toEqual([]);
    expect((await get<Row[]>(`/data-api/activity?user=${WALLET}&market=${BTC_CONDITION}`)).map((r) => r.side)).toEqual([
      'BUY',
    ]);
  });

  it('filters Gamma events and markets by slug and closed, with JSON-string fields', async () => {
    const [event] = await get<
      { slug: string; negRisk: boolean; markets: { outcomes: string; clobTokenIds: string }[] }[]
    >('/gamma/events?slug=fed-decision-in-june-825');
    expect(event?.negRisk).toBe(true);
    expect(event?.markets).toHaveLength(5);
    expect(JSON.parse(event?.markets[0]?.outcomes ?? '[]')).toEqual(['Yes', 'No']);
    expect(await get<unknown[]>('/gamma/events?closed=true')).toEqual([]);
    expect((await get<unknown[]>('/gamma/markets?limit=5&offset=24')).length).toBe(2);
  });

  it('funds an account, and pays $1 per winning share at resolution (losing shares pay nothing)', async () => {
    const signer = createWalletClient({
      account: privateKeyToAccount(generatePrivateKey()),
      chain: polygon,
      transport: custom({ request: () => Promise.reject(new Error('offline')) }),
    });
    const creds = await new ClobClient({
      host: sim.origin,
      chain: Chain.POLYGON,
      signer,
      throwOnError: true,
    }).createOrDeriveApiKey();
    const client = new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, creds, throwOnError: true });
    const address = signer.account.address;
    expect((await control('fund', { address, amount: 500 })).status).toBe(200);
    await client.postOrder(
      await client.createOrder({ tokenID: BTC_UP, price: 0.5, size: 10, side: Side.BUY }),
      OrderType.FOK,
    );
    const cash = async (): Promise<number> =>
      Number((await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL })).balance) / 1e6;
    const before = await cash();
    expect(before).toBeLessThan(1500);
    expect((await control('resolve', { conditionId: BTC_CONDITION, winningOutcome: 'Up' })).status).toBe(200);
    expect(await cash()).toBeCloseTo(before + 10, 6);
    expect((await client.getBalanceAllowance({ asset_type: AssetType.CONDITIONAL, token_id: BTC_UP })).balance).toBe(
      '0',
    );
    const [market] = await get<{ closed: boolean; outcomePrices: string }[]>(
      `/gamma/markets?condition_ids=${BTC_CONDITION}`,
    );
    expect(market?.closed).toBe(true);
    expect(JSON.parse(market?.outcomePrices ?? '[]')).toEqual(['1', '0']);
    await expect(
      client.postOrder(
        await client.createOrder({ tokenID: BTC_UP, price: 0.5, size: 10, side: Side.BUY }),
        OrderType.FOK,
      ),
    ).rejects.toThrow(/not yet ready/);
    expect((await control('resolve', { conditionId: BTC_CONDITION, winningOutcome: 'Up' })).status).toBe(404);
  });
});
