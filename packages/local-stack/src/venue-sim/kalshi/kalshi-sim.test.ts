// The simulated Kalshi venue driven by the unmodified kalshi-typescript SDK over real HTTP and WebSocket.
import { constants, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKalshiSim, WS_PATH, type KalshiSim } from './index.ts';
import { apis, errorOf, keyPair, loadScenario } from '../../../testing/kalshi-sdk.ts';
import { serveVenue, type TestServer } from '../../../testing/venue-server.ts';

describe('kalshi sim (arb-rich) via kalshi-typescript', () => {
  let now = 1_700_000_000_000;
  let sim: KalshiSim;
  let server: TestServer;
  let base: string;
  const alice = keyPair();
  const mallory = keyPair();

  beforeAll(async () => {
    sim = createKalshiSim(loadScenario('arb-rich'), { clock: () => now });
    server = await serveVenue(sim);
    base = `${server.origin}/trade-api/v2`;
    const res = await fetch(`${server.origin}/_sim/kalshi/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key_id: 'alice', public_key_pem: alice.publicPem, balance_cents: 100_000 }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
  });

  it('pages through markets with a cursor and serves 2026 dollar fields', async () => {
    const { market } = apis(base, 'alice', alice.privatePem);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await market.getMarkets(5, cursor);
      seen.push(...data.markets.map((m) => m.ticker));
      cursor = data.cursor || undefined;
    } while (cursor);
    expect(seen).toHaveLength(18);
    expect(new Set(seen).size).toBe(18);
    const { data } = await market.getMarket('KXFEDDECISION-26JUN-H0');
    expect(data.market).toMatchObject({
      yes_bid_dollars: '0.8300',
      yes_ask_dollars: '0.8500',
      no_bid_dollars: '0.1500',
      no_ask_dollars: '0.1700',
      status: 'active',
      event_ticker: 'KXFEDDECISION-26JUN',
    });
  });

  it('serves bids-only order books and mutually exclusive events', async () => {
    const { market, events } = apis(base, 'alice', alice.privatePem);
    const { data } = await market.getMarketOrderbook('KXFEDDECISION-26JUN-H0');
    expect(data.orderbook_fp.yes_dollars).toEqual([
      ['0.8100', '650'.concat('.00')],
      ['0.8200', '300.00'],
      ['0.8300', '120.00'],
    ]);
    expect(data.orderbook_fp.no_dollars.at(-1)).toEqual(['0.1500', '120.00']);
    const ev = await events.getEvent('KXFEDDECISION-26JUN');
    expect(ev.data.event.mutually_exclusive).toBe(true);
    expect(ev.data.markets).toHaveLength(5);
    const list = await events.getEvents(100);
    expect(list.data.events.map((e) => e.event_ticker).sort()).toEqual(['KXELONTWEETS-26APR10', 'KXFEDDECISION-26JUN']);
    const missing = await errorOf(market.getMarket('NOPE'));
    expect(missing.status).toBe(404);
  });

  it('rejects unknown keys, signatures from another key, and stale timestamps', async () => {
    const unknown = await errorOf(apis(base, 'nobody', alice.privatePem).portfolio.getBalance());
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: { code: 'authentication_error' } });
    const forged = await errorOf(apis(base, 'alice', mallory.privatePem).portfolio.getBalance());
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'authentication_error', message: 'invalid signature' } });
    const ts = String(Date.now() - 120_000);
    const path = '/trade-api/v2/portfolio/balance';
    const sig = sign('sha256', Buffer.from(`${ts}GET${path}`), {
      key: alice.privatePem,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    }).toString('base64');
    const stale = await fetch(`${server.origin}${path}`, {
      headers: { 'KALSHI-ACCESS-KEY': 'alice', 'KALSHI-ACCESS-TIMESTAMP': ts, 'KALSHI-ACCESS-SIGNATURE': sig },
    });
    expect(stale.status).toBe(401);
  });

  it('fills a taker order across levels, charges the fee, books the position and fill', async () => {
    const { orders, portfolio } = apis(base, 'alice', alice.privatePem);
    const before = (await portfolio.getBalance()).data.balance;
    // Buy 150 YES on H0 up to 0.86: NO bids 0.15×120 and 0.14×300 → YES 0.85×120 + 0.86×30.
    const { data } = await orders.createOrderV2({
      ticker: 'KXFEDDECISION-26JUN-H0',
      client_order_id: 'alice-order-0001',
      side: 'bid',
      count: '150',
      price: '0.86',
      time_in_force: 'immediate_or_cancel',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(data).toMatchObject({ client_order_id: 'alice-order-0001', fill_count: '150.00', remaining_count: '0.00' });
    // cost 102.00 + 25.80 = 127.80; fees per fill: ceil(0.07·120·.85·.15 = $1.071) = $1.08, ceil($0.25284) = $0.26
    expect(data.average_fill_price).toBe('0.852000');
    const after = (await portfolio.getBalance()).data.balance;
    expect(before - after).toBe(12_780 + 108 + 26);
    const fills = (await portfolio.getFills('KXFEDDECISION-26JUN-H0')).data.fills;
    expect(fills.map((f) => [f.count_fp, f.yes_price_dollars, f.is_taker, f.fee_cost]).sort()).toEqual([
      ['120.00', '0.8500', true, '1.0800'],
      ['30.00', '0.8600', true, '0.2600'],
    ]);
    const pos = (await portfolio.getPositions()).data.market_positions;
    expect(pos).toContainEqual(expect.objectContaining({ ticker: 'KXFEDDECISION-26JUN-H0', position_fp: '150.00' }));
    const dup = await errorOf(
      orders.createOrderV2({
        ticker: 'KXFEDDECISION-26JUN-H0',
        client_order_id: 'alice-order-0001',
        side: 'bid',
        count: '1',
        price: '0.86',
        time_in_force: 'immediate_or_cancel',
        self_trade_prevention_type: 'taker_at_cross',
      }),
    );
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: { code: 'order_already_exists' } });
  });

  it('rests a GTC order (collateral held), lists it, cancels it (collateral back); FOK that cannot fill is cancelled', async () => {
    const { orders, portfolio, market } = apis(base, 'alice', alice.privatePem);
    const before = (await portfolio.getBalance()).data.balance;
    // ask at YES 0.90 = buy NO at 0.10, below the best YES bid 0.83 → NO at 0.10 vs YES bid 0.83 does not cross.
    const { data } = await orders.createOrderV2({
      ticker: 'KXFEDDECISION-26JUN-H0',
      client_order_id: 'alice-order-0002',
      side: 'ask',
      count: '10',
      price: '0.90',
      time_in_force: 'good_till_canceled',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(data).toMatchObject({ fill_count: '0.00', remaining_count: '10.00' });
    expect((await portfolio.getBalance()).data.balance).toBe(before - 100);
    const book = (await market.getMarketOrderbook('KXFEDDECISION-26JUN-H0')).data.orderbook_fp;
    expect(book.no_dollars).toContainEqual(['0.1000', '10.00']);
    const open = (await orders.getOrders(undefined, undefined, undefined, undefined, 'resting')).data.orders;
    expect(open.map((o) => o.order_id)).toEqual([data.order_id]);
    expect(open[0]).toMatchObject({
      book_side: 'ask',
      outcome_side: 'no',
      yes_price_dollars: '0.9000',
      remaining_count_fp: '10.00',
    });
    const cancel = await orders.cancelOrderV2(data.order_id);
    expect(cancel.data.reduced_by).toBe('10.00');
    expect((await portfolio.getBalance()).data.balance).toBe(before);
    const fok = await orders.createOrderV2({
      ticker: 'KXFEDDECISION-26JUN-C25',
      client_order_id: 'alice-order-0003',
      side: 'bid',
      count: '500',
      price: '0.03',
      time_in_force: 'fill_or_kill',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(fok.data).toMatchObject({ fill_count: '0.00', remaining_count: '0.00' });
    expect((await portfolio.getBalance()).data.balance).toBe(before);
  });

  it('streams a snapshot then deltas with seq +1, and can skip a seq and drop connections', async () => {
    const ts = String(Date.now());
    const sig = sign('sha256', Buffer.from(`${ts}GET${WS_PATH}`), {
      key: alice.privatePem,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    }).toString('base64');
    const wsUrl = `${server.origin.replace('http', 'ws')}${WS_PATH}`;
    const ws = new WebSocket(wsUrl, {
      headers: { 'KALSHI-ACCESS-KEY': 'alice', 'KALSHI-ACCESS-TIMESTAMP': ts, 'KALSHI-ACCESS-SIGNATURE': sig },
    });
    const messages: Array<{ type: string; seq?: number; msg?: Record<string, unknown> }> = [];
    const waitFor = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && messages.length < n; i++) await new Promise((r) => setTimeout(r, 5));
      if (messages.length < n) throw new Error(`got ${JSON.stringify(messages)}`);
    };
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as (typeof messages)[number]));
    await new Promise((r) => ws.once('open', r));
    ws.send(
      JSON.stringify({
        id: 1,
        cmd: 'subscribe',
        params: { channels: ['orderbook_delta'], market_tickers: ['KXFEDDECISION-26JUN-H0'] },
      }),
    );
    await waitFor(2);
    expect(messages[0]).toMatchObject({ type: 'subscribed' });
    expect(messages[1]).toMatchObject({ type: 'orderbook_snapshot', seq: 1 });
    expect(sim.subscriptionCounts().get('KXFEDDECISION-26JUN-H0')).toBe(1);
    // The scripted path pulls the NO levels at 0.15/0.14/0.13 (0.15 was already taken by the earlier order) and
    // adds 500 at 0.01.
    now += 60_000;
    sim.advanceTo(now);
    await waitFor(5);
    expect(
      messages.slice(2).map((m) => [m.type, m.seq, m.msg?.['side'], m.msg?.['price_dollars'], m.msg?.['delta_fp']]),
    ).toEqual([
      ['orderbook_delta', 2, 'no', '0.1400', '-270.00'],
      ['orderbook_delta', 3, 'no', '0.1300', '-650.00'],
      ['orderbook_delta', 4, 'no', '0.0100', '500.00'],
    ]);
    sim.skipNextSeq();
    const { orders } = apis(base, 'alice', alice.privatePem);
    await orders.createOrderV2({
      ticker: 'KXFEDDECISION-26JUN-H0',
      client_order_id: 'alice-order-0004',
      side: 'bid',
      count: '1',
      price: '0.50',
      time_in_force: 'good_till_canceled',
      self_trade_prevention_type: 'taker_at_cross',
    });
    await waitFor(6);
    expect(messages[5]).toMatchObject({
      type: 'orderbook_delta',
      seq: 6,
      msg: { side: 'yes', price_dollars: '0.5000', delta_fp: '1.00' },
    });
    const closed = new Promise((r) => ws.once('close', r));
    expect(sim.dropConnections()).toBe(1);
    await closed;
    expect(sim.subscriptionCounts().size).toBe(0);
  });

  it('refuses a WebSocket handshake signed with the wrong key', async () => {
    const ts = String(Date.now());
    const sig = sign('sha256', Buffer.from(`${ts}GET${WS_PATH}`), {
      key: mallory.privatePem,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    }).toString('base64');
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}${WS_PATH}`, {
      headers: { 'KALSHI-ACCESS-KEY': 'alice', 'KALSHI-ACCESS-TIMESTAMP': ts, 'KALSHI-ACCESS-SIGNATURE': sig },
    });
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode);
        res.resume();
      });
      ws.on('open', () => resolve(200));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
    ws.terminate();
  });
});
