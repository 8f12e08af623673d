// MarkWriter against a real database and an in-process book source: it follows exactly the instruments someone holds
// open, writes the best bid it has seen for each, and writes nothing for a book without a bid (the position keeps its
// last mark: the mark rule, @polybot/schemas pnl.ts).
import { createDb, type Db } from '@polybot/db';
import { createAuthUser, createTestDatabase, localLoginUrl, type TestDatabase } from '@polybot/local-stack/postgres';
import type { OrderBook } from '@polybot/schemas';
import type { BookUpdate, HubConsumer } from '@polybot/venues';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MarkWriter, type BookSource } from '../src/manager/mark-writer.ts';
import { createLogger } from '../src/shared/log.ts';

let db: TestDatabase;
/** The writer runs as the manager does: its own login (polybot_manager). */
let managerSql: Db;
beforeAll(async () => {
  db = await createTestDatabase();
  managerSql = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' }), { max: 1 });
});
afterAll(async () => {
  await managerSql?.end({ timeout: 5 });
  await db?.stop();
});

/** The hubs as the writer sees them: who it follows, and a way to deliver a book. */
class FakeBooks implements BookSource {
  following = new Set<string>();
  private deliver: ((u: BookUpdate) => void) | null = null;
  subscribe(onUpdate: (u: BookUpdate) => void, initial: readonly string[] = []): HubConsumer {
    this.deliver = onUpdate;
    for (const id of initial) this.following.add(id);
    return {
      add: (ids) => ids.forEach((id) => this.following.add(id)),
      remove: (ids) => ids.forEach((id) => this.following.delete(id)),
      close: () => this.following.clear(),
    };
  }
  send(instrumentId: string, bid: number | null): void {
    const book: OrderBook = {
      venue: 'polymarket',
      instrumentId,
      bids: bid === null ? [] : [{ price: bid, size: 10 }],
      asks: [{ price: 0.99, size: 10 }],
      timestampMs: 0,
      seq: 0,
    };
    this.deliver?.({ book, kind: 'snapshot' });
  }
}

test('marks follow the best bid of held instruments only, and a book without a bid keeps the last mark', async () => {
  const user = await createAuthUser(db, { email: 'marks@example.test' });
  await db.sql`
    insert into public.polybot_positions (user_id, platform, market_id, instrument_id, mode, status, size, avg_price, cost_basis_usd)
    values (${user}, 'polymarket', 'm', 'x', 'paper', 'open', 10, 0.4, 4),
           (${user}, 'polymarket', 'm', 'y', 'paper', 'open', 10, 0.5, 5),
           (${user}, 'polymarket', 'm', 'z', 'paper', 'closed', 0, 0.5, 0)`;
  const marks = async () =>
    Object.fromEntries(
      (
        await db.sql<{ instrument_id: string; mark: number | null }[]>`
          select instrument_id, mark_price::float8 as mark from public.polybot_positions
           where user_id = ${user} order by instrument_id`
      ).map((r) => [r.instrument_id, r.mark]),
    );
  const books = new FakeBooks();
  const writer = new MarkWriter(managerSql, books, {
    intervalMs: 3_600_000,
    log: createLogger('marks-test', 'silent'),
  });
  writer.start();
  try {
    await writer.tick();
    expect([...books.following].sort()).toEqual(['x', 'y']);
    expect(await marks()).toEqual({ x: null, y: null, z: null });

    books.send('x', 0.42);
    books.send('z', 0.1); // nobody holds z open: not followed, not written
    await writer.tick();
    expect(await marks()).toEqual({ x: 0.42, y: null, z: null });

    books.send('x', null);
    books.send('y', 0.51);
    await writer.tick();
    expect(await marks()).toEqual({ x: 0.42, y: 0.51, z: null });

    await db.sql`update public.polybot_positions set status = 'closed', size = 0 where user_id = ${user} and instrument_id = 'y'`;
    await writer.tick();
    expect([...books.following]).toEqual(['x']);
  } finally {
    await writer.close();
  }
});
