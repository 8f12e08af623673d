// DeadMan without a venue: a venue going live is swept once; cancel-all goes to each venue that traded live in this runner and to no other, a venue that
// never answers cannot hold the exit up (bounded), and a second release waits for the first instead of skipping it.
import type { VenueId } from '@polybot/schemas';
import type { Trading } from '@polybot/venues';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DeadMan } from './dead-man.ts';

const log = pino({ level: 'silent' });

function router(cancelAll: (venue: VenueId) => Promise<number>): {
  liveClient: (venue: VenueId) => Promise<Trading>;
  asked: VenueId[];
} {
  const asked: VenueId[] = [];
  return {
    asked,
    liveClient: (venue) => {
      asked.push(venue);
      return Promise.resolve({ venue, cancelAll: () => cancelAll(venue) } as unknown as Trading);
    },
  };
}

describe('DeadMan', () => {
  it('cancels on every venue that went live, and only those', async () => {
    const cancelled: VenueId[] = [];
    const r = router((v) => {
      cancelled.push(v);
      return Promise.resolve(1);
    });
    const dm = new DeadMan(r, log, { heartbeatMs: 1000 });
    dm.arm({ polymarket: 'paper', kalshi: 'live' });
    // Going live sweeps the account's orphans once; arming the same mode again does not sweep again.
    dm.arm({ polymarket: 'paper', kalshi: 'live' });
    await dm.release('stop');
    expect(cancelled).toEqual(['kalshi', 'kalshi']);

    const paperOnly = router(() => Promise.resolve(0));
    const dm2 = new DeadMan(paperOnly, log, { heartbeatMs: 1000 });
    dm2.arm({ polymarket: 'paper', kalshi: 'paper' });
    await dm2.release('stop');
    expect(paperOnly.asked).toEqual([]);
  });

  it('a venue that never answers does not hold the exit up; a second release waits for the first', async () => {
    const r = router(() => new Promise<number>(() => undefined));
    const dm = new DeadMan(r, log, { heartbeatMs: 1000, cancelTimeoutMs: 50 });
    dm.arm({ polymarket: 'paper', kalshi: 'live' });
    const first = dm.release('stop');
    expect(dm.release('manager lost')).toBe(first);
    await first; // resolves: bounded by the timeout, and never throws
    expect(r.asked).toEqual(['kalshi', 'kalshi']); // the sweep on going live, the cancel-all on release
    dm.arm({ polymarket: 'paper', kalshi: 'live' }); // released: arming again does nothing
    await dm.release('again');
    expect(r.asked).toEqual(['kalshi', 'kalshi']);
  });
});
