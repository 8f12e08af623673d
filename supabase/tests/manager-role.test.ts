// The bot-manager's own role, polybot_manager (migration 20261207000200_manager_role.sql, docs/SECURITY.md §1.2):
// through its login (what localLoginUrl creates locally; an operator's polybot_manager_login in production) it can do
// the manager's job with the manager's own queries, holds exactly the reviewed grants, and cannot read what it does not
// need (emails, Vault, auth, the audit log), run admin functions, approve links, delete rows or change the schema.
import { createDb, type Db } from '@polybot/db';
import {
  acquireShards,
  applyFillToPosition,
  asManager,
  bindManagerFence,
  getUserSecretsDecrypted,
  joinManager,
  listDesiredBots,
  listPendingSecretStamps,
  lockSecretAtStamp,
  recordTrade,
  releaseUserTrades,
  reserveUserTrades,
  setSecretValidation,
  settleMarket,
  updateBotStatus,
  upsertMarketLinkProposals,
  writeBotHeartbeat,
} from '@polybot/db/service';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createAuthUser, createTestDatabase, saveSecret, type TestDatabase } from './helpers.ts';

// A well-formed Polymarket API key id (save_user_secret checks formats: SECURITY.md §3).
const MANAGER_ROLE_API_KEY = '0b7c4a1e-5f2d-4c3b-9a8e-1d2f3e4a5b6c';

let db: TestDatabase;
/** The manager's login: a member of polybot_manager and nothing else. */
let mgr: Db;
let alice: string;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createAuthUser(db, 'manager-role-alice@example.test');
  await db.sql`update public.polybot_user_profiles set onboarding_completed = true where id = ${alice}`;
  await saveSecret(db.sql, alice, {
    platform: 'polymarket',
    isPaper: true,
    apiKey: MANAGER_ROLE_API_KEY,
    apiSecret: JSON.stringify({ secret: 'manager-role-api-secret', passphrase: 'manager-role-pass' }),
    privateKey: '0x' + 'ab'.repeat(32),
  });
  mgr = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' }), { max: 1 });
  // Its writes for a user carry its lease token (20261208000110_fenced_writes.sql), as the manager's do: join, own
  // alice's shard, bind the fence.
  const lease = await joinManager(mgr, 'manager-role-test', 600_000);
  const [shard] = await db.sql<{ s: number }[]>`select public.user_shard(${alice}) as s`;
  await acquireShards(mgr, lease.token, [shard?.s ?? -1]);
  bindManagerFence(mgr, () => lease.token);
});
afterAll(async () => {
  await mgr?.end({ timeout: 5 });
  await db?.stop();
});

