// The web role's notification functions (20261210000200–210): URL channels start unverified and become verified only
// through the web's test send (verify_tested_notification_channel), the webhook secret is readable by the web for the
// signed-in user's own channel only (to sign that test), and unsubscribing from a signed email link turns a channel
// off or routes one kind away from it — never leaving an alert with nowhere to go. All three are polybot_web's alone:
// users (and anon, and the service) are refused.
import { createDb, withUser, type Db } from '@polybot/db';
import {
  addNotificationChannel,
  getOwnNotificationSettings,
  listOwnNotificationChannels,
  readOwnWebhookSecret,
  unsubscribeNotificationChannel,
  updateNotificationSettings,
  verifyTestedNotificationChannel,
} from '@polybot/db/user';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import { DEFAULT_NOTIFICATION_SETTINGS } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let web: Db;
let alice: string;
let bob: string;

beforeAll(async () => {
  db = await createTestDatabase();
  web = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' }), { max: 1 });
  alice = await createAuthUser(db, 'alice@web-functions.test');
  bob = await createAuthUser(db, 'bob@web-functions.test');
});
afterAll(async () => {
  await web?.end({ timeout: 5 });
  await db?.stop();
});

const asUser = <T>(user: string, fn: (tx: TransactionSql) => Promise<T>) => withUser(db.sql, user, fn);
const add = (user: string, kind: 'email' | 'webhook' | 'slack' | 'discord', target: string) =>
  asUser(user, (tx) => addNotificationChannel(tx, { kind, target }));
const channel = async (user: string, id: string) =>
  (await asUser(user, (tx) => listOwnNotificationChannels(tx))).find((c) => c.id === id);

describe('URL channels are verified by a test the web sent', () => {
  it('webhook, Slack and Discord start unverified; the web verifies its user’s own URL channel, nothing else', async () => {
    const hook = await add(alice, 'webhook', 'https://hooks.example.test/alice');
    const slack = await add(alice, 'slack', 'https://hooks.slack.test/alice');
    const discord = await add(alice, 'discord', 'https://discord.test/api/webhooks/alice');
    const email = await add(alice, 'email', 'alice@mail.test');
    for (const c of [hook, slack, discord, email]) expect((await channel(alice, c.id))?.verified_at).toBeNull();

    // Bob's claims cannot verify Alice's channel; an email is verified by its link, never by a test.
    expect(await verifyTestedNotificationChannel(web, bob, hook.id)).toBe(false);
    expect(await verifyTestedNotificationChannel(web, alice, email.id)).toBe(false);
    expect((await channel(alice, hook.id))?.verified_at).toBeNull();
    expect((await channel(alice, email.id))?.verified_at).toBeNull();

    for (const c of [hook, slack, discord]) expect(await verifyTestedNotificationChannel(web, alice, c.id)).toBe(true);
    const first = (await channel(alice, hook.id))?.verified_at;
    expect(first).toBeInstanceOf(Date);
    // A later test keeps the first verification time.
    expect(await verifyTestedNotificationChannel(web, alice, hook.id)).toBe(true);
    expect((await channel(alice, hook.id))?.verified_at).toEqual(first);
  });

  it('the web reads the signing secret of its user’s own webhook only', async () => {
    const hook = await add(bob, 'webhook', 'https://hooks.example.test/bob');
    const slack = await add(bob, 'slack', 'https://hooks.slack.test/bob');
    expect(await readOwnWebhookSecret(web, bob, hook.id)).toBe(hook.webhook_secret);
    expect(await readOwnWebhookSecret(web, alice, hook.id)).toBeNull();
    expect(await readOwnWebhookSecret(web, bob, slack.id)).toBeNull();
  });

  it('users, anon and the service cannot call them; the web cannot without a user', async () => {
    const hook = await add(bob, 'webhook', 'https://hooks.example.test/bob-2');
    const calls = [
      (tx: TransactionSql) => tx`select private.verify_tested_notification_channel(${hook.id})`,
      (tx: TransactionSql) => tx`select private.own_webhook_secret(${hook.id})`,
      (tx: TransactionSql) => tx`select private.unsubscribe_notification_channel(${bob}, ${hook.id}, null)`,
    ];
    for (const call of calls) {
      expect(await codeOf(asUser(bob, call))).toBe('42501');
      expect(await codeOf(withUser(web, bob, call))).toBe('42501');
      for (const role of ['anon', 'service_role'])
        expect(await codeOf(db.sql.begin(async (tx) => (await tx.unsafe(`set local role ${role}`), call(tx))))).toBe(
          '42501',
        );
    }
    expect(await codeOf(web`select private.verify_tested_notification_channel(${hook.id})`)).toBe('42501');
    expect((await channel(bob, hook.id))?.verified_at).toBeNull();
  });
});

