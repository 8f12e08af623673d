// The inbound-silence watchdog against the simulated Kalshi WebSocket: the socket stays open (pings answered) but sends
// nothing (`/_sim/kalshi/silence`). After `silenceMs` the stream subscribes again; the fresh snapshots carry what
// changed meanwhile, and deltas flow again.
import type { OrderBook, OrderRequest } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, keyPair, startKalshiSim, type SimHandle } from '@polybot/local-stack/testing';
import type { BookSubscription } from '../venue.ts';
import type { createKalshiVenue } from './index.ts';
import { KalshiBookStream } from './index.ts';
import { kalshiVenueAs } from '../../test/kalshi-sim.ts';

const H0 = 'KXFEDDECISION-26JUN-H0';

describe('Kalshi book stream: a silent socket', () => {
  let h: SimHandle;
  let venue: ReturnType<typeof createKalshiVenue>;
  let sub: BookSubscription;
  let stream: KalshiBookStream;
  const books = new Map<string, OrderBook>();
  const silences: number[] = [];
  let n = 0;
  const gtc = (limitPrice: number, size: number): OrderRequest => ({
    venue: 'kalshi',
    instrumentId: `${H0}:yes`,
    side: 'buy',
    limitPrice,
    size,
    orderType: 'GTC',
    clientOrderId: `kx-silence-${String(++n).padStart(6, '0')}`,
  });
  const hasBid = (price: number, size: number): boolean =>
    books.get(`${H0}:yes`)?.bids.some((l) => l.price === price && l.size === size) === true;

  beforeAll(async () => {
    h = await startKalshiSim('arb-rich');
    venue = kalshiVenueAs(
      h,
      { keyId: 'silent', keys: keyPair(), balanceCents: 1_000_000 },
      { stream: { baseDelayMs: 20, maxDelayMs: 100, silenceMs: 150, onSilence: (ms) => silences.push(ms) } },
    );
    sub = venue.marketData.subscribeBooks(
      ({ book }) => books.set(book.instrumentId, book),
      () => undefined,
    );
    if (!(sub instanceof KalshiBookStream)) throw new Error('expected the Kalshi stream');
    stream = sub;
    sub.add([`${H0}:yes`]);
    await eventually(() => expect(books.has(`${H0}:yes`)).toBe(true));
  });
  afterAll(async () => {
    await sub.close();
    await h.close();
  });

  it('resubscribes a socket that stays open but sends nothing, and data flows again', async () => {
    expect(await h.sim.control('silence', { ms: 300 })).toMatchObject({ status: 200, body: { silenced: 1 } });
    // A resting bid placed while the socket is silent: only the fresh snapshot of a resubscription can show it.
    await venue.trading.placeOrder(gtc(0.31, 4));
    await eventually(() => expect(hasBid(0.31, 4)).toBe(true));
    expect(stream.silenceResubscribes).toBeGreaterThanOrEqual(1);
    expect(silences.length).toBe(stream.silenceResubscribes);
    expect(stream.reconnects).toBe(0); // the same socket, subscribed again
    await venue.trading.placeOrder(gtc(0.32, 6));
    await eventually(() => expect(hasBid(0.32, 6)).toBe(true));
  });
});
