// Matching-engine rules through the SDK: self-trade prevention both ways, partial fills, IOC remainder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKalshiSim, type KalshiSim } from './index.ts';
import { apis, keyPair, oneMarketScenario } from '../../../testing/kalshi-sdk.ts';
import { serveVenue, type TestServer } from '../../../testing/venue-server.ts';

const T = 'KXTEST-26JAN01-A';
const scenario = oneMarketScenario({ yes: [['0.40', '10']], no: [['0.50', '10']] });

describe('kalshi sim matching', () => {
  let sim: KalshiSim;
  let server: TestServer;
  const keys = keyPair();
  let client: ReturnType<typeof apis>;
  const base = {
    ticker: T,
    count: '4',
    price: '0.50',
    side: 'bid' as const,
    time_in_force: 'immediate_or_cancel' as const,
  };

  beforeAll(async () => {
    sim = createKalshiSim(scenario, { clock: () => 1_000 });
    server = await serveVenue(sim);
    sim.registerAccount('carol', keys.publicPem, 10_000);
    client = apis(`${server.origin}/trade-api/v2`, 'carol', keys.privatePem);
    // Carol's own NO bid at 0.55 (= YES ask 0.45) sits ahead of the house NO bid at 0.50.
    await client.orders.createOrderV2({
      ticker: T,
      client_order_id: 'carol-rest-1',
      side: 'ask',
      count: '5',
      price: '0.45',
      time_in_force: 'good_till_canceled',
      self_trade_prevention_type: 'taker_at_cross',
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('taker_at_cross: a taker that would hit its own resting order is cancelled, the resting order stays', async () => {
    const { data } = await client.orders.createOrderV2({
      ...base,
      client_order_id: 'carol-take-1',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(data).toMatchObject({ fill_count: '0.00', remaining_count: '0.00' });
    const book = (await client.market.getMarketOrderbook(T)).data.orderbook_fp;
    expect(book.no_dollars).toEqual([
      ['0.5000', '10.00'],
      ['0.5500', '5.00'],
    ]);
  });

  it('maker: the resting order is cancelled (and refunded) and the taker trades on with others', async () => {
    const before = (await client.portfolio.getBalance()).data.balance;
    const { data } = await client.orders.createOrderV2({
      ...base,
      client_order_id: 'carol-take-2',
      self_trade_prevention_type: 'maker',
    });
    expect(data).toMatchObject({ fill_count: '4.00', remaining_count: '0.00', average_fill_price: '0.500000' });
    const resting = (await client.orders.getOrders(undefined, undefined, undefined, undefined, 'resting')).data.orders;
    expect(resting).toEqual([]);
    const book = (await client.market.getMarketOrderbook(T)).data.orderbook_fp;
    expect(book.no_dollars).toEqual([['0.5000', '6.00']]);
    // refund 5 × 0.55 = 2.75; pay 4 × 0.50 = 2.00 + fee ceil(0.07·4·0.25 = 0.07) = 0.07
    expect((await client.portfolio.getBalance()).data.balance).toBe(before + 275 - 200 - 7);
  });

  it('IOC fills what crosses and cancels the rest; GTC rests the remainder', async () => {
    const ioc = await client.orders.createOrderV2({
      ...base,
      client_order_id: 'carol-take-3',
      count: '10',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(ioc.data).toMatchObject({ fill_count: '6.00', remaining_count: '0.00' });
    const gtc = await client.orders.createOrderV2({
      ...base,
      client_order_id: 'carol-take-4',
      count: '3',
      price: '0.41',
      time_in_force: 'good_till_canceled',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(gtc.data).toMatchObject({ fill_count: '0.00', remaining_count: '3.00' });
    const book = (await client.market.getMarketOrderbook(T)).data.orderbook_fp;
    expect(book).toEqual({
      yes_dollars: [
        ['0.4000', '10.00'],
        ['0.4100', '3.00'],
      ],
      no_dollars: [],
    });
  });
});
