// Streaming books from the simulated Kalshi WebSocket: snapshot + deltas must keep the local book equal to a fresh
// REST snapshot, through a skipped seq (resubscribe) and a dropped connection (reconnect + resnapshot).
import type { OrderBook, OrderRequest } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookSubscription } from '../venue.ts';
import { createKalshiVenue, KalshiBookStream } from './index.ts';
import { eventually, keyPair, startKalshiSim, type SimHandle } from '@polybot/local-stack/testing';
import { kalshiVenueAs } from '../../test/kalshi-sim.ts';

const H0 = 'KXFEDDECISION-26JUN-H0';
const E300 = 'KXELONTWEETS-26APR10-324.5';
const E350 = 'KXELONTWEETS-26APR10-374.5';

describe('Kalshi book stream against the simulator', () => {
  let h: SimHandle;
  const keys = keyPair();
  let venue: ReturnType<typeof createKalshiVenue>;
  let sub: BookSubscription;
  let stream: KalshiBookStream;
  const books = new Map<string, OrderBook>();
  let snapshots = 0;
  const errors: Error[] = [];
  let n = 0;
  const gtc = (instrumentId: string, limitPrice: number, size: number): OrderRequest => ({
    venue: 'kalshi',
    instrumentId,
    side: 'buy',
    limitPrice,
    size,
    orderType: 'GTC',
    clientOrderId: `kx-stream-${String(++n).padStart(6, '0')}`,
  });

  /** Every streamed book equals what REST says now (levels only: timestamps and seq are per source). */
  const matchesRest = async (ids: readonly string[]): Promise<void> => {
    for (const id of ids) {
      const local = books.get(id);
      const rest = await venue.marketData.getBook(id);
      expect({ id, bids: local?.bids, asks: local?.asks }).toEqual({ id, bids: rest.bids, asks: rest.asks });
    }
  };

  beforeAll(async () => {
    h = await startKalshiSim('arb-rich');
    venue = kalshiVenueAs(
      h,
      { keyId: 'streamer', keys, balanceCents: 1_000_000 },
      { stream: { baseDelayMs: 20, maxDelayMs: 100 } },
    );
    sub = venue.marketData.subscribeBooks(
      ({ book, kind }) => {
        books.set(book.instrumentId, book);
        if (kind === 'snapshot') snapshots++;
      },
      (e) => errors.push(e),
    );
    if (!(sub instanceof KalshiBookStream)) throw new Error('expected the Kalshi stream');
    stream = sub;
  });
  afterAll(async () => {
    await sub.close();
    await h.close();
  });

  it('starts from snapshots and follows deltas from orders and the scripted price path', async () => {
    sub.add([`${H0}:yes`, `${H0}:no`, `${E300}:yes`]);
    await eventually(() => expect(books.size).toBe(3));
    await matchesRest([`${H0}:yes`, `${H0}:no`, `${E300}:yes`]);
    expect(h.sim.subscriptionCounts().get(H0)).toBe(1);

    // A resting bid adds a level; a taker order eats two; the path at 60 s pulls the NO levels and adds one.
    await venue.trading.placeOrder(gtc(`${H0}:yes`, 0.84, 40));
    await venue.trading.placeOrder({ ...gtc(`${E300}:yes`, 0.26, 50), orderType: 'FAK' });
    h.advance(60_000);
    await eventually(() => expect(books.get(`${H0}:yes`)?.asks[0]).toEqual({ price: 0.99, size: 500 }));
    await eventually(() => matchesRest([`${H0}:yes`, `${H0}:no`, `${E300}:yes`]));
    expect(books.get(`${H0}:yes`)?.bids[0]).toEqual({ price: 0.84, size: 40 });
    expect(books.get(`${H0}:yes`)?.seq).toBeGreaterThan(0);
  });

  it('adds a ticker to the live subscription (snapshot for it, others untouched)', async () => {
    const before = snapshots;
    sub.add([`${E350}:no`]);
    await eventually(() => expect(books.has(`${E350}:no`)).toBe(true));
    expect(snapshots).toBe(before + 1);
    await matchesRest([`${E350}:no`]);
  });

  it('detects a skipped seq, resubscribes and recovers the exact book', async () => {
    const before = snapshots;
    h.sim.skipNextSeq();
    await venue.trading.placeOrder(gtc(`${H0}:no`, 0.1, 7)); // the delta carrying this arrives with a gap
    await eventually(() => expect(stream.resyncs).toBe(1));
    await eventually(() => expect(snapshots).toBeGreaterThanOrEqual(before + 4));
    await eventually(() => matchesRest([`${H0}:yes`, `${H0}:no`, `${E300}:yes`, `${E350}:no`]));
    expect(books.get(`${H0}:no`)?.bids[0]).toEqual({ price: 0.1, size: 7 });
    // The old subscription was dropped: one per ticker, not two.
    await eventually(() => expect(h.sim.subscriptionCounts().get(H0)).toBe(1));
  });

  it('reconnects after the venue drops the connection and resnapshots, including changes made while away', async () => {
    expect(h.sim.dropConnections()).toBe(1);
    await venue.trading.placeOrder(gtc(`${H0}:yes`, 0.5, 3));
    await eventually(() => expect(stream.reconnects).toBeGreaterThanOrEqual(1));
    await eventually(() =>
      expect(books.get(`${H0}:yes`)?.bids.some((l) => l.price === 0.5 && l.size === 3)).toBe(true),
    );
    await eventually(() => matchesRest([`${H0}:yes`, `${H0}:no`, `${E300}:yes`, `${E350}:no`]));
    expect(h.sim.subscriptionCounts().get(H0)).toBe(1);
    expect(errors.filter((e) => /handshake refused/.test(e.message))).toEqual([]);
  });

  it('reports a refused handshake (wrong key) through onError', async () => {
    const other = keyPair();
    const bad = createKalshiVenue({
      basePath: h.basePath,
      wsUrl: h.wsUrl,
      credentials: { keyId: 'streamer', privateKeyPem: other.privatePem },
      stream: { baseDelayMs: 1_000, maxDelayMs: 1_000 },
    });
    const badErrors: Error[] = [];
    const s = bad.marketData.subscribeBooks(
      () => undefined,
      (e) => badErrors.push(e),
    );
    s.add([`${H0}:yes`]);
    await eventually(() =>
      expect(badErrors.map((e) => e.message)).toContain('kalshi ws: handshake refused with HTTP 401'),
    );
    await s.close();
  });
});
