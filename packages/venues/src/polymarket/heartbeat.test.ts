// PolymarketHeartbeat against the simulator (real clob-client-v2): each beat sends the id the last answer gave; a
// refused id (the chain expired) starts a fresh chain instead of failing forever. Scenario time moves only by hand.
import { polymarketOrders } from '@polybot/local-stack/testing';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolymarketHeartbeat } from './heartbeat.ts';
import { PolymarketTrading } from './trading.ts';
import { BTC_UP, startPolymarketSim, type VenueSim } from '../../test/polymarket-sim.ts';

describe('PolymarketHeartbeat', () => {
  let sim: VenueSim;
  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
  });
  afterAll(async () => {
    await sim.close();
  });

  it('chains the ids, and after the chain expired starts a new one', async () => {
    const trading = await PolymarketTrading.connect({ clobUrl: sim.origin, privateKey: generatePrivateKey() });
    const sent: string[] = [];
    const client = {
      postHeartbeat: (id?: string) => {
        sent.push(id ?? '');
        return trading.client.postHeartbeat(id);
      },
    };
    const hb = new PolymarketHeartbeat(client, { intervalMs: 60_000 });
    await hb.beat();
    await hb.beat();
    expect(sent[0]).toBe('');
    expect(sent[1]).not.toBe('');
    const order = await trading.placeOrder({
      venue: 'polymarket',
      instrumentId: BTC_UP,
      side: 'buy',
      limitPrice: 0.1,
      size: 10,
      orderType: 'GTC',
      clientOrderId: 'heartbeat-gtc-0001',
    });
    expect(order.status).toBe('resting');

    sim.advance(10_001); // no beat for longer than the venue's timeout: orders cancelled, chain ended
    const { orders } = await polymarketOrders(sim.origin, trading.address);
    expect(orders).toEqual([expect.objectContaining({ status: 'CANCELED', cancelReason: 'heartbeat_timeout' })]);

    await hb.beat(); // the old id is refused (400); a fresh chain is started
    expect(sent.slice(2)).toEqual([sent[2], '']);
    expect(sent[2]).not.toBe('');
    expect(hb.acknowledged).toBe(3);
    expect((await polymarketOrders(sim.origin, trading.address)).heartbeats).toBe(3);
  });
});
