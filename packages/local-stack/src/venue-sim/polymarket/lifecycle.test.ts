// Market lifecycle on the simulated Polymarket over real HTTP and WebSocket with the unmodified clob-client-v2:
// listing at runtime (Gamma, CLOB, books, `new_market`), proposal halting trading, resolution with a winner or 50-50
// (Gamma `closed`/`outcomePrices`/`umaResolutionStatus`, CLOB `winner`, `market_resolved`, payouts), the statement.
import { AssetType, Chain, ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { createWalletClient, custom } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { polymarketFactory, startVenueSim, type VenueSim } from '../server.ts';
import { hex32, tokenIdFrom } from './world.ts';

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

function marketSpec(name: string) {
  return {
    id: `77${name.length}${name.charCodeAt(0)}`,
    conditionId: hex32(`lifecycle-${name}`),
    question: `Will ${name} happen?`,
    slug: `will-${name}-happen`,
    endDate: '2026-12-31T00:00:00Z',
    tokens: [
      { tokenId: tokenIdFrom(`${name}-yes`), outcome: 'Yes', book: { bids: [[0.4, 100]], asks: [[0.45, 100]] } },
      { tokenId: tokenIdFrom(`${name}-no`), outcome: 'No', book: { bids: [[0.54, 100]], asks: [[0.58, 100]] } },
    ] as const,
  };
}

async function trader(): Promise<{ client: ClobClient; address: string }> {
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
  return {
    client: new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, creds, throwOnError: true }),
    address: signer.account.address,
  };
}

