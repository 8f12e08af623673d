// The web's confirmation emails and test messages are rate-limited in the database (20261211000100): the web counts
// each one through private.limit_user_sends before it goes out, and one more than NOTIFICATION_SEND_LIMITS allows
// within its window is refused (54000) in words that say when to try again. Per user and per kind; only polybot_web
// may count (a user cannot spend or reset their allowance through the Data API).
import { createDb, withUser, type Db } from '@polybot/db';
import { limitUserSends } from '@polybot/db/user';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import { NOTIFICATION_SEND_LIMITS, type NotificationSendKind } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let web: Db;

beforeAll(async () => {
  db = await createTestDatabase();
  web = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' }), { max: 1 });
});
afterAll(async () => {
  await web?.end({ timeout: 5 });
  await db?.stop();
});

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await p;
    return null;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { code: e.code ?? 'none', message: e.message ?? String(error) };
  }
}

/** Moves the user's counted sends of `kind` `minutes` into the past (the window is measured against now()). */
async function age(user: string, kind: NotificationSendKind, minutes: number): Promise<void> {
  await db.sql`
    update private.notification_sends set sent_at = sent_at - make_interval(mins => ${minutes})
     where user_id = ${user} and kind = ${kind}`;
}

describe.each(
  Object.entries(NOTIFICATION_SEND_LIMITS) as Array<[NotificationSendKind, { max: number; windowMinutes: number }]>,
)('%s: at most NOTIFICATION_SEND_LIMITS per user within the window', (kind, { max, windowMinutes }) => {
  it(`allows ${max}, refuses the next in words, until the oldest leaves the ${windowMinutes}-minute window`, async () => {
    const user = await createAuthUser(db, `${kind}@send-limits.test`);
    const other = await createAuthUser(db, `${kind}-other@send-limits.test`);
    for (let i = 0; i < max; i++) await limitUserSends(web, user, kind);

    const refused = await refusal(limitUserSends(web, user, kind));
    expect(refused?.code).toBe('54000');
    const noun = kind === 'confirmation' ? 'confirmation emails' : 'test messages';
    const window = windowMinutes === 60 ? 'hour' : `${windowMinutes} minutes`;
    expect(refused?.message).toBe(
      `${kind === 'confirmation' ? 'We sent you' : 'You sent'} ${max} ${noun} in the last ${window}, the most allowed. Try again in ${windowMinutes} minutes.`,
    );
    // A refusal is not counted; another user and the other kind are not touched.
    const [{ n } = { n: 0 }] = await db.sql<{ n: number }[]>`
        select count(*)::int as n from private.notification_sends where user_id = ${user} and kind = ${kind}`;
    expect(n).toBe(max);
    await limitUserSends(web, other, kind);
    await limitUserSends(web, user, kind === 'test' ? 'confirmation' : 'test');

    // A minute short of the window: still refused, and the wait is that minute.
    await age(user, kind, windowMinutes - 1);
    expect((await refusal(limitUserSends(web, user, kind)))?.message).toMatch(/Try again in 1 minute\.$/);
    // The window passed: counted again from zero (the old sends are pruned).
    await age(user, kind, 1);
    await limitUserSends(web, user, kind);
    const [{ left } = { left: 0 }] = await db.sql<{ left: number }[]>`
        select count(*)::int as left from private.notification_sends where user_id = ${user} and kind = ${kind}`;
    expect(left).toBe(1);
  });
});

describe('who may count', () => {
  it('only the web for a signed-in user: users, anon and the service are refused, as is the web without a user', async () => {
    const user = await createAuthUser(db, 'who@send-limits.test');
    const call = (tx: TransactionSql) => tx`select private.limit_user_sends('test')`;
    expect((await refusal(withUser(db.sql, user, call)))?.code).toBe('42501');
    expect((await refusal(withUser(web, user, call)))?.code).toBe('42501');
    for (const role of ['anon', 'service_role'])
      expect(
        (await refusal(db.sql.begin(async (tx) => (await tx.unsafe(`set local role ${role}`), call(tx)))))?.code,
      ).toBe('42501');
    expect((await refusal(web`select private.limit_user_sends('test')`))?.code).toBe('42501');
    // Users cannot read or empty the counts either.
    expect((await refusal(withUser(db.sql, user, (tx) => tx`delete from private.notification_sends`)))?.code).toBe(
      '42501',
    );
    const [{ n } = { n: -1 }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from private.notification_sends where user_id = ${user}`;
    expect(n).toBe(0);
  });

  it('an unknown kind is refused', async () => {
    const user = await createAuthUser(db, 'kind@send-limits.test');
    // Past the type (which admits only the two kinds), as a direct call would be.
    const unknown = 'newsletter' as NotificationSendKind;
    expect((await refusal(limitUserSends(web, user, unknown)))?.code).toBe('22023');
  });
});
