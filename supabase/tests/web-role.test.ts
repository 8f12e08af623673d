// The web app's database role, polybot_web (20261207000100_web_role.sql, docs/SECURITY.md §1.1), tested through a
// real login in it — the way the web server connects. It may become `authenticated` per transaction (withUser) and
// store the signed-in user's Stripe customer once; it can read no key material, run no platform or admin function,
// read no other user's rows and change no schema. Against today's `postgres` connection every denial below would pass.
import { withUser, type Db } from '@polybot/db';
import { getOwnProfile, getOwnProfileBilling, storeOwnStripeCustomerOnce } from '@polybot/db/user';
import { createDb } from '@polybot/db';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, saveSecret, testKeys, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let web: Db;
let login: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const url = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' });
  login = decodeURIComponent(new URL(url).username);
  web = createDb(url, { max: 2, applicationName: 'polybot-web-role-test' });
  alice = await createAuthUser(db, 'alice@web-role.test');
  bob = await createAuthUser(db, 'bob@web-role.test');
  // Keys saved through the web's own connection, as the keys page does: a Vault secret exists to be (not) read.
  for (const user of [alice, bob]) {
    await saveSecret(web, user, {
      platform: 'polymarket',
      isPaper: false,
      apiKey: null,
      apiSecret: null,
      privateKey: 'a'.repeat(64),
      additional: { address: testKeys.address },
    });
  }
});
afterAll(async () => {
  await web?.end({ timeout: 5 });
  await db?.stop();
});

/** The Postgres error code `run` fails with, or 'ok'. Each statement runs in its own transaction. */
async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** As the login itself (no `set role`): what a leaked DATABASE_URL gives an attacker directly. */
const asLogin = (fn: (tx: TransactionSql) => Promise<unknown>) => codeOf(() => web.begin(fn));
/** As the signed-in user through the web's connection: what withUser gives every request. */
const asUser = (userId: string, fn: (tx: TransactionSql) => Promise<unknown>) =>
  codeOf(() => withUser(web, userId, fn));

const INSUFFICIENT_PRIVILEGE = '42501';

describe('the login', () => {
  it('is an ordinary login whose only membership is polybot_web, which may become authenticated', async () => {
    const [role] = await db.sql`
      select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication,
             pg_has_role(${login}, 'polybot_web', 'usage') as web,
             pg_has_role(${login}, 'authenticated', 'set') as can_become_authenticated,
             pg_has_role(${login}, 'authenticated', 'usage') as holds_authenticated_grants,
             pg_has_role(${login}, 'service_role', 'member') as service_role,
             pg_has_role(${login}, 'postgres', 'member') as postgres,
             pg_has_role(${login}, 'anon', 'member') as anon
        from pg_roles where rolname = ${login}`;
    expect(role).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      web: true,
      can_become_authenticated: true,
      holds_authenticated_grants: false,
      service_role: false,
      postgres: false,
      anon: false,
    });
  });

  it('connects as itself', async () => {
    const [who] = await web`select current_user as role`;
    expect(who).toEqual({ role: login });
  });
});

