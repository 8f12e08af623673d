// A Kalshi trading pause against the simulator (real kalshi-typescript): `GET /exchange/status` says not trading,
// an order is a VenuePausedError (not a rejected order), resting orders placed with `cancel_order_on_pause` are
// cancelled when the pause starts, the others stay; after the pause orders go through again.
import type { OrderRequest } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPair, startKalshiSim, type SimHandle } from '@polybot/local-stack/testing';
import { VenuePausedError } from '../venue-errors.ts';
import { kalshiExchangeStatus } from './exchange-status.ts';
import type { createKalshiVenue } from './index.ts';
import { kalshiVenueAs } from '../../test/kalshi-sim.ts';

const H0 = 'KXFEDDECISION-26JUN-H0';

describe('Kalshi trading pause', () => {
  let h: SimHandle;
  let venue: ReturnType<typeof createKalshiVenue>;
  const gtc = (clientOrderId: string): OrderRequest => ({
    venue: 'kalshi',
    instrumentId: `${H0}:yes`,
    side: 'buy',
    limitPrice: 0.2,
    size: 3,
    orderType: 'GTC',
    clientOrderId,
  });

  beforeAll(async () => {
    h = await startKalshiSim('arb-rich');
    venue = kalshiVenueAs(h, { keyId: 'pauser', keys: keyPair(), balanceCents: 1_000_000 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('pauses: status not trading, orders refused as paused, cancel_order_on_pause orders cancelled; then resumes', async () => {
    const kept = await venue.trading.placeOrder(gtc('kx-pause-kept'));
    const raw = await venue.client.write(() =>
      venue.client.orders.createOrderV2({
        ticker: H0,
        client_order_id: 'kx-pause-cancelled',
        side: 'bid',
        count: '2.00',
        price: '0.2000',
        time_in_force: 'good_till_canceled',
        self_trade_prevention_type: 'taker_at_cross',
        cancel_order_on_pause: true,
      }),
    );
    expect(raw).toMatchObject({ order_id: expect.any(String) as unknown });
    expect(await kalshiExchangeStatus(venue.client)).toEqual({ trading: true, resumeAtMs: null });

    expect(await h.sim.control('pause', { ms: 600_000 })).toMatchObject({ status: 200, body: { cancelled: 1 } });
    const status = await kalshiExchangeStatus(venue.client);
    expect(status.trading).toBe(false);
    expect(status.resumeAtMs).toBeGreaterThan(0);
    const refused = await venue.trading.placeOrder(gtc('kx-pause-refused')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VenuePausedError);
    expect(refused).toMatchObject({ venue: 'kalshi', reason: expect.stringMatching(/trading_is_paused/) as unknown });
    const open = await venue.trading.openOrders();
    expect(open.map((o) => o.venueOrderId)).toEqual([kept.venueOrderId]);

    await h.sim.control('pause', { ms: 0 });
    expect((await kalshiExchangeStatus(venue.client)).trading).toBe(true);
    expect(await venue.trading.placeOrder(gtc('kx-pause-after'))).toMatchObject({ status: 'resting' });
  });
});
