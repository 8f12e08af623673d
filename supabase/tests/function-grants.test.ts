// Who may execute each function the Data API exposes. Every function in an exposed schema (supabase/config.toml
// [api] schemas) must be in REVIEWED below with exactly the roles that may call it; a new function, or a changed
// grant, fails here naming the function and its grantees until someone reviews it and updates the list.
// The control case creates an unreviewed function in a rolled-back transaction and checks that it is reported, and
// that the default privileges (20261204000100_function_execute_default_privileges.sql) left it callable by nobody.
import { readFileSync } from 'node:fs';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const ROLES = ['anon', 'authenticated', 'service_role'] as const;
type Role = (typeof ROLES)[number];

/**
 * The reviewed list: function (schema.name(identity args)) -> the API roles that may execute it. Empty means only
 * the owner (postgres) and callers it grants through security definer code. Keep each entry's reason beside it.
 */
const REVIEWED: Record<string, Role[]> = {
  // Signed-in users save, delete and validate their own venue keys (security definer; each checks auth.uid()).
  'public.delete_user_secret(p_platform text, p_is_paper boolean)': ['authenticated'],
  'public.save_user_secret(p_platform text, p_is_paper boolean, p_api_key text, p_api_secret text, p_private_key text, p_additional_config jsonb)':
    ['authenticated'],
  // The platform only: the bot-manager reads decrypted keys and records validation; admin tools suspend/resume.
  'public.get_user_secrets_decrypted(p_user_id uuid)': ['service_role'],
  'public.set_user_secret_validation(p_user_id uuid, p_platform text, p_is_paper boolean, p_status text, p_error text)':
    ['service_role'],
  // (Each with an optional internal note since 20261207000210_admin_actions; audited with the admin's login.)
  'public.admin_resume_user(p_user_id uuid, p_note text)': ['service_role'],
  'public.admin_suspend_user(p_user_id uuid, p_reason text, p_note text)': ['service_role'],
  // Admins review the matcher's market-link proposals (audited; Studio runs as the owner, postgres).
  'public.admin_review_market_link(p_link_id bigint, p_decision text, p_note text)': ['service_role'],
  // The bot-manager: which bots should run, and the daily trade-count reservations its runners make.
  'public.list_desired_bots()': ['service_role'],
  'public.bot_run_decisions(p_user_id uuid)': ['service_role'],
  // The one definition of realized P&L on a sale (the bot-manager books position changes with it).
  'public.sale_realized_pnl_usd(p_sold_size numeric, p_price numeric, p_fee numeric, p_avg_price numeric, p_held_size numeric)':
    ['service_role'],
  // Settlement of a resolved market for every user (the bot-manager's market watcher; admins through Studio as postgres).
  'public.settle_market(p_platform text, p_market_id text, p_status text, p_payouts jsonb, p_winning_outcome text, p_resolved_at timestamp with time zone, p_source text)':
    ['service_role'],
  'public.increment_user_trades(p_user_id uuid)': ['service_role'],
  'public.increment_user_trades(p_user_id uuid, p_count integer)': ['service_role'],
  'public.release_user_trades(p_user_id uuid, p_count integer)': ['service_role'],
  // Not listed because not exposed (schema private): private.store_own_stripe_customer(text), the web role's (polybot_web)
  // only definer function; no API role may run it. Reviewed in web-role.test.ts, which lists all the web role may run.
  // Signed-in users accept the current terms and move their own onboarding wizard forward (security definer; each
  // checks auth.uid() and its conditions; the columns themselves are not user-writable): onboarding-flows.test.ts.
  'public.accept_terms(p_version text)': ['authenticated'],
  'public.advance_onboarding(p_step text)': ['authenticated'],
  // Signed-in users manage their own notification channels and settings (security definer; each acts on auth.uid()'s
  // rows only; 20261209000130, notification-channels.test.ts). The Telegram (polybot_web) and worker (polybot_manager)
  // functions are in `private`: not exposed, reviewed in web-role.test.ts and manager-role.test.ts (as is the manager's
  // private.emit_opportunity_notification, 20261210000100: opportunity-notifications.test.ts). So are the web's
  // test-send and unsubscribe functions (private.own_webhook_secret, verify_tested_notification_channel,
  // unsubscribe_notification_channel: polybot_web only, 20261210000200–210, notification-web-functions.test.ts), and
  // its count of confirmation emails and test messages (private.limit_user_sends, 20261211000100,
  // notification-send-limits.test.ts).
  'public.add_notification_channel(p_kind text, p_target text, p_label text)': ['authenticated'],
  'public.confirm_notification_channel(p_token text)': ['authenticated'],
  'public.create_telegram_link_token()': ['authenticated'],
  'public.remove_notification_channel(p_channel_id uuid)': ['authenticated'],
  // "Resend confirmation": a fresh token for the caller's own unverified email (20261211000200,
  // email-confirmation-renewal.test.ts).
  'public.renew_email_confirmation(p_channel_id uuid)': ['authenticated'],
  'public.rotate_webhook_secret(p_channel_id uuid)': ['authenticated'],
  'public.set_notification_channel_enabled(p_channel_id uuid, p_enabled boolean)': ['authenticated'],
  'public.update_notification_settings(p_time_zone text, p_summary_hour integer, p_quiet_start integer, p_quiet_end integer, p_routes jsonb)':
    ['authenticated'],
  // Many bot-managers (20261208000100_manager_leases.sql): leases, shards and the user-to-shard rule. No API role:
  // only polybot_manager executes them (manager-role.test.ts), and anon/authenticated/polybot_web are refused
  // (manager-leases.test.ts).
  'public.manager_shard_count()': [],
  'public.user_shard(p_user_id uuid)': [],
  'public.manager_join(p_manager_id text, p_ttl_ms integer)': [],
  'public.manager_renew(p_token bigint, p_ttl_ms integer, p_draining boolean)': [],
  'public.manager_acquire_shards(p_token bigint, p_shards integer[])': [],
  'public.manager_release_shards(p_token bigint, p_shards integer[])': [],
  'public.manager_leave(p_token bigint)': [],
};

