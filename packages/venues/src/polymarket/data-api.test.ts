// The data-API client against the venue simulator (arb-rich: one followed wallet whose trades appear as scenario
// time passes), including paging, retries on a 5xx and a response the venue should never send.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolymarketDataApi } from './data-api.ts';
import { simControl, startPolymarketSim, type VenueSim } from '../../test/polymarket-sim.ts';

const WALLET = '0x9fb96c5cf2027d0ce8e0e92fc30b52e81f001866';
const FED_NO_CHANGE_YES = '30767812841387255642892182147223249245545002662653079696958384408588201824258';
const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';

let sim: VenueSim;
const apiFor = (o: { pageSize?: number } = {}): PolymarketDataApi =>
  new PolymarketDataApi({
    url: sim.urls.polymarketDataApi ?? `${sim.origin}/data-api`,
    retries: 2,
    baseDelayMs: 10,
    ...o,
  });

beforeAll(async () => {
  sim = await startPolymarketSim('arb-rich');
});
afterAll(async () => {
  await sim?.close();
});

describe('PolymarketDataApi', () => {
  it('reads a wallet’s trades newest first, typed (numbers, seconds), and pages through them', async () => {
    const api = apiFor({ pageSize: 2 });
    const first = await api.tradesPage(WALLET);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      proxyWallet: WALLET,
      side: 'BUY',
      asset: FED_NO_CHANGE_YES,
      size: 50,
      price: 0.981,
    });
    expect(first[0]?.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    await fetch(`${sim.origin}/_sim/advance`, { method: 'POST', body: JSON.stringify({ ms: 90_000 }) });
    // Three trades now, two per page: tradesSince with no bound reads one page; with an old bound, both pages.
    expect((await api.tradesSince(WALLET)).map((t) => t.side)).toEqual(['SELL', 'BUY']);
    const all = await api.tradesSince(WALLET, { afterTimestampSec: 0 });
    expect(all.map((t) => t.asset)).toEqual([BTC_UP, BTC_UP, FED_NO_CHANGE_YES]);
    expect(all.map((t) => t.timestamp)).toEqual([...all.map((t) => t.timestamp)].sort((a, b) => b - a));
    // A bound at the newest trade's second stops after page one and keeps only trades at or after it.
    const newest = all[0]?.timestamp ?? 0;
    expect((await api.tradesSince(WALLET, { afterTimestampSec: newest })).map((t) => t.side)).toEqual(['SELL']);
    expect(await api.tradesPage('0x0000000000000000000000000000000000000002')).toEqual([]);
    const activity = await api.activityPage(WALLET, 0, 10);
    expect(activity.map((a) => a.type)).toEqual(['TRADE', 'TRADE', 'TRADE']);
  });

  it('retries a 5xx and returns the page; gives up after its retries', async () => {
    const api = apiFor();
    await simControl(sim, 'fail-next', {
      method: 'GET',
      path: '/data-api/trades',
      status: 503,
      when: 'before',
      count: 2,
    });
    expect((await api.tradesPage(WALLET)).length).toBeGreaterThan(0);
    await simControl(sim, 'fail-next', {
      method: 'GET',
      path: '/data-api/trades',
      status: 500,
      when: 'before',
      count: 3,
    });
    await expect(api.tradesPage(WALLET)).rejects.toThrow(/500/);
  });

  it('rejects a response that is not the data-API’s shape instead of passing it on', async () => {
    const server = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify([{ proxyWallet: WALLET, side: 'HOLD' }])),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(
        new PolymarketDataApi({ url: `http://127.0.0.1:${port}`, retries: 0 }).tradesPage(WALLET),
      ).rejects.toThrow(/side|asset/);
    } finally {
      server.close();
    }
  });
});