/** The SQLSTATE a statement fails with, or 'ok'. */
describe('polybot_manager does the manager’s job', () => {
  it('reads who should run, the runner’s keys, and records a key check', async () => {
    const desired = await asManager(mgr, (tx) => listDesiredBots(tx));
    expect(desired.map((d) => d.user_id)).toContain(alice);
    const keys = await asManager(mgr, (tx) => getUserSecretsDecrypted(tx, alice));
    expect(keys).toMatchObject([{ platform: 'polymarket', api_key: MANAGER_ROLE_API_KEY }]);
    const recorded = await asManager(mgr, async (tx) => {
      const [stamp] = await listPendingSecretStamps(tx, alice);
      if (!stamp || !(await lockSecretAtStamp(tx, alice, stamp, 'pending'))) return false;
      return setSecretValidation(tx, alice, 'polymarket', true, 'valid', null);
    });
    expect(recorded).toBe(true);
    // The audit row names the manager's role as the actor.
    const [audit] = await db.sql<{ actor_role: string }[]>`
      select actor_role from public.polybot_audit_log where user_id = ${alice} and action like 'secret.%valid%'
       order by id desc limit 1`;
    expect(audit?.actor_role).toBe('polybot_manager');
  });

  it('reserves trades, books a fill, writes status and heartbeat, settles the market', async () => {
    expect(await asManager(mgr, (tx) => reserveUserTrades(tx, alice, 2))).toBe(true);
    expect(await asManager(mgr, (tx) => releaseUserTrades(tx, alice, 1))).toBe(1);
    await asManager(mgr, async (tx) => {
      const t = await recordTrade(tx, {
        userId: alice,
        clientOrderId: 'manager-role-coid-1',
        venueOrderId: null,
        platform: 'polymarket',
        marketId: 'mr-market',
        instrumentId: 'mr-yes',
        outcome: 'YES',
        side: 'buy',
        strategy: 'single_platform',
        mode: 'paper',
        orderType: 'FOK',
        status: 'filled',
        limitPrice: 0.4,
        price: 0.4,
        size: 10,
        filledSize: 10,
        fee: 0,
        opportunityId: null,
        legGroupId: 'manager-role-group',
        rejectReason: null,
      });
      await applyFillToPosition(tx, alice, {
        platform: 'polymarket',
        marketId: 'mr-market',
        instrumentId: 'mr-yes',
        outcome: 'YES',
        mode: 'paper',
        side: 'buy',
        filledSize: 10,
        price: 0.4,
        fee: 0,
        strategy: 'single_platform',
        legGroupId: 'manager-role-group',
        tradeId: t.id,
      });
    });
    await asManager(mgr, (tx) =>
      updateBotStatus(tx, alice, { state: 'running', mode: 'paper', managerId: 'manager-role-test' }),
    );
    await asManager(mgr, (tx) =>
      writeBotHeartbeat(tx, alice, {
        state: 'running',
        mode: 'paper',
        pid: 1,
        managerId: 'manager-role-test',
        configVersion: 1,
        lastError: null,
        errorCode: null,
        haltedUntil: null,
        haltReason: null,
        haltCode: null,
        stats: {
          pnl_today_usd: 0,
          open_positions: 1,
          trades_placed: 1,
          opportunities_seen: 1,
          mode_reason: 'paper',
          decision_p99_ms: null,
          recent_opportunities: [],
          ignored_news_rules: [],
        },
      }),
    );
    const settled = await asManager(mgr, (tx) =>
      settleMarket(tx, {
        platform: 'polymarket',
        marketId: 'mr-market',
        status: 'resolved',
        payouts: { 'mr-yes': 1 },
        winningOutcome: 'YES',
        resolvedAt: new Date(),
        source: 'venue',
      }),
    );
    expect(settled).toMatchObject([{ userId: alice, instrumentId: 'mr-yes', realizedPnlUsd: 6 }]);
    const [status] = await db.sql`
      select state, manager_id, (stats ->> 'trades_this_month')::int as trades from public.polybot_bot_status
       where user_id = ${alice}`;
    expect(status).toEqual({ state: 'running', manager_id: 'manager-role-test', trades: 1 });
  });

  it('proposes market links (and only proposes)', async () => {
    const written = await asManager(mgr, (tx) =>
      upsertMarketLinkProposals(tx, [
        {
          relation: 'equivalent',
          aVenue: 'polymarket',
          aMarketId: 'mr-pm-1',
          aTitle: 'Will it rain?',
          bVenue: 'kalshi',
          bMarketId: 'MR-KX-1',
          bTitle: 'Rain?',
          score: 0.9,
          reasons: ['same words'],
        },
      ]),
    );
    expect(written).toEqual({ inserted: 1, refreshed: 0 });
  });
});