/** The schemas PostgREST serves, read from the project's config so a newly exposed schema is covered too. */
function exposedSchemas(): string[] {
  const toml = readFileSync(new URL('../config.toml', import.meta.url), 'utf8');
  const api = /^\[api\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? '';
  const list = /^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(api)?.[1];
  if (list === undefined) throw new Error('supabase/config.toml: [api] schemas not found');
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
}

type Grants = Record<string, Role[]>;

/** Every function in `schemas` (not those an extension owns) with the API roles that hold EXECUTE on it. */
async function functionGrants(sql: postgres.Sql | postgres.TransactionSql, schemas: string[]): Promise<Grants> {
  const rows = await sql<{ fn: string; anon: boolean; authenticated: boolean; service_role: boolean }[]>`
    select format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as fn,
           has_function_privilege('anon', p.oid, 'execute') as anon,
           has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
           has_function_privilege('service_role', p.oid, 'execute') as service_role
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = any(${schemas})
       and not exists (select 1 from pg_depend d
                        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     order by 1`;
  return Object.fromEntries(rows.map((r) => [r.fn, ROLES.filter((role) => r[role])]));
}

/** One line per function whose grantees differ from the reviewed list (or that the list does not know). */
function unreviewed(actual: Grants, reviewed: Record<string, Role[]>): string[] {
  const problems: string[] = [];
  for (const [fn, roles] of Object.entries(actual)) {
    const expected = reviewed[fn];
    const shown = roles.length > 0 ? roles.join(', ') : 'nobody';
    if (expected === undefined) problems.push(`${fn}: not in the reviewed list (executable by ${shown})`);
    else if (expected.join(',') !== roles.join(','))
      problems.push(`${fn}: executable by ${shown}, reviewed as ${expected.join(', ') || 'nobody'}`);
  }
  for (const fn of Object.keys(reviewed)) {
    if (!(fn in actual)) problems.push(`${fn}: in the reviewed list but does not exist`);
  }
  return problems;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

describe('function grants in the exposed schemas', () => {
  it('reads the exposed schemas from config.toml', () => {
    expect(exposedSchemas()).toContain('public');
  });

  it('every function is in the reviewed list with exactly its grantees', async () => {
    const actual = await functionGrants(db.sql, exposedSchemas());
    expect(unreviewed(actual, REVIEWED)).toEqual([]);
  });

  it('control: a new function is reported, and by default nobody may execute it', async () => {
    class Rollback extends Error {}
    let problems: string[] = [];
    await db.sql
      .begin(async (tx) => {
        // Created as postgres, the role migrations run as, so the default privileges under test apply.
        await tx`create function public.grants_probe(x integer) returns integer language sql as 'select x'`;
        problems = unreviewed(await functionGrants(tx, exposedSchemas()), REVIEWED);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    expect(problems).toEqual(['public.grants_probe(x integer): not in the reviewed list (executable by nobody)']);
  });

  it('control: a grant that differs from the review is reported', () => {
    const actual: Grants = { ...REVIEWED, 'public.list_desired_bots()': ['anon', 'service_role'] };
    expect(unreviewed(actual, REVIEWED)).toEqual([
      'public.list_desired_bots(): executable by anon, service_role, reviewed as service_role',
    ]);
  });
});
