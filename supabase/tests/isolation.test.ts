// Tenant isolation suite: every table and view in `public`, as anon, as the owner and as another user, each of
// select / insert / update / delete. Denials are asserted as errors (SQLSTATE 42501) where Postgres raises one, and
// as "0 rows and nothing changed" where RLS filters silently (that is how RLS answers a stranger's UPDATE/DELETE).
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createTestDatabase, type Actor, type TestDatabase } from './helpers.ts';
import { seedIsolationFixture, type IsolationFixture } from './isolation.fixture.ts';

type Who = 'anon' | 'owner' | 'other';
type Op = 'select' | 'insert' | 'update' | 'delete';
/**
 * denied: permission error 42501. not_updatable: 55000, a view that cannot be written through at all.
 * A number: rows returned (select) or affected (insert/update/delete).
 */
type Expect = 'denied' | 'not_updatable' | number;
type Expectations = Record<Who, Record<Op, Expect>>;

interface RelationCase {
  relation: string;
  /** Each op targets the OWNER's data; "other" trying it is a stranger reaching for someone else's rows. */
  ops: Record<Op, (tx: TransactionSql, f: IsolationFixture) => Promise<{ count: number }>>;
  expect: Expectations;
  /** After an attempt, read (as the migration owner) something that must not have changed unless allowed. */
  probe?: (tx: TransactionSql, f: IsolationFixture) => Promise<unknown>;
}

const DENIED: Record<Op, Expect> = { select: 'denied', insert: 'denied', update: 'denied', delete: 'denied' };

/** Nobody writes; each caller reads what is given (row counts of the owner's data, or 'denied'). */
const readOnly = (anon: Expect, owner: Expect, other: Expect): Expectations => ({
  anon: { ...DENIED, select: anon },
  owner: { ...DENIED, select: owner },
  other: { ...DENIED, select: other },
});

const readOnlyOwnRows = (selectOwn: number): Expectations => readOnly('denied', selectOwn, 0);

/** The owner reads and updates their one row; another user sees and changes nothing; nobody inserts or deletes. */
const ownerUpdatesOwnRow: Expectations = {
  anon: DENIED,
  owner: { ...DENIED, select: 1, update: 1 },
  other: { ...DENIED, select: 0, update: 0 },
};

const allDenied: Expectations = { anon: DENIED, owner: DENIED, other: DENIED };

