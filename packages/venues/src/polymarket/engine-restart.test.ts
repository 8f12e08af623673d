// A matching-engine restart against the simulator (real clob-client-v2): HTTP 425 on the order endpoints, then the
// post-only window — both are a VenuePausedError, not a rejected order; afterwards the same order goes through.
import type { OrderRequest } from '@polybot/schemas';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VenuePausedError } from '../venue-errors.ts';
import { PolymarketTrading } from './trading.ts';
import { FED_NO_CHANGE_NO, simControl, startPolymarketSim, type VenueSim } from '../../test/polymarket-sim.ts';

const order: OrderRequest = {
  venue: 'polymarket',
  side: 'buy',
  instrumentId: FED_NO_CHANGE_NO,
  limitPrice: 0.99,
  size: 5,
  orderType: 'FOK',
  clientOrderId: 'engine-restart-1',
};

describe('Polymarket matching-engine restart', () => {
  let sim: VenueSim;
  let trading: PolymarketTrading;
  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
    trading = await PolymarketTrading.connect({ clobUrl: sim.origin, privateKey: generatePrivateKey() });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('425 while restarting, then the post-only window: paused both times; then the order fills', async () => {
    await simControl(sim, 'engine-restart', { restartMs: 600_000, postOnlyMs: 0 });
    const restarting = await trading.placeOrder(order).catch((e: unknown) => e);
    expect(restarting).toBeInstanceOf(VenuePausedError);
    expect(restarting).toMatchObject({ venue: 'polymarket', reason: 'matching engine restarting (HTTP 425)' });

    await simControl(sim, 'engine-restart', { restartMs: 0, postOnlyMs: 600_000 });
    const postOnly = await trading.placeOrder(order).catch((e: unknown) => e);
    expect(postOnly).toBeInstanceOf(VenuePausedError);
    expect(postOnly).toMatchObject({ reason: 'post-only mode after a matching engine restart' });

    await simControl(sim, 'engine-restart', { restartMs: 0, postOnlyMs: 0 });
    expect(await trading.placeOrder(order)).toMatchObject({ status: 'filled', filledSize: 5 });
  });
});
