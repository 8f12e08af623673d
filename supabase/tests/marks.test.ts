// writeMarks: one set-based statement marks every user's open positions in the given instruments; closed and settled
// positions keep theirs; only the platform may write marks.
import { writeMarks } from '@polybot/db/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let users: string[];
beforeAll(async () => {
  db = await createTestDatabase();
  users = [await createAuthUser(db, 'marks-a@example.test'), await createAuthUser(db, 'marks-b@example.test')];
  for (const u of users) {
    await db.sql`
      insert into public.polybot_positions (user_id, platform, market_id, instrument_id, mode, status, size, avg_price, cost_basis_usd, mark_price)
      values (${u}, 'polymarket', 'm', 'tok-a', 'paper', 'open', 10, 0.4, 4, null),
             (${u}, 'kalshi', 'K', 'K:yes', 'live', 'open', 5, 0.5, 2.5, 0.5),
             (${u}, 'polymarket', 'm', 'tok-b', 'paper', 'closed', 0, 0.4, 0, 0.3)`;
  }
});
afterAll(async () => db?.stop());

const marksOf = async () =>
  db.sql`select instrument_id, mark_price::float8 as mark from public.polybot_positions
          order by instrument_id, user_id`.then((rows) => rows.map((r) => [r.instrument_id, r.mark]));

describe('writeMarks', () => {
  it('marks the open positions of every user in one statement; closed ones keep their mark', async () => {
    const statements: string[] = [];
    const changed = await db.sql.begin(async (tx) => {
      await tx`set local role service_role`;
      const counting = new Proxy(tx, {
        apply: (target, self, args: unknown[]) => {
          statements.push('query');
          return Reflect.apply(target as never, self, args) as unknown;
        },
      });
      return writeMarks(counting, [
        { platform: 'polymarket', instrumentId: 'tok-a', markPrice: 0.45 },
        { platform: 'kalshi', instrumentId: 'K:yes', markPrice: 0.61 },
        { platform: 'polymarket', instrumentId: 'tok-b', markPrice: 0.9 },
      ]);
    });
    expect(statements).toHaveLength(1);
    expect(changed).toBe(4);
    expect(await marksOf()).toEqual([
      ['K:yes', 0.61],
      ['K:yes', 0.61],
      ['tok-a', 0.45],
      ['tok-a', 0.45],
      ['tok-b', 0.3],
      ['tok-b', 0.3],
    ]);
  });

  it('a signed-in user may not write marks', async () => {
    const { outcome } = await attempt(db.sql, { role: 'authenticated', userId: users[0] ?? '' }, (tx) =>
      writeMarks(tx, [{ platform: 'polymarket', instrumentId: 'tok-a', markPrice: 0.01 }]),
    );
    expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
  });
});