describe('polybot_manager holds exactly the reviewed grants', () => {
  it('is a plain NOLOGIN group role: no superuser, no BYPASSRLS, no role creation, no other role', async () => {
    const [role] = await db.sql`
      select rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication
        from pg_roles where rolname = 'polybot_manager'`;
    expect(role).toEqual({
      rolcanlogin: false,
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
    });
    const memberOf = await db.sql<{ rolname: string }[]>`
      select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid
       where m.member = 'polybot_manager'::regrole`;
    expect(memberOf).toEqual([]);
  });

  it('executes exactly these functions of the exposed schema', async () => {
    const rows = await db.sql<{ fn: string }[]>`
      select format('%s(%s)', p.proname, pg_get_function_identity_arguments(p.oid)) as fn
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and has_function_privilege('polybot_manager', p.oid, 'execute')
         and not exists (select 1 from pg_depend d
                          where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 1`;
    expect(rows.map((r) => r.fn)).toEqual([
      'bot_run_decisions(p_user_id uuid)',
      'get_user_secrets_decrypted(p_user_id uuid)',
      'increment_user_trades(p_user_id uuid, p_count integer)',
      'list_desired_bots()',
      'manager_acquire_shards(p_token bigint, p_shards integer[])',
      'manager_join(p_manager_id text, p_ttl_ms integer)',
      'manager_leave(p_token bigint)',
      'manager_release_shards(p_token bigint, p_shards integer[])',
      'manager_renew(p_token bigint, p_ttl_ms integer, p_draining boolean)',
      'manager_shard_count()',
      'release_user_trades(p_user_id uuid, p_count integer)',
      'sale_realized_pnl_usd(p_sold_size numeric, p_price numeric, p_fee numeric, p_avg_price numeric, p_held_size numeric)',
      'set_user_secret_validation(p_user_id uuid, p_platform text, p_is_paper boolean, p_status text, p_error text)',
      'settle_market(p_platform text, p_market_id text, p_status text, p_payouts jsonb, p_winning_outcome text, p_resolved_at timestamp with time zone, p_source text)',
      'user_shard(p_user_id uuid)',
    ]);
  });

  it('has exactly these table and column privileges, and uses no schema but public', async () => {
    const tables = await db.sql<{ t: string; p: string }[]>`
      select table_schema || '.' || table_name as t, string_agg(privilege_type, ',' order by privilege_type) as p
        from information_schema.role_table_grants where grantee = 'polybot_manager'
       group by 1 order by 1`;
    expect(Object.fromEntries(tables.map((r) => [r.t, r.p]))).toEqual({
      // The notification queue's worker (20261209000110): the statements graphile-worker's worker runs.
      'graphile_worker._private_job_queues': 'INSERT,SELECT,UPDATE',
      'graphile_worker._private_jobs': 'DELETE,INSERT,SELECT,UPDATE',
      'graphile_worker._private_known_crontabs': 'INSERT,SELECT,UPDATE',
      'graphile_worker._private_tasks': 'INSERT,SELECT',
      'graphile_worker.migrations': 'SELECT',
      'public.polybot_bot_status': 'INSERT,SELECT,UPDATE',
      'public.polybot_market_links': 'SELECT',
      'public.polybot_order_intents': 'INSERT,SELECT,UPDATE',
      'public.polybot_positions': 'INSERT,SELECT,UPDATE',
      'public.polybot_settlements': 'SELECT',
      'public.polybot_trades': 'INSERT,SELECT,UPDATE',
      'public.polybot_user_config': 'SELECT',
    });
    // Column grants beyond the whole-table ones above.
    const columns = await db.sql<{ t: string; p: string; c: string }[]>`
      select c.table_name as t, c.privilege_type as p, string_agg(c.column_name, ',' order by c.column_name) as c
        from information_schema.column_privileges c
       where c.grantee = 'polybot_manager'
         and not exists (select 1 from information_schema.role_table_grants g
                          where g.grantee = c.grantee and g.table_schema = c.table_schema
                            and g.table_name = c.table_name and g.privilege_type = c.privilege_type)
       group by 1, 2 order by 1, 2`;
    expect(columns.map((r) => `${r.t} ${r.p}: ${r.c}`)).toEqual([
      'polybot_market_links INSERT: a_market_id,a_platform,a_title,b_market_id,b_platform,b_title,match_reasons,match_score,proposed_by,relation,status',
      'polybot_market_links UPDATE: a_title,b_title,match_reasons,match_score',
      'polybot_settlements UPDATE: reconciled_at,redeem_status,venue_payout_usd,venue_reference',
      'polybot_user_profiles SELECT: features_enabled,id,live_trading_allowed,max_daily_loss_usd,max_positions,max_trade_size_usd,monthly_trade_limit,subscription_tier,trades_this_month',
      'polybot_user_secrets SELECT: created_at,is_active,is_paper,last_validated_at,platform,rotated_at,user_id,validation_error,validation_status',
      'polybot_user_secrets UPDATE: last_validated_at',
    ]);
    const schemas = await db.sql<{ nspname: string }[]>`
      select nspname from pg_namespace
       where has_schema_privilege('polybot_manager', oid, 'usage') and nspname not like 'pg\_%'
         and nspname <> 'information_schema' order by 1`;
    expect(schemas.map((s) => s.nspname)).toEqual(['graphile_worker', 'private', 'public']);
    const queueFunctions = await db.sql<{ fn: string }[]>`
      select p.proname as fn from pg_proc p
       where p.pronamespace = 'graphile_worker'::regnamespace and has_function_privilege('polybot_manager', p.oid, 'execute')
       order by 1`;
    expect(queueFunctions.map((r) => r.fn)).toEqual(['add_job', 'add_jobs']);
    // The notification worker's functions (20261209000160), in `private` (not exposed by the Data API).
    const privateFunctions = await db.sql<{ fn: string }[]>`
      select format('%s(%s)', p.proname, pg_get_function_identity_arguments(p.oid)) as fn from pg_proc p
       where p.pronamespace = 'private'::regnamespace and has_function_privilege('polybot_manager', p.oid, 'execute')
       order by 1`;
    expect(privateFunctions.map((r) => r.fn)).toEqual([
      'claim_notification_delivery(p_delivery_id bigint)',
      'daily_summary_data(p_user_id uuid, p_date date, p_time_zone text)',
      // opportunity_found for a runner's new opportunity (20261210000100, opportunity-notifications.test.ts).
      'emit_opportunity_notification(p_user_id uuid, p_key text, p_strategy text, p_description text, p_expected_profit_usd double precision, p_now timestamp with time zone)',
      'flush_trade_notifications(p_user_id uuid)',
      'mark_notification_dead(p_delivery_id bigint, p_error text)',
      'mark_notification_retrying(p_delivery_id bigint, p_error text)',
      'mark_notification_sent(p_delivery_id bigint)',
      'notification_webhook_secret(p_channel_id uuid)',
      'send_daily_summaries(p_now timestamp with time zone)',
      'users_due_daily_summary(p_now timestamp with time zone)',
    ]);
  });
});

