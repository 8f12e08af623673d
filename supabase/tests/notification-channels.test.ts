// Notification channels and settings (20261209000120–140): users read only their own rows and write only through the
// definer functions, which check ownership, formats and limits (the same as packages/schemas' notification-settings);
// tokens and secrets never come back to a user after the one response that carries them; the Telegram functions are
// the web role's, the webhook secret the manager's.
import { createDb, withUser, type Db } from '@polybot/db';
import { asManager, readWebhookSecret } from '@polybot/db/service';
import {
  addNotificationChannel,
  confirmNotificationChannel,
  createTelegramLinkToken,
  getOwnNotificationSettings,
  linkTelegramChat,
  listOwnNotificationChannels,
  removeNotificationChannel,
  rotateWebhookSecret,
  setNotificationChannelEnabled,
  telegramUserForChat,
  updateNotificationSettings,
  verifyTestedNotificationChannel,
} from '@polybot/db/user';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  NOTIFICATION_CHANNELS_MAX,
  NOTIFICATION_EMAIL_MAX,
  NOTIFICATION_LABEL_MAX,
  NOTIFICATION_PAYLOAD_MAX_BYTES,
  NOTIFICATION_URL_MAX,
  jsonbTextBytes,
  NotificationChannelInputSchema,
  WEBHOOK_SECRET_PATTERN,
} from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, codeOf, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let web: Db;
let mgr: Db;
let alice: string;
let bob: string;

beforeAll(async () => {
  db = await createTestDatabase();
  web = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' }), { max: 1 });
  mgr = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' }), { max: 1 });
  alice = await createAuthUser(db, 'alice@channels.test');
  bob = await createAuthUser(db, 'bob@channels.test');
});
afterAll(async () => {
  await Promise.all([web?.end({ timeout: 5 }), mgr?.end({ timeout: 5 })]);
  await db?.stop();
});

const asUser = <T>(user: string, fn: Parameters<typeof withUser<T>>[2]) => withUser(db.sql, user, fn);

