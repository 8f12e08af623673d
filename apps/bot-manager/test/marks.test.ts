// The periodic mark writer in a running manager: open positions' mark_price follows the best bid of the manager's own
// books (one hub per venue). What a book without a bid does is in mark-writer.test.ts.
import { test } from 'vitest';
import { createUser, until } from './harness.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack();

async function bestBid(tokenId: string): Promise<number | null> {
  const book = (await (await fetch(`${stack.sim.origin}/book?token_id=${tokenId}`)).json()) as {
    bids: Array<{ price: string }>;
  };
  const prices = book.bids.map((b) => Number(b.price));
  return prices.length > 0 ? Math.max(...prices) : null;
}

const setBid = (tokenId: string, price: number, size: number) =>
  fetch(`${stack.sim.origin}/_sim/polymarket/set-level`, {
    method: 'POST',
    body: JSON.stringify({ tokenId, side: 'bid', price, size }),
  });

test("open positions are marked at the best bid of the manager's books, and follow it", async () => {
  const u = await createUser(stack.db, { config: { enable_kalshi: false } });
  await stack.manager('marks', { markIntervalMs: 50 });
  // arb-rich's single-platform arbitrage: a YES and a NO position.
  const held = await until(async () => {
    const rows = await stack.db.sql<{ instrument_id: string }[]>`
      select instrument_id from public.polybot_positions
       where user_id = ${u.id} and status = 'open' and platform = 'polymarket' order by instrument_id limit 2`;
    return rows.length === 2 ? rows.map((r) => r.instrument_id) : null;
  }, 'two open Polymarket positions');
  // A: the leg with the lower bid, so a higher best bid below 1 exists.
  const a = ((await bestBid(held[0] ?? '')) ?? 1) <= ((await bestBid(held[1] ?? '')) ?? 1) ? held[0] : held[1];
  if (!a) throw new Error('an instrument expected');
  const markOf = async (token: string) =>
    (
      await stack.db.sql<{ mark: number | null }[]>`
        select mark_price::float8 as mark from public.polybot_positions
         where user_id = ${u.id} and instrument_id = ${token}`
    )[0]?.mark ?? null;

  // The scenario moves its books: compare with the best bid as it is at each attempt.
  await until(async () => (await markOf(a)) === (await bestBid(a)), 'mark = best bid');
  const bid = await bestBid(a);

  // A new best bid above the old one: the mark follows.
  const higher = Math.round(((bid ?? 0) + 0.01) * 100) / 100;
  await setBid(a, higher, 50);
  await until(async () => (await markOf(a)) === (await bestBid(a)) && (await markOf(a)) !== bid, 'mark follows');
});
