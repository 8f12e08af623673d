// The adapter over the stress scenario: thousands of markets to discover, a fast-moving book to follow.
import type { OrderBook } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createKalshiVenue } from './index.ts';
import { eventually, keyPair, startKalshiSim, type SimHandle } from '@polybot/local-stack/testing';
import { kalshiVenueAs } from '../../test/kalshi-sim.ts';

describe('Kalshi adapter on the stress scenario', () => {
  let h: SimHandle;
  const keys = keyPair();
  let venue: ReturnType<typeof createKalshiVenue>;

  beforeAll(async () => {
    h = await startKalshiSim('stress');
    venue = kalshiVenueAs(h, { keyId: 'load', keys, balanceCents: 0 }, { readsPerSecond: 1_000 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('discovers every generated market across event pages', async () => {
    const instruments = await venue.marketData.listInstruments();
    // 250 generated events × 8 markets + the 18 hand-written ones, two instruments each
    expect(instruments).toHaveLength((250 * 8 + 18) * 2);
    expect(new Set(instruments.map((i) => i.instrumentId)).size).toBe(instruments.length);
    expect(instruments.filter((i) => i.eventId === 'KXSTRESS-0000' && i.side === 'yes')).toHaveLength(8);
  });

  it('follows many deltas per second of scenario time and still equals a fresh REST book', async () => {
    const tickers = Array.from({ length: 8 }, (_, m) => `KXSTRESS-0000-B${m}`);
    const ids = tickers.map((t) => `${t}:yes`);
    const books = new Map<string, OrderBook>();
    let deltas = 0;
    const sub = venue.marketData.subscribeBooks(
      ({ book, kind }) => {
        books.set(book.instrumentId, book);
        if (kind === 'delta') deltas++;
      },
      () => undefined,
    );
    try {
      sub.add(ids);
      await eventually(() => expect(books.size).toBe(8));
      const before = h.sim.bookUpdates;
      // 200 changes per second over 2,000 markets: 60 s of scenario time touches these 8 about 100 times.
      for (let i = 0; i < 60; i++) h.advance(1_000);
      expect(h.sim.bookUpdates - before).toBeGreaterThanOrEqual(100 * 60);
      await eventually(async () => {
        expect(deltas).toBeGreaterThan(20);
        for (const id of ids) {
          const rest = await venue.marketData.getBook(id);
          const local = books.get(id);
          expect({ id, bids: local?.bids, asks: local?.asks }).toEqual({ id, bids: rest.bids, asks: rest.asks });
        }
      });
    } finally {
      await sub.close();
    }
  });
});
