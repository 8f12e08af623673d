// The hub against the simulator over the real WebSocket: 50 consumers of the same 100 instruments cost the
// venue exactly one subscription per instrument, every consumer still gets every book, and leaving unsubscribes.
import type { Instrument } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  marketDataFor,
  simControl,
  simStats,
  startPolymarketSim,
  until,
  type VenueSim,
} from '../../test/polymarket-sim.ts';
import type { BookUpdate } from '../venue.ts';
import { MarketDataHub, type HubConsumer } from './market-data-hub.ts';

describe('MarketDataHub fan-out', () => {
  let sim: VenueSim;
  let hub: MarketDataHub;
  let instruments: Instrument[];
  beforeAll(async () => {
    sim = await startPolymarketSim('stress');
    const md = marketDataFor(sim);
    const all = await md.listInstruments();
    // 2,505 markets: Gamma discovery paginated through six pages of 500.
    expect(all).toHaveLength(5010);
    instruments = all.slice(0, 100);
    hub = new MarketDataHub(md);
  });
  afterAll(async () => {
    await hub.close();
    await sim.close();
  });

  it('50 consumers × 100 instruments = one venue subscription per instrument', async () => {
    const ids = instruments.map((i) => i.instrumentId);
    expect(ids).toHaveLength(100);
    const seen = Array.from({ length: 50 }, () => new Map<string, BookUpdate[]>());
    const consumers: HubConsumer[] = seen.map((mine) =>
      hub.subscribe((u) => mine.set(u.book.instrumentId, [...(mine.get(u.book.instrumentId) ?? []), u])),
    );
    // Half join at once, half in slices later, so both the "first subscriber" and "late joiner" paths run.
    for (const c of consumers.slice(0, 25)) c.add(ids);
    await until(() => seen.slice(0, 25).every((m) => m.size === 100), 'first 25 consumers have every book');
    for (const c of consumers.slice(25)) {
      c.add(ids.slice(0, 50));
      c.add(ids.slice(50));
    }
    await until(() => seen.every((m) => m.size === 100), 'all 50 consumers have every book');
    for (const m of seen) for (const list of m.values()) expect(list[0]?.kind).toBe('snapshot');

    const stats = await simStats(sim);
    expect(stats.connections).toBe(1);
    expect(Object.keys(stats.subscriptions).sort()).toEqual([...ids].sort());
    expect(Object.values(stats.subscriptions).every((n) => n === 1)).toBe(true);
    expect(hub.stats()).toMatchObject({ consumers: 50, instruments: 100, venueAdds: 100 });

    // One venue change reaches all 50 consumers.
    const target = ids[0] ?? '';
    const book = await marketDataFor(sim).getBook(target);
    const price = book.bids[0]?.price ?? 0.5;
    await simControl(sim, 'set-level', { tokenId: target, side: 'bid', price, size: 4321 });
    await until(
      () => seen.every((m) => m.get(target)?.some((u) => u.kind === 'delta' && u.book.bids[0]?.size === 4321) === true),
      'delta fanned out',
    );

    // Leaving: instruments stay subscribed while anyone wants them, and go when the last consumer leaves.
    for (const c of consumers.slice(1)) c.close();
    consumers[0]?.remove(ids.slice(0, 60));
    await until(async () => (await simStats(sim)).totalSubscriptions === 40, 'only the last consumer’s 40 remain');
    consumers[0]?.close();
    await until(async () => (await simStats(sim)).totalSubscriptions === 0, 'all unsubscribed');
    expect(hub.stats()).toMatchObject({ consumers: 0, instruments: 0, venueRemoves: 100 });
  });
});
