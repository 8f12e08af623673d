// What a signed-in user may read of operational columns (20261207000300_user_readable_columns.sql): their bot status
// without the host that runs it (manager_id) or its pid, approved market links without the reviewer (reviewed_by) or
// the reviewer's notes. Asked as `authenticated` through SQL, the way a user's token reaches the Data API.
import { BOT_STATUS_USER_COLUMNS, getOwnBotStatus } from '@polybot/db/user';
import { withUser } from '@polybot/db';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'reader@example.test');
  await db.sql`update public.polybot_bot_status set manager_id = 'manager-host-7', pid = 4242, state = 'running'
                where user_id = ${userId}`;
  await db.sql`
    insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id, status,
                                             reviewed_by, reviewed_at, notes)
    values ('equivalent', 'polymarket', '0xread', 'kalshi', 'KXREAD', 'approved', 'admin@polybot.test', now(),
            'internal: resolution sources differ slightly')`;
});
afterAll(async () => db?.stop());

const asUser = <T>(fn: (tx: TransactionSql) => Promise<T>) =>
  attempt(db.sql, { role: 'authenticated', userId }, fn).then((r) => r.outcome);

async function readableColumns(table: string): Promise<string[]> {
  const rows = await db.sql<{ column_name: string }[]>`
    select a.attname as column_name
      from pg_attribute a
     where a.attrelid = ${`public.${table}`}::regclass and a.attnum > 0 and not a.attisdropped
       and has_column_privilege('authenticated', a.attrelid, a.attnum, 'select')
     order by 1`;
  return rows.map((r) => r.column_name);
}

describe('polybot_bot_status', () => {
  for (const column of ['manager_id', 'pid']) {
    it(`a user cannot read ${column}`, async () => {
      const outcome = await asUser((tx) => tx.unsafe(`select ${column} from public.polybot_bot_status`));
      expect(outcome).toMatchObject({ ok: false, code: '42501' });
    });
  }
  it('select * is refused (it would include them)', async () => {
    const outcome = await asUser((tx) => tx`select * from public.polybot_bot_status`);
    expect(outcome).toMatchObject({ ok: false, code: '42501' });
  });
  it('the readable columns are exactly the ones getOwnBotStatus reads', async () => {
    expect(await readableColumns('polybot_bot_status')).toEqual([...BOT_STATUS_USER_COLUMNS].sort());
  });
  it('the dashboard read still works, as the user', async () => {
    const status = await withUser(db.sql, userId, getOwnBotStatus);
    expect(status).toMatchObject({ user_id: userId, state: 'running' });
    expect(status).not.toHaveProperty('manager_id');
    expect(status).not.toHaveProperty('pid');
  });
});

describe('polybot_market_links', () => {
  for (const column of ['reviewed_by', 'notes']) {
    it(`a user cannot read ${column}`, async () => {
      const outcome = await asUser((tx) => tx.unsafe(`select ${column} from public.polybot_market_links`));
      expect(outcome).toMatchObject({ ok: false, code: '42501' });
    });
  }
  it('a user still reads what a link is (approved links only: RLS)', async () => {
    const outcome = await asUser(
      (tx) => tx`select relation, a_platform, a_market_id, b_platform, b_market_id, status
                   from public.polybot_market_links`,
    );
    expect(outcome.ok && [...outcome.value]).toEqual([
      {
        relation: 'equivalent',
        a_platform: 'polymarket',
        a_market_id: '0xread',
        b_platform: 'kalshi',
        b_market_id: 'KXREAD',
        status: 'approved',
      },
    ]);
  });
  it('readable columns: everything but reviewed_by and notes', async () => {
    const all = await db.sql<{ attname: string }[]>`
      select attname from pg_attribute
       where attrelid = 'public.polybot_market_links'::regclass and attnum > 0 and not attisdropped order by 1`;
    expect(await readableColumns('polybot_market_links')).toEqual(
      all.map((r) => r.attname).filter((c) => c !== 'reviewed_by' && c !== 'notes'),
    );
  });
});