/** A market-channel connection that collects every message. */
async function listen(subscription: Record<string, unknown>): Promise<{ messages: unknown[]; ws: WebSocket }> {
  const ws = new WebSocket(sim.urls.polymarketWs ?? '');
  const messages: unknown[] = [];
  ws.on('message', (data) => {
    const parsed = JSON.parse(String(data)) as unknown;
    messages.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify(subscription));
  return { messages, ws };
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition never held');
}

const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';

describe('polymarket market lifecycle', () => {
  it('lists a market at runtime: Gamma (closed=false), CLOB, book, and new_market to custom-feature subscribers only', async () => {
    const custom = await listen({ assets_ids: [BTC_UP], type: 'market', custom_feature_enabled: true });
    const plain = await listen({ assets_ids: [BTC_UP], type: 'market' });
    await until(() => (custom.messages.length > 0 && plain.messages.length > 0 ? true : undefined));
    const spec = marketSpec('alpha');
    const res = await control('list', {
      event: { id: '990001', slug: 'alpha', title: 'Alpha', endDate: spec.endDate, markets: [spec] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ conditionIds: [spec.conditionId] });
    const open = await get<{ conditionId: string; acceptingOrders: boolean }[]>(
      '/gamma/markets?closed=false&limit=1000',
    );
    expect(open.find((m) => m.conditionId === spec.conditionId)?.acceptingOrders).toBe(true);
    const client = new ClobClient({ host: sim.origin, chain: Chain.POLYGON, throwOnError: true });
    expect((await client.getMarket(spec.conditionId)).accepting_orders).toBe(true);
    expect((await client.getOrderBook(spec.tokens[0].tokenId)).asks.at(-1)?.price).toBe('0.45');
    const event = await until(() =>
      custom.messages.find((m) => (m as { event_type?: string }).event_type === 'new_market'),
    );
    expect(event).toMatchObject({
      event_type: 'new_market',
      market: spec.conditionId,
      assets_ids: [spec.tokens[0].tokenId, spec.tokens[1].tokenId],
      outcomes: ['Yes', 'No'],
      question: spec.question,
      slug: spec.slug,
      event_message: { id: '990001', slug: 'alpha' },
    });
    expect((event as { timestamp: string }).timestamp).toMatch(/^\d{13}$/);
    expect(plain.messages.some((m) => (m as { event_type?: string }).event_type === 'new_market')).toBe(false);
    // A duplicate listing is refused.
    expect((await control('list', { eventId: '990001', market: spec })).status).toBe(409);
    custom.ws.close();
    plain.ws.close();
  });

  it('halts trading on proposal, resolves with a winner: Gamma, CLOB, market_resolved, payout, refusal, statement', async () => {
    const spec = marketSpec('bravo');
    expect((await control('list', { eventId: '990001', market: spec })).status).toBe(200);
    const { client, address } = await trader();
    const [yes, no] = spec.tokens;
    await client.postOrder(
      await client.createOrder({ tokenID: yes.tokenId, price: 0.45, size: 10, side: Side.BUY }),
      OrderType.FOK,
    );
    await client.postOrder(
      await client.createOrder({ tokenID: no.tokenId, price: 0.58, size: 5, side: Side.BUY }),
      OrderType.FOK,
    );
    await client.postOrder(
      await client.createOrder({ tokenID: yes.tokenId, price: 0.3, size: 10, side: Side.BUY }),
      OrderType.GTC,
    );
    expect((await client.getOpenOrders()).length).toBe(1);
    const listener = await listen({ assets_ids: [], type: 'market', custom_feature_enabled: true });

    expect((await control('propose', { conditionId: spec.conditionId })).status).toBe(200);
    const [proposed] = await get<Record<string, unknown>[]>(`/gamma/markets?condition_ids=${spec.conditionId}`);
    expect(proposed).toMatchObject({ closed: false, acceptingOrders: false, umaResolutionStatus: 'proposed' });
    expect(await client.getOpenOrders()).toEqual([]); // the resting bid was cancelled
    await expect(
      client.postOrder(
        await client.createOrder({ tokenID: yes.tokenId, price: 0.45, size: 5, side: Side.BUY }),
        OrderType.FOK,
      ),
    ).rejects.toThrow(/not yet ready/);

    const cash = async (): Promise<number> =>
      Number((await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL })).balance) / 1e6;
    const before = await cash();
    expect((await control('resolve', { conditionId: spec.conditionId, winningOutcome: 'No' })).status).toBe(200);
    expect(await cash()).toBeCloseTo(before + 5, 6);
    const [resolved] = await get<Record<string, unknown>[]>(`/gamma/markets?condition_ids=${spec.conditionId}`);
    expect(resolved).toMatchObject({
      closed: true,
      acceptingOrders: false,
      umaResolutionStatus: 'resolved',
      outcomePrices: '["0","1"]',
    });
    expect(
      (await get<unknown[]>('/gamma/markets?closed=false&limit=1000')).some(
        (m) => (m as { conditionId: string }).conditionId === spec.conditionId,
      ),
    ).toBe(false);
    const clob = await new ClobClient({ host: sim.origin, chain: Chain.POLYGON }).getMarket(spec.conditionId);
    expect(clob).toMatchObject({ closed: true, accepting_orders: false });
    expect(clob.tokens.map((t: { winner: boolean }) => t.winner)).toEqual([false, true]);
    expect(
      await until(() => listener.messages.find((m) => (m as { event_type?: string }).event_type === 'market_resolved')),
    ).toMatchObject({
      event_type: 'market_resolved',
      market: spec.conditionId,
      assets_ids: [yes.tokenId, no.tokenId],
      winning_asset_id: no.tokenId,
      winning_outcome: 'No',
    });
    listener.ws.close();
    expect((await control('resolve', { conditionId: spec.conditionId, winningOutcome: 'Yes' })).status).toBe(404);

    const statement = await get<Record<string, unknown>>(`/_sim/polymarket/statement?address=${address}`);
    expect(statement).toMatchObject({ startingBalance: 1000, deposits: 0, positions: [] });
    const fills = statement.fills as { side: string; size: number; price: number; fee: number }[];
    expect(fills.map((f) => [f.side, f.size, f.price])).toEqual([
      ['BUY', 10, 0.45],
      ['BUY', 5, 0.58],
    ]);
    const payouts = statement.payouts as { outcome: string; size: number; amount: number }[];
    expect(payouts.map((p) => [p.outcome, p.size, p.amount])).toEqual([
      ['Yes', 10, 0],
      ['No', 5, 5],
    ]);
    const fees = fills.reduce((s, f) => s + f.fee, 0);
    // The venue's cash change is exactly fills and payouts: −4.5 − 2.9 − fees + 5.
    expect(statement.cashChange).toBeCloseTo(-4.5 - 2.9 - fees + 5, 6);
    expect(statement.cash).toBeCloseTo(await cash(), 6);
    expect((await fetch(`${sim.origin}/_sim/polymarket/statement?address=0x${'0'.repeat(39)}9`)).status).toBe(404);
  });

  it('resolves 50-50: both tokens pay 0.5, outcomePrices ["0.5","0.5"], no winner', async () => {
    const spec = marketSpec('charlie');
    expect((await control('list', { eventId: '990001', market: spec })).status).toBe(200);
    const { client, address } = await trader();
    await client.postOrder(
      await client.createOrder({ tokenID: spec.tokens[0].tokenId, price: 0.45, size: 20, side: Side.BUY }),
      OrderType.FOK,
    );
    const listener = await listen({ assets_ids: [], type: 'market', custom_feature_enabled: true });
    expect((await control('resolve', { conditionId: spec.conditionId, split: true })).status).toBe(200);
    const [m] = await get<Record<string, unknown>[]>(`/gamma/markets?condition_ids=${spec.conditionId}`);
    expect(m).toMatchObject({ closed: true, outcomePrices: '["0.5","0.5"]', umaResolutionStatus: 'resolved' });
    const clob = await new ClobClient({ host: sim.origin, chain: Chain.POLYGON }).getMarket(spec.conditionId);
    expect(clob.tokens.map((t: { winner: boolean; price: number }) => [t.winner, t.price])).toEqual([
      [false, 0.5],
      [false, 0.5],
    ]);
    expect(
      await until(() => listener.messages.find((x) => (x as { event_type?: string }).event_type === 'market_resolved')),
    ).toMatchObject({ market: spec.conditionId, winning_asset_id: '', winning_outcome: '' });
    listener.ws.close();
    const statement = await get<{ payouts: { amount: number; payoutPerShare: number }[] }>(
      `/_sim/polymarket/statement?address=${address}`,
    );
    expect(statement.payouts).toMatchObject([{ amount: 10, payoutPerShare: 0.5 }]);
  });
});
