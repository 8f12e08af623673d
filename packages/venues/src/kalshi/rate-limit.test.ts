// Kalshi's per-key limits through the real kalshi-typescript against the simulator (which enforces them and answers
// 429): the default Basic-tier budget never meets a 429, and a key whose limit is lower than the client believed
// waits after each 429 instead of hammering (with a 1 ms backoff alone every retry would be refused too).
import { keyPair, startKalshiSim, type SimHandle } from '@polybot/local-stack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kalshiVenueAs } from '../../test/kalshi-sim.ts';

describe('Kalshi per-key rate limits against the simulator', () => {
  let h: SimHandle;
  beforeAll(async () => {
    h = await startKalshiSim('arb-rich');
  });
  afterAll(async () => {
    await h.close();
  });
  const refused = async (): Promise<number> =>
    ((await h.sim.control('rate-limited', {})).body as { read: number }).read;

  it('Basic tier (20 reads/s at the venue): a burst of reads from the default client meets no 429', async () => {
    const venue = kalshiVenueAs(h, { keyId: 'basic-1', keys: keyPair(), balanceCents: 100_000 });
    const start = await refused();
    const balances = await Promise.all(Array.from({ length: 40 }, () => venue.trading.balance()));
    expect(balances.every((b) => b === 1000)).toBe(true);
    expect((await refused()) - start).toBe(0);
    expect(await venue.trading.funds?.()).toEqual({ account: null, balance: 1000, allowance: null });
  });

  it('a key limited below what the client assumed: 429s hold the next requests, every read succeeds', async () => {
    await h.sim.control('rate-limit', { reads_per_second: 2, writes_per_second: 10 });
    const venue = kalshiVenueAs(
      h,
      { keyId: 'tight-1', keys: keyPair(), balanceCents: 100_000 },
      { readsPerSecond: 50, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 } },
    );
    const start = await refused();
    const balances = await Promise.all(Array.from({ length: 6 }, () => venue.trading.balance()));
    expect(balances).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
    expect((await refused()) - start).toBeLessThanOrEqual(6);
    await h.sim.control('rate-limit', {});
  });
});