describe('polybot_manager cannot', () => {
  it('read other schemas: auth.users, vault.secrets, vault.decrypted_secrets, private', async () => {
    expect(await codeOf(mgr`select id from auth.users limit 1`)).toBe('42501');
    expect(await codeOf(mgr`select id from vault.secrets limit 1`)).toBe('42501');
    expect(await codeOf(mgr`select decrypted_secret from vault.decrypted_secrets limit 1`)).toBe('42501');
    expect(await codeOf(mgr`select private.set_updated_at()`)).toBe('42501');
  });

  it('read what it does not need in public: emails and Stripe ids, Vault ids, the audit log, webhook events', async () => {
    expect(await codeOf(mgr`select email from public.polybot_user_profiles`)).toBe('42501');
    expect(await codeOf(mgr`select stripe_customer_id from public.polybot_user_profiles`)).toBe('42501');
    expect(await codeOf(mgr`select private_key_secret_id from public.polybot_user_secrets`)).toBe('42501');
    expect(await codeOf(mgr`select * from public.polybot_audit_log`)).toBe('42501');
    expect(await codeOf(mgr`select * from public.polybot_stripe_events`)).toBe('42501');
    expect(await codeOf(mgr`select * from public.admin_user_overview`)).toBe('42501');
  });

  it('run admin functions', async () => {
    expect(await codeOf(mgr`select public.admin_suspend_user(${alice}, 'by the manager')`)).toBe('42501');
    expect(await codeOf(mgr`select public.admin_resume_user(${alice})`)).toBe('42501');
    const [link] = await db.sql<{ id: string }[]>`select id from public.polybot_market_links limit 1`;
    expect(await codeOf(mgr`select * from public.admin_review_market_link(${link?.id ?? 0}, 'approved')`)).toBe(
      '42501',
    );
  });

  it('approve a market link, or write one that is not a matcher proposal', async () => {
    expect(await codeOf(mgr`update public.polybot_market_links set status = 'approved'`)).toBe('42501');
    expect(
      await codeOf(mgr`
        insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id, status, proposed_by)
        values ('equivalent', 'polymarket', 'mr-pm-9', 'kalshi', 'MR-KX-9', 'approved', 'matcher')`),
    ).toBe('42501');
    // An admin's approved row cannot be re-titled by the manager: the update policy hides it.
    await db.sql`
      insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id, status, reviewed_at)
      values ('equivalent', 'polymarket', 'mr-pm-2', 'kalshi', 'MR-KX-2', 'approved', now())`;
    const changed =
      await mgr`update public.polybot_market_links set a_title = 'x' where status = 'approved' returning id`;
    expect(changed).toHaveLength(0);
  });

  it('delete rows, write profiles, configs or keys, write auth.users', async () => {
    expect(await codeOf(mgr`delete from public.polybot_trades`)).toBe('42501');
    expect(await codeOf(mgr`delete from public.polybot_positions`)).toBe('42501');
    expect(await codeOf(mgr`update public.polybot_user_profiles set monthly_trade_limit = 1000000`)).toBe('42501');
    expect(await codeOf(mgr`update public.polybot_user_config set dry_run = false`)).toBe('42501');
    expect(await codeOf(mgr`update public.polybot_user_secrets set validation_status = 'valid'`)).toBe('42501');
    expect(await codeOf(mgr`update auth.users set email = 'x@example.test'`)).toBe('42501');
  });

  it('change the schema, or become a broader role', async () => {
    expect(await codeOf(mgr`create table public.manager_probe (x int)`)).toBe('42501');
    expect(await codeOf(mgr`alter table public.polybot_trades add column probe int`)).toBe('42501');
    expect(await codeOf(mgr`drop table public.polybot_trades`)).toBe('42501');
    expect(await codeOf(mgr`create function public.manager_probe() returns int language sql as 'select 1'`)).toBe(
      '42501',
    );
    for (const role of ['service_role', 'postgres', 'authenticated']) {
      expect(await codeOf(mgr.unsafe(`set role ${role}`))).toBe('42501');
    }
  });
});