const CASES: RelationCase[] = [
  {
    relation: 'polybot_plans',
    ops: {
      select: (tx) => tx`select * from public.polybot_plans where tier = 'free'`,
      insert: (tx) =>
        tx`insert into public.polybot_plans (tier, display_name, monthly_trade_limit, max_trade_size_usd, max_daily_loss_usd, max_positions) values ('free', 'x', 1, 1, 1, 1)`,
      update: (tx) => tx`update public.polybot_plans set monthly_trade_limit = 999999 where tier = 'free'`,
      delete: (tx) => tx`delete from public.polybot_plans where tier = 'free'`,
    },
    expect: readOnly(1, 1, 1),
    probe: (tx) => tx`select monthly_trade_limit from public.polybot_plans where tier = 'free'`,
  },
  {
    relation: 'polybot_user_profiles',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_user_profiles where id = ${f.owner}`,
      insert: (tx, f) => tx`insert into public.polybot_user_profiles (id) values (${f.owner})`,
      update: (tx, f) => tx`update public.polybot_user_profiles set display_name = 'changed' where id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_user_profiles where id = ${f.owner}`,
    },
    expect: ownerUpdatesOwnRow,
    probe: (tx, f) => tx`select display_name from public.polybot_user_profiles where id = ${f.owner}`,
  },
  {
    relation: 'polybot_user_config',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_user_config where user_id = ${f.owner}`,
      insert: (tx, f) => tx`insert into public.polybot_user_config (user_id) values (${f.owner})`,
      update: (tx, f) => tx`update public.polybot_user_config set max_trade_size_usd = 77 where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_user_config where user_id = ${f.owner}`,
    },
    expect: ownerUpdatesOwnRow,
    probe: (tx, f) => tx`select max_trade_size_usd from public.polybot_user_config where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_user_secrets',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_user_secrets where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_user_secrets (user_id, platform, is_paper) values (${f.owner}, 'kalshi', true)`,
      update: (tx, f) =>
        tx`update public.polybot_user_secrets set validation_status = 'valid' where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_user_secrets where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, min(validation_status) as s from public.polybot_user_secrets where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_trades',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_trades where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side, strategy, mode, order_type, status, limit_price, size) values (${f.owner}, 'forged-order-1', 'kalshi', 'KX', 'KX:yes', 'buy', 'news', 'paper', 'FOK', 'filled', 0.5, 1)`,
      update: (tx, f) => tx`update public.polybot_trades set fee = 0 where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_trades where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, sum(fee) as fee from public.polybot_trades where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_order_intents',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_order_intents where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_order_intents (user_id, client_order_id, venue, instrument_id, market_id, side, size, limit_price, order_type, leg_group_id, strategy, mode) values (${f.owner}, 'forged-intent-1', 'kalshi', 'KX:yes', 'KX', 'buy', 1, 0.5, 'FOK', 'g', 'news', 'live')`,
      update: (tx, f) => tx`update public.polybot_order_intents set status = 'not_sent' where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_order_intents where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, min(status) as status from public.polybot_order_intents where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_positions',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_positions where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_positions (user_id, platform, market_id, instrument_id, mode) values (${f.owner}, 'kalshi', 'KX', 'KX:yes', 'paper')`,
      update: (tx, f) => tx`update public.polybot_positions set size = 0 where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_positions where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, sum(size) as size from public.polybot_positions where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_market_resolutions',
    ops: {
      select: (tx) => tx`select * from public.polybot_market_resolutions`,
      insert: (tx) =>
        tx`insert into public.polybot_market_resolutions (platform, market_id, status, payouts, resolved_at, source) values ('kalshi', 'KXFORGED', 'voided', '{}', now(), 'admin')`,
      update: (tx) => tx`update public.polybot_market_resolutions set payouts = '{"token-resolved": 0}'`,
      delete: (tx) => tx`delete from public.polybot_market_resolutions`,
    },
    // A public market fact: every signed-in user reads it; only the platform (settle_market) writes.
    expect: readOnly('denied', 1, 1),
    probe: (tx) => tx`select market_id, payouts from public.polybot_market_resolutions order by market_id`,
  },
  {
    relation: 'polybot_settlements',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_settlements where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_settlements (user_id, position_id, platform, market_id, instrument_id, mode, size, cost_basis_usd, payout_per_contract, payout_usd, realized_pnl_usd, rule) select ${f.owner}, id, 'polymarket', '0xresolved', 'x', 'paper', 1, 0, 1, 1, 1, 'won' from public.polybot_positions where user_id = ${f.owner}`,
      update: (tx, f) => tx`update public.polybot_settlements set realized_pnl_usd = 1000 where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_settlements where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, sum(realized_pnl_usd) as r from public.polybot_settlements where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_bot_status',
    ops: {
      select: (tx, f) => tx`select state, stats from public.polybot_bot_status where user_id = ${f.owner}`,
      insert: (tx, f) => tx`insert into public.polybot_bot_status (user_id) values (${f.owner})`,
      update: (tx, f) => tx`update public.polybot_bot_status set state = 'running' where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_bot_status where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) => tx`select state from public.polybot_bot_status where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_audit_log',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_audit_log where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_audit_log (user_id, actor_role, action) values (${f.owner}, 'authenticated', 'forged')`,
      update: (tx, f) => tx`update public.polybot_audit_log set action = 'rewritten' where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_audit_log where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, min(action) as a from public.polybot_audit_log where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_market_links',
    ops: {
      select: (tx) => tx`select id, relation, status from public.polybot_market_links`,
      insert: (tx) =>
        tx`insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id, status, reviewed_at) values ('implies', 'kalshi', 'A', 'kalshi', 'B', 'approved', now())`,
      update: (tx) =>
        tx`update public.polybot_market_links set status = 'approved', reviewed_at = now() where status = 'proposed'`,
      delete: (tx) => tx`delete from public.polybot_market_links`,
    },
    expect: readOnly('denied', 1, 1),
    probe: (tx) =>
      tx`select status, count(*)::int as n from public.polybot_market_links group by status order by status`,
  },
  {
    relation: 'polybot_stripe_events',
    ops: {
      select: (tx) => tx`select * from public.polybot_stripe_events`,
      insert: (tx) =>
        tx`insert into public.polybot_stripe_events (id, type, stripe_created_at) values ('evt_forged', 'invoice.paid', now())`,
      update: (tx) => tx`update public.polybot_stripe_events set type = 'x'`,
      delete: (tx) => tx`delete from public.polybot_stripe_events`,
    },
    expect: allDenied,
    probe: (tx) => tx`select id, type from public.polybot_stripe_events order by id`,
  },
  {
    relation: 'admin_user_overview',
    ops: {
      select: (tx) => tx`select * from public.admin_user_overview`,
      insert: (tx, f) => tx`insert into public.admin_user_overview (user_id) values (${f.owner})`,
      update: (tx) => tx`update public.admin_user_overview set tier = 'pro'`,
      delete: (tx) => tx`delete from public.admin_user_overview`,
    },
    expect: {
      anon: { select: 'denied', insert: 'not_updatable', update: 'not_updatable', delete: 'not_updatable' },
      owner: { select: 'denied', insert: 'not_updatable', update: 'not_updatable', delete: 'not_updatable' },
      other: { select: 'denied', insert: 'not_updatable', update: 'not_updatable', delete: 'not_updatable' },
    },
    probe: (tx) => tx`select count(*)::int as n from public.polybot_user_profiles where subscription_tier = 'free'`,
  },
  // Notifications (20261209000120): users read their own rows; every write goes through definer functions.
  {
    relation: 'polybot_notification_channels',
    ops: {
      // Named columns: the token hash and the Vault id are not granted (select * is refused).
      select: (tx, f) =>
        tx`select id, kind, target from public.polybot_notification_channels where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_notification_channels (user_id, kind, target, verified_at) values (${f.owner}, 'slack', 'https://forged.test/x', now())`,
      update: (tx, f) =>
        tx`update public.polybot_notification_channels set target = 'https://forged.test/y' where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_notification_channels where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, min(target) as t from public.polybot_notification_channels where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_notification_settings',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_notification_settings where user_id = ${f.owner}`,
      insert: (tx, f) => tx`insert into public.polybot_notification_settings (user_id) values (${f.owner})`,
      update: (tx, f) =>
        tx`update public.polybot_notification_settings set summary_hour = 3 where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_notification_settings where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) => tx`select summary_hour from public.polybot_notification_settings where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_notifications',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_notifications where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_notifications (user_id, kind, payload) values (${f.owner}, 'resumed', '{"kind": "resumed"}')`,
      update: (tx, f) =>
        tx`update public.polybot_notifications set suppressed = 'no_channel' where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_notifications where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, min(suppressed) as s from public.polybot_notifications where user_id = ${f.owner}`,
  },
  {
    relation: 'polybot_notification_deliveries',
    ops: {
      select: (tx, f) => tx`select * from public.polybot_notification_deliveries where user_id = ${f.owner}`,
      insert: (tx, f) =>
        tx`insert into public.polybot_notification_deliveries (notification_id, user_id, channel_kind, idempotency_key) select id, user_id, 'slack', 'forged' from public.polybot_notifications where user_id = ${f.owner}`,
      update: (tx, f) =>
        tx`update public.polybot_notification_deliveries set status = 'sent' where user_id = ${f.owner}`,
      delete: (tx, f) => tx`delete from public.polybot_notification_deliveries where user_id = ${f.owner}`,
    },
    expect: readOnlyOwnRows(1),
    probe: (tx, f) =>
      tx`select count(*)::int as n, min(status) as s from public.polybot_notification_deliveries where user_id = ${f.owner}`,
  },
  {
    relation: 'admin_notification_dead_letters',
    ops: {
      select: (tx) => tx`select * from public.admin_notification_dead_letters`,
      insert: (tx, f) => tx`insert into public.admin_notification_dead_letters (user_id) values (${f.owner})`,
      update: (tx) => tx`update public.admin_notification_dead_letters set attempts = 0`,
      delete: (tx) => tx`delete from public.admin_notification_dead_letters`,
    },
    expect: {
      anon: { select: 'denied', insert: 'not_updatable', update: 'not_updatable', delete: 'not_updatable' },
      owner: { select: 'denied', insert: 'not_updatable', update: 'not_updatable', delete: 'not_updatable' },
      other: { select: 'denied', insert: 'not_updatable', update: 'not_updatable', delete: 'not_updatable' },
    },
    probe: (tx) => tx`select count(*)::int as n from public.polybot_notification_deliveries`,
  },
];