describe('unsubscribe (a verified email link, as the web)', () => {
  async function verifiedUser(email: string) {
    const user = await createAuthUser(db, email);
    const mail = await add(user, 'email', email);
    const slack = await add(user, 'slack', `https://hooks.slack.test/${user}`);
    await db.sql`
      update public.polybot_notification_channels
         set verified_at = now(), confirm_token_hash = null, confirm_expires_at = null
       where user_id = ${user}`;
    return { user, mail: mail.id, slack: slack.id };
  }

  it('no kind: the whole channel off, once', async () => {
    const { user, mail, slack } = await verifiedUser('whole@web-functions.test');
    expect(await unsubscribeNotificationChannel(web, { userId: user, channelId: mail })).toBe('channel_off');
    expect(await unsubscribeNotificationChannel(web, { userId: user, channelId: mail })).toBe('already');
    expect((await channel(user, mail))?.enabled).toBe(false);
    expect((await channel(user, slack))?.enabled).toBe(true);
  });

  it('an optional kind: routed away from this channel only, other kinds and channels untouched', async () => {
    const { user, mail, slack } = await verifiedUser('kind@web-functions.test');
    expect(await unsubscribeNotificationChannel(web, { userId: user, channelId: mail, kind: 'trade_executed' })).toBe(
      'kind_off',
    );
    expect((await asUser(user, (tx) => getOwnNotificationSettings(tx))).routes).toEqual({ trade_executed: [slack] });
    expect((await channel(user, mail))?.enabled).toBe(true);
    expect(await unsubscribeNotificationChannel(web, { userId: user, channelId: mail, kind: 'trade_executed' })).toBe(
      'already',
    );
    // The slack channel too: the kind now goes nowhere (it is optional), the rest of the settings stay.
    await asUser(user, (tx) =>
      updateNotificationSettings(tx, {
        ...DEFAULT_NOTIFICATION_SETTINGS,
        time_zone: 'Europe/Paris',
        routes: { trade_executed: [slack], daily_summary: [mail] },
      }),
    );
    expect(await unsubscribeNotificationChannel(web, { userId: user, channelId: slack, kind: 'trade_executed' })).toBe(
      'kind_off',
    );
    const after = await asUser(user, (tx) => getOwnNotificationSettings(tx));
    expect(after).toMatchObject({ time_zone: 'Europe/Paris', routes: { trade_executed: [], daily_summary: [mail] } });
  });

  it('an alert: routed away while another channel gets it, else the channel goes off', async () => {
    const { user, mail, slack } = await verifiedUser('alert@web-functions.test');
    expect(await unsubscribeNotificationChannel(web, { userId: user, channelId: mail, kind: 'bot_error' })).toBe(
      'kind_off',
    );
    expect((await asUser(user, (tx) => getOwnNotificationSettings(tx))).routes).toEqual({ bot_error: [slack] });
    // Slack is bot_error's last channel: it cannot go nowhere, so Slack itself is turned off.
    expect(await unsubscribeNotificationChannel(web, { userId: user, channelId: slack, kind: 'bot_error' })).toBe(
      'channel_off',
    );
    expect((await channel(user, slack))?.enabled).toBe(false);
  });

  it('someone else’s channel, a removed one or an unknown kind changes nothing', async () => {
    const a = await verifiedUser('owner@web-functions.test');
    const b = await verifiedUser('other@web-functions.test');
    expect(await unsubscribeNotificationChannel(web, { userId: b.user, channelId: a.mail })).toBe('not_found');
    expect((await channel(a.user, a.mail))?.enabled).toBe(true);
    expect(await codeOf(web`select private.unsubscribe_notification_channel(${a.user}, ${a.mail}, 'not_a_kind')`)).toBe(
      '22023',
    );
    expect((await channel(a.user, a.mail))?.enabled).toBe(true);
  });
});
