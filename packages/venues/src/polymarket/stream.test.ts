// WebSocket book recovery against the simulator: a dropped connection and a lost message (gap) both end with
// local books equal to a fresh REST snapshot.
import type { OrderBook } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookUpdate } from '../venue.ts';
import {
  BTC_DOWN,
  BTC_UP,
  FED_NO_CHANGE_NO,
  marketDataFor,
  simControl,
  simStats,
  startPolymarketSim,
  until,
  type VenueSim,
} from '../../test/polymarket-sim.ts';

const levels = (b: OrderBook | undefined): unknown => b && { bids: b.bids, asks: b.asks };

describe('Polymarket book stream recovery', () => {
  let sim: VenueSim;
  const latest = new Map<string, OrderBook>();
  const updates: BookUpdate[] = [];
  const errors: Error[] = [];
  let sub: ReturnType<ReturnType<typeof marketDataFor>['subscribeBooks']>;
  const md = (): ReturnType<typeof marketDataFor> => marketDataFor(sim);

  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
    sub = md().subscribeBooks(
      (u) => {
        updates.push(u);
        latest.set(u.book.instrumentId, u.book);
      },
      (e) => errors.push(e),
    );
    sub.add([BTC_UP, BTC_DOWN, FED_NO_CHANGE_NO]);
    await until(() => latest.size === 3, 'three snapshots');
  });
  afterAll(async () => {
    await sub.close();
    await sim.close();
  });

  const matchesRest = async (id: string): Promise<boolean> =>
    JSON.stringify(levels(latest.get(id))) === JSON.stringify(levels(await md().getBook(id)));

  it('starts from snapshots equal to REST and applies deltas', async () => {
    for (const id of [BTC_UP, BTC_DOWN, FED_NO_CHANGE_NO]) expect(await matchesRest(id)).toBe(true);
    await simControl(sim, 'set-level', { tokenId: BTC_UP, side: 'bid', price: 0.3, size: 77 });
    await until(() => latest.get(BTC_UP)?.bids.some((l) => l.price === 0.3 && l.size === 77) === true, 'delta applied');
    const last = updates.at(-1);
    expect(last?.kind).toBe('delta');
    expect(last?.book.seq).toBe(1);
    expect(await matchesRest(BTC_UP)).toBe(true);
  });

  it('detects a lost message from the next delta and resnapshots to the REST book', async () => {
    const before = sub.stream.stats.resnapshots;
    // The simulator removes the best ask silently; our book still shows it.
    await simControl(sim, 'skip', { tokenId: BTC_UP });
    expect(latest.get(BTC_UP)?.asks[0]?.price).toBe(0.47);
    // The next (visible) change carries a best_ask our book disagrees with.
    await simControl(sim, 'set-level', { tokenId: BTC_UP, side: 'bid', price: 0.31, size: 5 });
    await until(
      () => sub.stream.stats.resnapshots > before && latest.get(BTC_UP)?.asks[0]?.price !== 0.47,
      'resnapshot',
    );
    expect(await matchesRest(BTC_UP)).toBe(true);
    expect(updates.at(-1)).toMatchObject({ kind: 'snapshot', book: { instrumentId: BTC_UP, seq: 0 } });
  });

  it('reconnects after the simulator drops the connection, resubscribes, and converges to REST', async () => {
    const connects = sub.stream.stats.connects;
    const dropped = (await simControl(sim, 'drop-ws', {})) as { dropped: number };
    expect(dropped.dropped).toBe(1);
    // Changes made while we are disconnected are only visible through the fresh snapshots after resubscribing.
    await simControl(sim, 'set-level', { tokenId: BTC_DOWN, side: 'ask', price: 0.49, size: 1234 });
    await until(() => sub.stream.stats.connects > connects, 'reconnected');
    await until(async () => (await simStats(sim)).totalSubscriptions === 3, 'resubscribed');
    await until(
      () => latest.get(BTC_DOWN)?.asks.some((l) => l.price === 0.49 && l.size === 1234) === true,
      'fresh snapshot',
    );
    for (const id of [BTC_UP, BTC_DOWN, FED_NO_CHANGE_NO]) expect(await matchesRest(id)).toBe(true);
  });

  it('unsubscribes from the venue when instruments are removed', async () => {
    sub.remove([FED_NO_CHANGE_NO]);
    await until(async () => (await simStats(sim)).subscriptions[FED_NO_CHANGE_NO] === undefined, 'unsubscribed');
    expect((await simStats(sim)).totalSubscriptions).toBe(2);
  });
});