describe('channels', () => {
  it('email: added unverified with a confirmation token that only its owner can use, once', async () => {
    const added = await asUser(alice, (tx) =>
      addNotificationChannel(tx, { kind: 'email', target: ' Alice@Mail.Test ' }),
    );
    expect(added.confirm_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await db.sql`
      select target, verified_at, confirm_token_hash = sha256(convert_to(${added.confirm_token ?? ''}, 'UTF8')) as hashed
        from public.polybot_notification_channels where id = ${added.id}`;
    expect(stored).toEqual({ target: 'alice@mail.test', verified_at: null, hashed: true });
    expect(await codeOf(asUser(bob, (tx) => confirmNotificationChannel(tx, added.confirm_token ?? '')))).toBe('22023');
    expect(await asUser(alice, (tx) => confirmNotificationChannel(tx, added.confirm_token ?? ''))).toBe(added.id);
    expect(await codeOf(asUser(alice, (tx) => confirmNotificationChannel(tx, added.confirm_token ?? '')))).toBe(
      '22023',
    );
    const [channel] = await asUser(alice, (tx) => listOwnNotificationChannels(tx));
    expect(channel).toMatchObject({ id: added.id, kind: 'email', enabled: true });
    expect(channel?.verified_at).toBeInstanceOf(Date);
  });

  it('webhook: unverified until tested, a Standard Webhooks secret returned once, rotated, read only by the manager', async () => {
    const added = await asUser(bob, (tx) =>
      addNotificationChannel(tx, { kind: 'webhook', target: 'https://hooks.example.test/bob', label: 'ops' }),
    );
    expect(added.webhook_secret).toMatch(WEBHOOK_SECRET_PATTERN);
    // Verified by the web's test send (verifyTestedNotificationChannel, notification-web-functions.test.ts).
    expect((await asUser(bob, (tx) => listOwnNotificationChannels(tx))).find((c) => c.id === added.id)).toMatchObject({
      verified_at: null,
    });
    expect(await asManager(mgr, (tx) => readWebhookSecret(tx, added.id))).toBe(added.webhook_secret);
    const rotated = await asUser(bob, (tx) => rotateWebhookSecret(tx, added.id));
    expect(rotated).toMatch(WEBHOOK_SECRET_PATTERN);
    expect(rotated).not.toBe(added.webhook_secret);
    expect(await asManager(mgr, (tx) => readWebhookSecret(tx, added.id))).toBe(rotated);
    // Someone else's channel: refused; the secret is unchanged.
    expect(await codeOf(asUser(alice, (tx) => rotateWebhookSecret(tx, added.id)))).toBe('22023');
    expect(await asManager(mgr, (tx) => readWebhookSecret(tx, added.id))).toBe(rotated);
    // Removing it removes its Vault secret too.
    const [{ secret_id } = { secret_id: null }] = await db.sql<{ secret_id: string }[]>`
      select webhook_secret_id as secret_id from public.polybot_notification_channels where id = ${added.id}`;
    expect(await asUser(alice, (tx) => removeNotificationChannel(tx, added.id))).toBe(false);
    expect(await asUser(bob, (tx) => removeNotificationChannel(tx, added.id))).toBe(true);
    expect(await db.sql`select id from vault.secrets where id = ${secret_id}`).toEqual([]);
  });

  it('refuses malformed targets (the same rules as NotificationChannelInputSchema) and telegram typed in', async () => {
    const bad = [
      { kind: 'email', target: 'not-an-address' },
      { kind: 'webhook', target: 'http://plain.example.test/hook' },
      { kind: 'slack', target: 'https://' },
      { kind: 'discord', target: `https://x.test/${'a'.repeat(2000)}` },
    ] as const;
    for (const input of bad) {
      expect(NotificationChannelInputSchema.safeParse(input).success, input.target).toBe(false);
      const { outcome } = await attempt(
        db.sql,
        { role: 'authenticated', userId: alice },
        (tx) => tx`select public.add_notification_channel(${input.kind}, ${input.target}, null)`,
      );
      expect(outcome, input.target).toMatchObject({ ok: false, code: '23514' });
    }
    const { outcome } = await attempt(
      db.sql,
      { role: 'authenticated', userId: alice },
      (tx) => tx`select public.add_notification_channel('telegram', '12345', null)`,
    );
    expect(outcome).toMatchObject({ ok: false, code: '22023' });
  });

  it(`holds at most ${NOTIFICATION_CHANNELS_MAX} channels per user`, async () => {
    const { outcome } = await attempt(db.sql, { role: 'authenticated', userId: bob }, async (tx) => {
      const existing = await tx`select count(*)::int as n from public.polybot_notification_channels`;
      for (let i = existing[0]?.n ?? 0; i < NOTIFICATION_CHANNELS_MAX; i++) {
        await tx`select public.add_notification_channel('slack', ${`https://hooks.slack.test/${i}`}, null)`;
      }
      const eleventh = await codeOf(
        tx.savepoint((sp) => sp`select public.add_notification_channel('slack', 'https://hooks.slack.test/x', null)`),
      );
      const [count] = await tx`select count(*)::int as n from public.polybot_notification_channels`;
      return { eleventh, count: count?.n };
    });
    expect(outcome).toEqual({ ok: true, value: { eleventh: '54000', count: NOTIFICATION_CHANNELS_MAX } });
  });

  it('enables and disables only the owner’s channel', async () => {
    const added = await asUser(alice, (tx) =>
      addNotificationChannel(tx, { kind: 'discord', target: 'https://d.test/a' }),
    );
    expect(await asUser(bob, (tx) => setNotificationChannelEnabled(tx, added.id, false))).toBe(false);
    expect(await asUser(alice, (tx) => setNotificationChannelEnabled(tx, added.id, false))).toBe(true);
    const [row] = await db.sql`select enabled from public.polybot_notification_channels where id = ${added.id}`;
    expect(row).toEqual({ enabled: false });
  });
});

describe('row level security on the notification tables', () => {
  const tables = [
    'polybot_notification_channels',
    'polybot_notification_settings',
    'polybot_notifications',
    'polybot_notification_deliveries',
  ];

  it('a user reads only their own rows; anon reads nothing', async () => {
    await db.sql`select private.emit_notification(${alice}, 'resumed', '{"code": "resumed", "reason": "back"}')`;
    await asUser(alice, (tx) => updateNotificationSettings(tx, { ...DEFAULT_NOTIFICATION_SETTINGS, summary_hour: 9 }));
    for (const table of tables) {
      const { outcome } = await attempt(db.sql, { role: 'authenticated', userId: bob }, (tx) =>
        tx.unsafe(`select user_id from public.${table} where user_id = '${alice}'`),
      );
      expect(outcome, table).toEqual({ ok: true, value: [] });
      const mine = await attempt(db.sql, { role: 'authenticated', userId: alice }, (tx) =>
        tx.unsafe(`select user_id from public.${table}`),
      );
      expect(mine.outcome.ok && mine.outcome.value.length > 0, table).toBe(true);
      const anon = await attempt(db.sql, { role: 'anon' }, (tx) => tx.unsafe(`select user_id from public.${table}`));
      expect(anon.outcome, table).toMatchObject({ ok: false, code: '42501' });
    }
  });

  it('users cannot write the tables directly, nor read the token hash or the Vault id', async () => {
    const writes = [
      `insert into public.polybot_notification_channels (user_id, kind, target, verified_at) values ('${alice}', 'slack', 'https://s.test/x', now())`,
      `update public.polybot_notification_channels set verified_at = now()`,
      `delete from public.polybot_notification_channels`,
      `insert into public.polybot_notification_settings (user_id) values ('${alice}')`,
      `update public.polybot_notification_settings set summary_hour = 3`,
      `insert into public.polybot_notifications (user_id, kind, payload) values ('${alice}', 'resumed', '{"kind": "resumed"}')`,
      `update public.polybot_notification_deliveries set status = 'sent'`,
      `select confirm_token_hash from public.polybot_notification_channels`,
      `select webhook_secret_id from public.polybot_notification_channels`,
      `select * from public.admin_notification_dead_letters`,
    ];
    for (const statement of writes) {
      const { outcome } = await attempt(db.sql, { role: 'authenticated', userId: alice }, (tx) => tx.unsafe(statement));
      expect(outcome, statement).toMatchObject({ ok: false, code: '42501' });
    }
  });
});

describe('settings', () => {
  it('defaults until saved, then the saved row', async () => {
    expect(await asUser(bob, (tx) => getOwnNotificationSettings(tx))).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    const saved = await asUser(bob, (tx) =>
      updateNotificationSettings(tx, {
        time_zone: 'America/New_York',
        summary_hour: 18,
        quiet_start: 22,
        quiet_end: 7,
        routes: { trade_executed: [] },
      }),
    );
    expect(await asUser(bob, (tx) => getOwnNotificationSettings(tx))).toEqual(saved);
  });

  it('refuses an unknown time zone, someone else’s channel, unknown kinds and silenced alerts', async () => {
    const bobs = await asUser(bob, (tx) => addNotificationChannel(tx, { kind: 'slack', target: 'https://s.test/bob' }));
    const alices = await asUser(alice, (tx) =>
      addNotificationChannel(tx, { kind: 'slack', target: 'https://s.test/al' }),
    );
    expect(await verifyTestedNotificationChannel(web, alice, alices.id)).toBe(true);
    const call = (tz: string, routes: Record<string, unknown>) =>
      attempt(
        db.sql,
        { role: 'authenticated', userId: alice },
        (tx) => tx`select public.update_notification_settings(${tz}, 8, null, null, ${tx.json(routes as never)})`,
      ).then((r) => r.outcome);
    expect(await call('Mars/Olympus', {})).toMatchObject({ ok: false, code: '22023' });
    expect(await call('UTC', { bot_error: [bobs.id] })).toMatchObject({ ok: false, code: '22023' });
    expect(await call('UTC', { not_a_kind: [] })).toMatchObject({ ok: false, code: '22023' });
    expect(await call('UTC', { bot_error: [] })).toMatchObject({ ok: false, code: '22023' });
    expect(await call('UTC', { daily_summary: [] })).toMatchObject({ ok: true });
    expect(await call('Europe/Paris', { bot_error: [alices.id] })).toMatchObject({ ok: true });
    const quiet = await attempt(
      db.sql,
      { role: 'authenticated', userId: alice },
      (tx) => tx`select public.update_notification_settings('UTC', 8, 22, null, '{}')`,
    );
    expect(quiet.outcome).toMatchObject({ ok: false, code: '23514' });
  });
});

describe('telegram linking (the web role)', () => {
  it('links the chat of a one-time token to its user, and finds the user by chat', async () => {
    const token = await asUser(alice, (tx) => createTelegramLinkToken(tx));
    const [stored] = await db.sql`select count(*)::int as n from private.telegram_link_tokens where user_id = ${alice}`;
    expect(stored).toEqual({ n: 1 });
    expect(await linkTelegramChat(web, { token, chatId: '424242', username: 'alice_t' })).toBe(alice);
    expect(await linkTelegramChat(web, { token, chatId: '424242', username: 'alice_t' })).toBeNull();
    expect(await telegramUserForChat(web, '424242')).toBe(alice);
    expect(await telegramUserForChat(web, '999')).toBeNull();
    const channels = await asUser(alice, (tx) => listOwnNotificationChannels(tx));
    expect(channels.find((c) => c.kind === 'telegram')).toMatchObject({ target: '424242', label: '@alice_t' });
  });

  it('refuses an expired token', async () => {
    const token = await asUser(bob, (tx) => createTelegramLinkToken(tx));
    await db.sql`update private.telegram_link_tokens set expires_at = now() - interval '1 second' where user_id = ${bob}`;
    expect(await linkTelegramChat(web, { token, chatId: '5151', username: null })).toBeNull();
  });

  it('users, anon and the manager cannot call the web role’s functions; the web role cannot read secrets', async () => {
    for (const actor of [{ role: 'authenticated', userId: alice } as const, { role: 'anon' } as const]) {
      const { outcome } = await attempt(db.sql, actor, (tx) => tx`select private.telegram_user_for_chat('424242')`);
      expect(outcome).toMatchObject({ ok: false, code: '42501' });
    }
    expect(await codeOf(asManager(mgr, (tx) => tx`select private.link_telegram_chat('x', '1', null)`))).toBe('42501');
    const anyChannel = '00000000-0000-0000-0000-000000000000';
    expect(await codeOf(web`select private.notification_webhook_secret(${anyChannel})`)).toBe('42501');
  });
});

describe('the worker’s functions are the manager’s only', () => {
  const calls = [
    `select private.claim_notification_delivery(1)`,
    `select private.mark_notification_sent(1)`,
    `select private.mark_notification_retrying(1, 'x')`,
    `select private.mark_notification_dead(1, 'x')`,
    `select private.notification_webhook_secret('00000000-0000-0000-0000-000000000000')`,
    `select private.flush_trade_notifications('00000000-0000-0000-0000-000000000000')`,
    `select * from private.users_due_daily_summary(now())`,
    `select private.daily_summary_data('00000000-0000-0000-0000-000000000000', current_date, 'UTC')`,
    `select private.send_daily_summaries(now())`,
    `select private.emit_notification('00000000-0000-0000-0000-000000000000', 'resumed', '{}')`,
  ];
  it('refuses users, anon, the service role and the web role', async () => {
    for (const call of calls) {
      for (const actor of [
        { role: 'authenticated', userId: alice } as const,
        { role: 'anon' } as const,
        { role: 'service_role' } as const,
      ]) {
        const { outcome } = await attempt(db.sql, actor, (tx) => tx.unsafe(call));
        expect(outcome, `${actor.role}: ${call}`).toMatchObject({ ok: false, code: '42501' });
      }
      expect(await codeOf(web.unsafe(call)), `web: ${call}`).toBe('42501');
    }
  });

  it('the manager may run them, but not emit_notification itself', async () => {
    expect(await codeOf(asManager(mgr, (tx) => tx.unsafe(calls[0] ?? '')))).toBe('ok');
    expect(await codeOf(asManager(mgr, (tx) => tx.unsafe(calls.at(-1) ?? '')))).toBe('42501');
  });
});

describe('sizes in SQL equal the schemas’', () => {
  /** The SQLSTATE of one statement in a rolled-back transaction as the migration owner ('ok' when it passes). */
  const codeAsOwner = (fn: (tx: TransactionSql) => Promise<unknown>) =>
    attempt(db.sql, { role: 'service_role' }, fn).then(({ outcome }) => (outcome.ok ? 'ok' : outcome.code));
  const channel =
    (kind: string, target: string, label: string | null = null) =>
    (tx: TransactionSql) =>
      tx`insert into public.polybot_notification_channels (user_id, kind, target, label)
       values (${alice}, ${kind}, ${target}, ${label})`;

  it('label, email and URL lengths', async () => {
    const url = (n: number) => `https://x.test/${'a'.repeat(n - 'https://x.test/'.length)}`;
    const email = (n: number) => `${'a'.repeat(n - '@x.test'.length)}@x.test`;
    expect(await codeAsOwner(channel('slack', url(NOTIFICATION_URL_MAX)))).toBe('ok');
    expect(await codeAsOwner(channel('slack', url(NOTIFICATION_URL_MAX + 1)))).toBe('23514');
    expect(await codeAsOwner(channel('email', email(NOTIFICATION_EMAIL_MAX)))).toBe('ok');
    expect(await codeAsOwner(channel('email', email(NOTIFICATION_EMAIL_MAX + 1)))).toBe('23514');
    const label = (n: number) => channel('slack', 'https://x.test/l', 'l'.repeat(n));
    expect(await codeAsOwner(label(NOTIFICATION_LABEL_MAX))).toBe('ok');
    expect(await codeAsOwner(label(NOTIFICATION_LABEL_MAX + 1))).toBe('23514');
  });

  it('a notification payload, measured like jsonbTextBytes', async () => {
    const payload = (bytes: number) => {
      const base = { kind: 'resumed', code: 'resumed', reason: '' };
      return { ...base, reason: 'r'.repeat(bytes - jsonbTextBytes(base)) };
    };
    const insert = (p: object) => (tx: TransactionSql) =>
      tx`insert into public.polybot_notifications (user_id, kind, payload) values (${alice}, 'resumed', ${tx.json(p as never)})`;
    expect(jsonbTextBytes(payload(NOTIFICATION_PAYLOAD_MAX_BYTES))).toBe(NOTIFICATION_PAYLOAD_MAX_BYTES);
    expect(await codeAsOwner(insert(payload(NOTIFICATION_PAYLOAD_MAX_BYTES)))).toBe('ok');
    expect(await codeAsOwner(insert(payload(NOTIFICATION_PAYLOAD_MAX_BYTES + 1)))).toBe('23514');
  });
});