let db: TestDatabase;
let f: IsolationFixture;
const baseline = new Map<string, unknown>();
let casesRun = 0;

function actorFor(who: Who): Actor {
  if (who === 'anon') return { role: 'anon' };
  return { role: 'authenticated', userId: who === 'owner' ? f.owner : f.other };
}

beforeAll(async () => {
  db = await createTestDatabase();
  f = await seedIsolationFixture(db);
  for (const c of CASES) {
    if (c.probe) baseline.set(c.relation, JSON.parse(JSON.stringify(await c.probe(db.sql as never, f))));
  }
});

afterAll(async () => {
  console.log(`tenant isolation: ${casesRun} cases run`);
  await db?.stop();
});

describe('every relation in public is covered', () => {
  it('the suite covers exactly the tables and views that exist in public', async () => {
    const rows = await db.sql<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'p') order by 1`;
    expect(rows.map((r) => r.relname)).toEqual(CASES.map((c) => c.relation).sort());
    casesRun += 1;
  });

  it('RLS is enabled on every table in public', async () => {
    const rows = await db.sql<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity`;
    expect(rows).toEqual([]);
    casesRun += 1;
  });
});

for (const c of CASES) {
  describe(c.relation, () => {
    for (const who of ['anon', 'owner', 'other'] as const) {
      for (const op of ['select', 'insert', 'update', 'delete'] as const) {
        const expected = c.expect[who][op];
        const label =
          expected === 'denied'
            ? 'denied (42501)'
            : expected === 'not_updatable'
              ? 'refused: view not updatable (55000)'
              : `${expected} row(s)`;
        it(`${who} ${op} → ${label}`, async () => {
          casesRun += 1;
          const probe = c.probe;
          const { outcome, verified } = await attempt(
            db.sql,
            actorFor(who),
            (tx) => c.ops[op](tx, f),
            probe ? (tx) => probe(tx, f) : undefined,
          );
          if (expected === 'denied' || expected === 'not_updatable') {
            expect(outcome.ok ? `allowed (${outcome.value.count} rows)` : outcome.code).toBe(
              expected === 'denied' ? '42501' : '55000',
            );
          } else {
            expect(outcome.ok ? outcome.value.count : `error ${outcome.code}: ${outcome.message}`).toBe(expected);
          }
          // Nothing a denied or filtered attempt did may be visible afterwards.
          const allowedWrite = op !== 'select' && typeof expected === 'number' && expected > 0;
          if (c.probe && !allowedWrite) {
            expect(JSON.parse(JSON.stringify(verified))).toEqual(baseline.get(c.relation));
          }
        });
      }
    }
  });
}
