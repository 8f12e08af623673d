// "Resend confirmation" (20261211000200): the signed-in user's own unverified email channel gets a fresh 24-hour
// token, returned once; the old link stops working and the new one confirms. Refused for another user's channel, a
// URL channel and a confirmed address; anon and the service cannot call it.
import { withUser } from '@polybot/db';
import {
  addNotificationChannel,
  confirmNotificationChannel,
  listOwnNotificationChannels,
  renewEmailConfirmation,
} from '@polybot/db/user';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, codeOf, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let alice: string;
let bob: string;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createAuthUser(db, 'alice@renewal.test');
  bob = await createAuthUser(db, 'bob@renewal.test');
});
afterAll(async () => {
  await db?.stop();
});

const asUser = <T>(user: string, fn: (tx: TransactionSql) => Promise<T>) => withUser(db.sql, user, fn);
const channel = async (user: string, id: string) =>
  (await asUser(user, (tx) => listOwnNotificationChannels(tx))).find((c) => c.id === id);

describe('renew_email_confirmation', () => {
  it('a fresh token for an expired link; the old one no longer confirms, the new one does', async () => {
    const added = await asUser(alice, (tx) => addNotificationChannel(tx, { kind: 'email', target: 'alice@mail.test' }));
    const first = added.confirm_token ?? '';
    expect(first).not.toBe('');
    await db.sql`
      update public.polybot_notification_channels set confirm_expires_at = now() - interval '1 minute'
       where id = ${added.id}`;

    const renewed = await asUser(alice, (tx) => renewEmailConfirmation(tx, added.id));
    expect(renewed).not.toBe(first);
    const expires = (await channel(alice, added.id))?.confirm_expires_at?.getTime() ?? 0;
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);

    expect(await codeOf(asUser(alice, (tx) => confirmNotificationChannel(tx, first)))).toBe('22023');
    expect(await asUser(alice, (tx) => confirmNotificationChannel(tx, renewed))).toBe(added.id);
    expect((await channel(alice, added.id))?.verified_at).toBeInstanceOf(Date);

    // Confirmed: nothing to renew.
    expect(await codeOf(asUser(alice, (tx) => renewEmailConfirmation(tx, added.id)))).toBe('22023');
  });

  it("another user's channel and a URL channel are refused, and nothing changes", async () => {
    const mail = await asUser(alice, (tx) => addNotificationChannel(tx, { kind: 'email', target: 'alice2@mail.test' }));
    const hook = await asUser(alice, (tx) =>
      addNotificationChannel(tx, { kind: 'webhook', target: 'https://hooks.example.test/alice' }),
    );
    expect(await codeOf(asUser(bob, (tx) => renewEmailConfirmation(tx, mail.id)))).toBe('22023');
    expect(await codeOf(asUser(alice, (tx) => renewEmailConfirmation(tx, hook.id)))).toBe('22023');
    // Alice's original link still works: Bob's attempt renewed nothing.
    expect(await asUser(alice, (tx) => confirmNotificationChannel(tx, mail.confirm_token ?? ''))).toBe(mail.id);
  });

  it('anon and the service role cannot call it', async () => {
    const mail = await asUser(bob, (tx) => addNotificationChannel(tx, { kind: 'email', target: 'bob@mail.test' }));
    for (const role of ['anon', 'service_role'] as const) {
      const { outcome } = await attempt(
        db.sql,
        { role },
        (tx) => tx`select public.renew_email_confirmation(${mail.id})`,
      );
      expect(outcome, role).toMatchObject({ ok: false, code: '42501' });
    }
  });
});
