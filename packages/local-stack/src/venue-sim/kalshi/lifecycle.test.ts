// Market lifecycle on the simulated Kalshi with the unmodified kalshi-typescript SDK over real HTTP: runtime
// listing, resolution active → closed → determined → finalized on scenario time (status filters as documented),
// `GET /portfolio/settlements` (authenticated, cursor-paginated) paying the balance, voids, refusals, the statement.
import { constants, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKalshiSim, WS_PATH, type KalshiSim } from './index.ts';
import { apis, errorOf, keyPair, oneMarketScenario } from '../../../testing/kalshi-sdk.ts';
import { serveVenue, type TestServer } from '../../../testing/venue-server.ts';

const market = (ticker: string) => ({
  ticker,
  title: `${ticker}?`,
  yes_sub_title: ticker,
  close_time: '2026-01-01T00:00:00Z',
  book: { yes: [['0.40', '100']], no: [['0.55', '100']] },
});

describe('kalshi market lifecycle', () => {
  let now = 1_800_000_000_000;
  let sim: KalshiSim;
  let server: TestServer;
  const keys = keyPair();
  const control = async (action: string, body: unknown): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${server.origin}/_sim/kalshi/${action}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const client = () => apis(`${server.origin}/trade-api/v2`, 'carol', keys.privatePem);
  const buy = (ticker: string, side: 'bid' | 'ask', price: string, n: string, id: string) =>
    client().orders.createOrderV2({
      ticker,
      client_order_id: id,
      side,
      count: n,
      price,
      time_in_force: 'fill_or_kill',
      self_trade_prevention_type: 'taker_at_cross',
    });
  /** Tickers `GET /markets?status=<filter>` returns, through the SDK (status is its 12th parameter). */
  const statuses = async (filter: 'unopened' | 'open' | 'closed' | 'settled'): Promise<string[]> => {
    const none = undefined;
    const { data } = await client().market.getMarkets(
      1000,
      none,
      none,
      none,
      none,
      none,
      none,
      none,
      none,
      none,
      none,
      filter,
    );
    return data.markets.map((m) => m.ticker).sort();
  };

  beforeAll(async () => {
    sim = createKalshiSim(oneMarketScenario({ yes: [['0.30', '100']], no: [['0.60', '100']] }), { clock: () => now });
    server = await serveVenue(sim);
    sim.registerAccount('carol', keys.publicPem, 100_000);
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists an event and a market at runtime; duplicates are refused', async () => {
    const listed = await control('list', {
      event: {
        event_ticker: 'KXLIVE-1',
        series_ticker: 'KXLIVE',
        title: 'Live one',
        mutually_exclusive: false,
        markets: [market('KXLIVE-1-A')],
      },
    });
    expect(listed).toEqual({ status: 200, body: { tickers: ['KXLIVE-1-A'] } });
    expect((await control('list', { event_ticker: 'KXLIVE-1', market: market('KXLIVE-1-B') })).status).toBe(200);
    expect((await control('list', { event_ticker: 'KXLIVE-1', market: market('KXLIVE-1-B') })).status).toBe(409);
    const { data } = await client().events.getEvent('KXLIVE-1');
    expect(data.markets.map((m) => [m.ticker, m.status])).toEqual([
      ['KXLIVE-1-A', 'active'],
      ['KXLIVE-1-B', 'active'],
    ]);
    expect(await statuses('open')).toEqual(['KXLIVE-1-A', 'KXLIVE-1-B', 'KXTEST-26JAN01-A']);
  });

  it('closes at once, determines and settles on schedule, pays the balance, lists settlements with a cursor', async () => {
    await buy('KXLIVE-1-A', 'bid', '0.45', '10', 'carol-1'); // YES 10 @ 0.45
    await buy('KXLIVE-1-B', 'ask', '0.40', '4', 'carol-2'); // NO 4 @ 0.60 (YES price 0.40)
    await buy('KXTEST-26JAN01-A', 'bid', '0.40', '3', 'carol-3'); // YES 3 @ 0.40
    const balance = async (): Promise<number> => (await client().portfolio.getBalance()).data.balance;
    const before = await balance();

    const resolved = await control('resolve', {
      ticker: 'KXLIVE-1-A',
      result: 'yes',
      determine_after_ms: 60_000,
      settle_after_ms: 120_000,
    });
    expect(resolved).toEqual({ status: 200, body: { ticker: 'KXLIVE-1-A', status: 'closed' } });
    const m = async () => (await client().market.getMarket('KXLIVE-1-A')).data.market;
    expect(await m()).toMatchObject({ status: 'closed', result: '' });
    expect(await statuses('closed')).toEqual(['KXLIVE-1-A']);
    expect(await errorOf(buy('KXLIVE-1-A', 'bid', '0.45', '1', 'carol-4'))).toMatchObject({
      status: 400,
      body: { error: { code: 'market_closed' } },
    });
    now += 60_000;
    expect(await m()).toMatchObject({ status: 'determined', result: 'yes', settlement_value_dollars: '1.0000' });
    expect(await statuses('closed')).toEqual(['KXLIVE-1-A']);
    expect(await balance()).toBe(before);
    now += 60_000;
    const settled = await m();
    expect(settled).toMatchObject({ status: 'finalized', result: 'yes', settlement_ts: new Date(now).toISOString() });
    expect(await statuses('settled')).toEqual(['KXLIVE-1-A']);
    expect(await balance()).toBe(before + 1_000);

    expect((await control('resolve', { ticker: 'KXLIVE-1-B', result: 'yes' })).status).toBe(200);
    expect((await control('resolve', { ticker: 'KXLIVE-1-B', result: 'no' })).status).toBe(404);
    expect((await control('resolve', { ticker: 'KXTEST-26JAN01-A', result: 'void' })).status).toBe(200);
    const voided = (await client().market.getMarket('KXTEST-26JAN01-A')).data.market;
    expect(voided).toMatchObject({ status: 'finalized', result: 'void' });
    expect(voided.settlement_value_dollars).toBeUndefined();
    // Won 10 × $1; lost the NO; the void paid back the 3 × 0.40 cost (not its fee).
    expect(await balance()).toBe(before + 1_000 + 120);

    const first = await client().portfolio.getSettlements(2);
    expect(first.data.settlements.map((s) => [s.ticker, s.market_result, s.revenue])).toEqual([
      ['KXTEST-26JAN01-A', 'void', 120],
      ['KXLIVE-1-B', 'yes', 0],
    ]);
    expect(first.data.cursor).toBeTruthy();
    const second = await client().portfolio.getSettlements(2, first.data.cursor);
    expect(second.data.cursor).toBeFalsy();
    expect(second.data.settlements).toEqual([
      expect.objectContaining({
        ticker: 'KXLIVE-1-A',
        event_ticker: 'KXLIVE-1',
        market_result: 'yes',
        yes_count: 10,
        yes_count_fp: '10.00',
        yes_total_cost: 450,
        yes_total_cost_dollars: '4.5000',
        no_count: 0,
        revenue: 1_000,
        value: 100,
        settled_time: settled.settlement_ts,
      }),
    ]);
    const unsigned = await fetch(`${server.origin}/trade-api/v2/portfolio/settlements`);
    expect(unsigned.status).toBe(401);
  });

  it('serves an account statement whose cash change equals fills, fees and settlements', async () => {
    const res = await fetch(`${server.origin}/_sim/kalshi/statement?member=carol`);
    expect(res.status).toBe(200);
    const s = (await res.json()) as {
      starting_balance_dollars: string;
      balance_dollars: string;
      cash_change_dollars: string;
      fees_dollars: string;
      fills: { count_fp: string; yes_price_dollars: string; side: string; fee_cost: string }[];
      settlements: { revenue: number }[];
      positions: unknown[];
    };
    expect(s.starting_balance_dollars).toBe('1000.0000');
    expect(s.positions).toEqual([]);
    const cost = s.fills.reduce((sum, f) => {
      const yes = Number(f.yes_price_dollars);
      return sum + Number(f.count_fp) * (f.side === 'yes' ? yes : 1 - yes);
    }, 0);
    const fees = s.fills.reduce((sum, f) => sum + Number(f.fee_cost), 0);
    const revenue = s.settlements.reduce((sum, r) => sum + r.revenue / 100, 0);
    expect(Number(s.fees_dollars)).toBeCloseTo(fees, 4);
    expect(Number(s.cash_change_dollars)).toBeCloseTo(-cost - fees + revenue, 4);
    expect(Number(s.balance_dollars) - Number(s.starting_balance_dollars)).toBeCloseTo(
      Number(s.cash_change_dollars),
      4,
    );
    expect((await fetch(`${server.origin}/_sim/kalshi/statement?member=nobody`)).status).toBe(404);
  });

  it('announces listing, early close, determination and settlement on the market_lifecycle_v2 channel', async () => {
    const ts = String(Date.now());
    const signature = sign('sha256', Buffer.from(`${ts}GET${WS_PATH}`), {
      key: keys.privatePem,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    }).toString('base64');
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}${WS_PATH}`, {
      headers: { 'KALSHI-ACCESS-KEY': 'carol', 'KALSHI-ACCESS-TIMESTAMP': ts, 'KALSHI-ACCESS-SIGNATURE': signature },
    });
    const messages: { type: string; sid?: number; seq?: number; msg?: Record<string, unknown> }[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as (typeof messages)[number]));
    const waitFor = async (n: number): Promise<void> => {
      for (let i = 0; i < 400 && messages.length < n; i++) await new Promise((r) => setImmediate(r));
      if (messages.length < n) throw new Error(`got ${JSON.stringify(messages)}`);
    };
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ id: 9, cmd: 'subscribe', params: { channels: ['market_lifecycle_v2'] } }));
    await waitFor(1);
    expect(messages[0]).toMatchObject({ id: 9, type: 'subscribed', msg: { channel: 'market_lifecycle_v2' } });
    await control('list', {
      event: {
        event_ticker: 'KXLIVE-2',
        series_ticker: 'KXLIVE',
        title: 'Live two',
        mutually_exclusive: true,
        markets: [market('KXLIVE-2-A')],
      },
    });
    await control('resolve', { ticker: 'KXLIVE-2-A', result: 'no', determine_after_ms: 1_000, settle_after_ms: 2_000 });
    now += 2_000;
    sim.advanceTo(now);
    await waitFor(6);
    ws.close();
    expect(messages.slice(1).map((m) => [m.type, m.seq, m.msg?.['event_type'] ?? m.msg?.['event_ticker']])).toEqual([
      ['event_lifecycle', 1, 'KXLIVE-2'],
      ['market_lifecycle_v2', 2, 'created'],
      ['market_lifecycle_v2', 3, 'close_date_updated'],
      ['market_lifecycle_v2', 4, 'determined'],
      ['market_lifecycle_v2', 5, 'settled'],
    ]);
    expect(messages[2]?.msg).toMatchObject({
      market_ticker: 'KXLIVE-2-A',
      close_ts: Date.parse('2026-01-01T00:00:00Z') / 1000,
      additional_metadata: { title: 'KXLIVE-2-A?', yes_sub_title: 'KXLIVE-2-A' },
    });
    expect(messages[4]?.msg).toMatchObject({ result: 'no', settlement_value: '0.0000' });
    expect(messages[5]?.msg).toMatchObject({ settled_ts: Math.floor(now / 1000) });
  });
});
