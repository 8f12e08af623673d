// The inbound-silence watchdog against the simulator: the market socket stays open and answers PINGs but sends no data
// (`/_sim/polymarket/silence`). After `silenceMs` the stream drops and reconnects it; the venue's fresh snapshots carry
// what changed meanwhile, and data flows again.
import type { OrderBook } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolymarketMarketData } from './market-data.ts';
import { BTC_UP, simControl, startPolymarketSim, until, type VenueSim } from '../../test/polymarket-sim.ts';

describe('Polymarket book stream: a silent socket', () => {
  let sim: VenueSim;
  const latest = new Map<string, OrderBook>();
  const silences: number[] = [];
  let sub: ReturnType<PolymarketMarketData['subscribeBooks']>;

  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
    const md = new PolymarketMarketData({
      clobUrl: sim.urls.polymarketClob ?? sim.origin,
      gammaUrl: sim.urls.polymarketGamma ?? `${sim.origin}/gamma`,
      wsUrl: sim.urls.polymarketWs ?? '',
      reconnectBaseMs: 20,
      reconnectMaxMs: 100,
      silenceMs: 150,
      onSilence: (ms) => silences.push(ms),
    });
    sub = md.subscribeBooks(
      (u) => latest.set(u.book.instrumentId, u.book),
      () => undefined,
    );
    sub.add([BTC_UP]);
    await until(() => latest.has(BTC_UP), 'snapshot');
  });
  afterAll(async () => {
    await sub.close();
    await sim.close();
  });

  it('reconnects a socket that stays open but sends nothing, and data flows again', async () => {
    const { silenced } = (await simControl(sim, 'silence', { ms: 300 })) as { silenced: number };
    expect(silenced).toBe(1);
    // Changed while the socket is silent: only a fresh snapshot after the watchdog reconnects can show it.
    await simControl(sim, 'set-level', { tokenId: BTC_UP, side: 'bid', price: 0.33, size: 41 });
    await until(
      () => latest.get(BTC_UP)?.bids.some((l) => l.price === 0.33 && l.size === 41) === true,
      'the change made during the silence, seen after the watchdog reconnected',
      1000,
    );
    expect(sub.stream.stats.silenceReconnects).toBeGreaterThanOrEqual(1);
    expect(silences.length).toBe(sub.stream.stats.silenceReconnects);
    // And the reconnected socket carries deltas again.
    await simControl(sim, 'set-level', { tokenId: BTC_UP, side: 'bid', price: 0.34, size: 9 });
    await until(() => latest.get(BTC_UP)?.bids.some((l) => l.price === 0.34 && l.size === 9) === true, 'delta', 1000);
  });
});