describe('what polybot_web may not do', () => {
  it('cannot read Vault: neither the secrets nor the decrypted view, as itself or as a user', async () => {
    for (const relation of ['vault.decrypted_secrets', 'vault.secrets']) {
      expect(await asLogin((tx) => tx.unsafe(`select * from ${relation}`))).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await asUser(alice, (tx) => tx.unsafe(`select * from ${relation}`))).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });

  const platformCalls: [string, (tx: TransactionSql) => Promise<unknown>][] = [
    ['get_user_secrets_decrypted', (tx) => tx`select public.get_user_secrets_decrypted(${alice})`],
    [
      'set_user_secret_validation',
      (tx) => tx`select public.set_user_secret_validation(${alice}, 'polymarket', false, 'valid', null)`,
    ],
    ['admin_suspend_user', (tx) => tx`select public.admin_suspend_user(${bob}, 'web role probe')`],
    ['admin_resume_user', (tx) => tx`select public.admin_resume_user(${bob})`],
    ['admin_review_market_link', (tx) => tx`select public.admin_review_market_link(1, 'approved', null)`],
    [
      'settle_market',
      (tx) =>
        tx`select public.settle_market('polymarket', 'm1', 'resolved', '{}'::jsonb, null, now(), 'web role probe')`,
    ],
    ['increment_user_trades', (tx) => tx`select public.increment_user_trades(${alice})`],
    ['release_user_trades', (tx) => tx`select public.release_user_trades(${alice}, 1)`],
    ['list_desired_bots', (tx) => tx`select * from public.list_desired_bots()`],
    ['bot_run_decisions', (tx) => tx`select * from public.bot_run_decisions(${alice})`],
  ];
  for (const [name, call] of platformCalls) {
    it(`cannot run ${name}, as itself or as a user`, async () => {
      expect(await asLogin(call)).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await asUser(alice, call)).toBe(INSUFFICIENT_PRIVILEGE);
    });
  }

  it('can execute no function of the platform schemas but its own definer function', async () => {
    const rows = await db.sql<{ fn: string }[]>`
      select format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as fn
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private', 'vault', 'auth')
         and has_function_privilege(${login}, p.oid, 'execute')
       order by 1`;
    expect(rows.map((r) => r.fn)).toEqual([
      // Supabase Auth's claim readers, executable by everyone (they read only this transaction's own claims).
      'auth.email()',
      'auth.jwt()',
      'auth.role()',
      'auth.uid()',
      // Counting the confirmation emails and test messages it sends for a user (20261211000100,
      // notification-send-limits.test.ts).
      'private.limit_user_sends(p_kind text)',
      // The Telegram bot's linking and lookup (20261209000140, notification-channels.test.ts).
      'private.link_telegram_chat(p_token text, p_chat_id text, p_username text)',
      // The settings page's test send (sign it, then mark the URL channel verified) and email unsubscribe links
      // (20261210000200–210, notification-web-functions.test.ts).
      'private.own_webhook_secret(p_channel_id uuid)',
      'private.store_own_stripe_customer(p_customer_id text)',
      'private.telegram_user_for_chat(p_chat_id text)',
      'private.unsubscribe_notification_channel(p_user uuid, p_channel uuid, p_kind text)',
      'private.verify_tested_notification_channel(p_channel_id uuid)',
    ]);
  });

  it('holds no privilege on any table or view directly: user data only as authenticated, under RLS', async () => {
    const [granted] = await db.sql<{ relations: string[] }[]>`
      select coalesce(array_agg(format('%s.%s', n.nspname, c.relname) order by 1), '{}') as relations
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'private', 'vault', 'auth', 'supabase_migrations')
         and c.relkind in ('r', 'v', 'm', 'p', 'f')
         and has_table_privilege(${login}, c.oid, 'select, insert, update, delete, truncate, references, trigger')`;
    expect(granted?.relations).toEqual([]);
    expect(await asLogin((tx) => tx`select * from public.polybot_user_profiles`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await asLogin((tx) => tx`select * from auth.users`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("cannot read or change another user's rows", async () => {
    const seen = await withUser(web, alice, (tx) => tx<{ id: string }[]>`select id from public.polybot_user_profiles`);
    expect(seen.map((r) => r.id)).toEqual([alice]);
    const secrets = await withUser(
      web,
      alice,
      (tx) => tx<{ user_id: string }[]>`select user_id from public.polybot_user_secrets`,
    );
    expect(secrets.map((r) => r.user_id)).toEqual([alice]);
    const changed = await withUser(
      web,
      alice,
      (tx) => tx`update public.polybot_user_profiles set display_name = 'not bob' where id = ${bob} returning id`,
    );
    expect(changed).toHaveLength(0);
    const [bobs] = await db.sql`select display_name from public.polybot_user_profiles where id = ${bob}`;
    expect(bobs?.display_name).not.toBe('not bob');
  });

  it('cannot create, alter or drop anything, as itself or as a user', async () => {
    const ddl = [
      'create table public.web_role_probe (x integer)',
      'create table private.web_role_probe (x integer)',
      'create schema web_role_probe',
      "create function public.web_role_probe() returns integer language sql as 'select 1'",
      'create view public.web_role_probe as select 1 as x',
      'alter table public.polybot_user_profiles add column web_role_probe integer',
      'alter table public.polybot_user_profiles disable row level security',
      'drop table public.polybot_plans',
      'drop function private.store_own_stripe_customer(text)',
      'create role web_role_probe',
    ];
    for (const statement of ddl) {
      expect(await asLogin((tx) => tx.unsafe(statement)), statement).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await asUser(alice, (tx) => tx.unsafe(statement)), statement).toBe(INSUFFICIENT_PRIVILEGE);
    }
    // A grant by a non-owner is not an error, only a warning that nothing was granted: check that nothing was.
    await asLogin((tx) => tx`grant select on public.polybot_user_profiles to anon`);
    await asUser(alice, (tx) => tx`grant select on public.polybot_user_profiles to anon`);
    const [privileges] = await db.sql`
      select has_schema_privilege(${login}, 'public', 'create') as public_create,
             has_schema_privilege('authenticated', 'public', 'create') as authenticated_public_create,
             has_schema_privilege(${login}, 'private', 'create') as private_create,
             has_database_privilege(${login}, current_database(), 'create') as database_create,
             has_table_privilege('anon', 'public.polybot_user_profiles', 'select') as anon_reads_profiles,
             (select count(*)::int from pg_default_acl d, aclexplode(d.defaclacl) a
               where a.grantee = 'polybot_web'::regrole or d.defaclrole = 'polybot_web'::regrole) as default_acls`;
    expect(privileges).toEqual({
      public_create: false,
      authenticated_public_create: false,
      private_create: false,
      database_create: false,
      anon_reads_profiles: false,
      default_acls: 0,
    });
  });
});

describe('what polybot_web may do', () => {
  it('withUser: reads the signed-in user’s own profile and saves their keys (above), nobody else’s', async () => {
    const own = await withUser(web, alice, getOwnProfile);
    expect(own?.id).toBe(alice);
    const asBob = await withUser(web, bob, getOwnProfile);
    expect(asBob?.id).toBe(bob);
    const [stored] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from public.polybot_user_secrets where user_id in (${alice}, ${bob})`;
    expect(stored?.n).toBe(2);
  });

  it('billing reads the signed-in user’s own billing columns as that user', async () => {
    expect(await withUser(web, alice, getOwnProfileBilling)).toMatchObject({
      email: 'alice@web-role.test',
      stripe_customer_id: null,
      subscription_tier: 'free',
    });
  });

  it('stores the signed-in user’s Stripe customer once, and only theirs', async () => {
    expect(await storeOwnStripeCustomerOnce(web, alice, 'cus_AliceFirst')).toBe('cus_AliceFirst');
    // A second (concurrent) first checkout gets the customer already stored, never replaces it.
    expect(await storeOwnStripeCustomerOnce(web, alice, 'cus_AliceSecond')).toBe('cus_AliceFirst');
    const rows = await db.sql<{ id: string; stripe_customer_id: string | null }[]>`
      select id, stripe_customer_id from public.polybot_user_profiles where id in (${alice}, ${bob})`;
    expect(Object.fromEntries(rows.map((r) => [r.id, r.stripe_customer_id]))).toEqual({
      [alice]: 'cus_AliceFirst',
      [bob]: null,
    });
    // A user without a profile: nothing stored, null.
    expect(await storeOwnStripeCustomerOnce(web, '00000000-0000-4000-8000-000000000001', 'cus_Nobody')).toBeNull();
  });

  it('the customer function refuses a call without a user and a value that is no customer id', async () => {
    expect(await asLogin((tx) => tx`select private.store_own_stripe_customer('cus_NoClaims')`)).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
    expect(await codeOf(() => storeOwnStripeCustomerOnce(web, bob, 'sub_NotACustomer'))).toBe('22023');
    expect(await codeOf(() => storeOwnStripeCustomerOnce(web, bob, `cus_${'x'.repeat(101)}`))).toBe('22023');
  });

  it('users cannot call the customer function themselves (Data API): anon and authenticated are refused', async () => {
    const call = (tx: TransactionSql) => tx`select private.store_own_stripe_customer('cus_ForgedByUser')`;
    expect(await asUser(bob, call)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await codeOf(() => withUser(db.sql, bob, call))).toBe(INSUFFICIENT_PRIVILEGE);
    const [grants] = await db.sql`
      select has_function_privilege('anon', 'private.store_own_stripe_customer(text)', 'execute') as anon,
             has_function_privilege('authenticated', 'private.store_own_stripe_customer(text)', 'execute') as authenticated,
             has_function_privilege('authenticator', 'private.store_own_stripe_customer(text)', 'execute') as authenticator`;
    expect(grants).toEqual({ anon: false, authenticated: false, authenticator: false });
  });
});
