// Functions called by roles that must not call them, users trying to raise their own tier/limits/counters or lift
// their own suspension, rows naming another user, and Vault from the API roles.
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createTestDatabase, type Actor, type TestDatabase } from './helpers.ts';
import { seedIsolationFixture, type IsolationFixture } from './isolation.fixture.ts';

let db: TestDatabase;
let f: IsolationFixture;
const anon: Actor = { role: 'anon' };
const owner = (): Actor => ({ role: 'authenticated', userId: f.owner });
const other = (): Actor => ({ role: 'authenticated', userId: f.other });
const service: Actor = { role: 'service_role' };

beforeAll(async () => {
  db = await createTestDatabase();
  f = await seedIsolationFixture(db);
});
afterAll(async () => db?.stop());

async function expectDenied(
  actor: Actor,
  fn: (tx: TransactionSql) => Promise<unknown>,
  code = '42501',
  message?: RegExp,
) {
  const { outcome } = await attempt(db.sql, actor, fn);
  expect(outcome.ok ? 'allowed' : outcome.code).toBe(code);
  if (message && !outcome.ok) expect(outcome.message).toMatch(message);
}

describe('functions called by roles that must not call them', () => {
  const privileged: Array<[string, (tx: TransactionSql) => Promise<unknown>]> = [
    ['get_user_secrets_decrypted', (tx) => tx`select * from public.get_user_secrets_decrypted(${f.owner})`],
    ['increment_user_trades', (tx) => tx`select public.increment_user_trades(${f.owner})`],
    ['list_desired_bots', (tx) => tx`select * from public.list_desired_bots()`],
    ['bot_run_decisions', (tx) => tx`select * from public.bot_run_decisions()`],
    ['sale_realized_pnl_usd', (tx) => tx`select public.sale_realized_pnl_usd(1, 0.5, 0, 0.4, 1)`],
    ['admin_suspend_user', (tx) => tx`select public.admin_suspend_user(${f.other}, 'x')`],
    ['admin_resume_user', (tx) => tx`select public.admin_resume_user(${f.owner})`],
    [
      'set_user_secret_validation',
      (tx) => tx`select public.set_user_secret_validation(${f.owner}, 'polymarket', true, 'valid', null)`,
    ],
  ];
  for (const [name, call] of privileged) {
    it(`anon cannot execute ${name}`, () => expectDenied(anon, call, '42501', /permission denied for function/));
    it(`authenticated (the user themself) cannot execute ${name}`, () =>
      expectDenied(owner(), call, '42501', /permission denied for function/));
  }
  it('anon cannot execute save_user_secret', () =>
    expectDenied(
      anon,
      (tx) => tx`select public.save_user_secret('kalshi', true, 'k', null, 'p', '{}')`,
      '42501',
      /permission denied for function/,
    ));
  it('anon cannot execute delete_user_secret', () =>
    expectDenied(anon, (tx) => tx`select public.delete_user_secret('polymarket', true)`, '42501'));
  it('authenticated cannot reach the private schema helpers', () =>
    expectDenied(
      owner(),
      (tx) => tx`select private.audit(${f.owner}, 'forged', null, '{}')`,
      '42501',
      /permission denied for schema private/,
    ));
  it('service_role may execute what the platform needs', async () => {
    const { outcome } = await attempt(db.sql, service, async (tx) => {
      const secrets = await tx`select * from public.get_user_secrets_decrypted(${f.owner})`;
      const reserved = await tx`select public.increment_user_trades(${f.owner}) as r`;
      const decided = await tx`select should_run from public.bot_run_decisions(${f.owner}::uuid)`;
      const pnl = await tx`select public.sale_realized_pnl_usd(1, 0.5, 0, 0.4, 1)::float8 as v`;
      return { secrets: secrets.length, reserved: reserved[0]?.r, decided: decided.length, pnl: pnl[0]?.v };
    });
    expect(outcome).toEqual({ ok: true, value: { secrets: 1, reserved: true, decided: 1, pnl: 0.1 } });
  });
});

describe('a user cannot raise their own tier, limits or counters, or lift their own suspension', () => {
  const protectedColumns: Array<[string, (tx: TransactionSql) => Promise<unknown>]> = [
    [
      'subscription_tier',
      (tx) => tx`update public.polybot_user_profiles set subscription_tier = 'enterprise' where id = ${f.owner}`,
    ],
    [
      'subscription_status',
      (tx) => tx`update public.polybot_user_profiles set subscription_status = 'trialing' where id = ${f.owner}`,
    ],
    [
      'monthly_trade_limit',
      (tx) => tx`update public.polybot_user_profiles set monthly_trade_limit = 1000000 where id = ${f.owner}`,
    ],
    [
      'trades_this_month',
      (tx) => tx`update public.polybot_user_profiles set trades_this_month = 7 where id = ${f.owner}`,
    ],
    [
      'max_trade_size_usd',
      (tx) => tx`update public.polybot_user_profiles set max_trade_size_usd = 100000 where id = ${f.owner}`,
    ],
    [
      'features_enabled',
      (tx) =>
        tx`update public.polybot_user_profiles set features_enabled = '{"copy_trading": true}' where id = ${f.owner}`,
    ],
    [
      'live_trading_allowed',
      (tx) => tx`update public.polybot_user_profiles set live_trading_allowed = true where id = ${f.owner}`,
    ],
    [
      'stripe_customer_id',
      (tx) => tx`update public.polybot_user_profiles set stripe_customer_id = 'cus_someone_else' where id = ${f.owner}`,
    ],
  ];
  for (const [column, update] of protectedColumns) {
    it(`${column}: refused with an error naming the column`, async () => {
      const { outcome, verified } = await attempt(
        db.sql,
        owner(),
        update,
        (tx) =>
          tx`select subscription_tier, monthly_trade_limit, trades_this_month, live_trading_allowed from public.polybot_user_profiles where id = ${f.owner}`,
      );
      expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
      if (!outcome.ok)
        expect(outcome.message).toContain(`polybot_user_profiles.${column} cannot be changed by the user`);
      expect(verified?.[0]).toMatchObject({
        subscription_tier: 'free',
        monthly_trade_limit: 100,
        trades_this_month: 0,
        live_trading_allowed: false,
      });
    });
  }

  it('a suspended user cannot lift their own suspension', async () => {
    await db.sql`select public.admin_suspend_user(${f.other}, 'chargeback under review')`;
    try {
      const { outcome, verified } = await attempt(
        db.sql,
        other(),
        (tx) =>
          tx`update public.polybot_user_profiles set is_suspended = false, suspended_reason = null where id = ${f.other}`,
        (tx) => tx`select is_suspended from public.polybot_user_profiles where id = ${f.other}`,
      );
      expect(outcome.ok ? 'allowed' : outcome.message).toMatch(
        /polybot_user_profiles\.is_suspended cannot be changed by the user/,
      );
      expect(verified?.[0]?.is_suspended).toBe(true);
      await expectDenied(other(), (tx) => tx`select public.admin_resume_user(${f.other})`);
    } finally {
      await db.sql`select public.admin_resume_user(${f.other})`;
    }
  });

  it('a user cannot set their own config_version (the database assigns it)', async () => {
    const { outcome, verified } = await attempt(
      db.sql,
      owner(),
      (tx) =>
        tx`update public.polybot_user_config set config_version = 999, min_profit_pct = 2 where user_id = ${f.owner} returning config_version`,
      (tx) => tx`select config_version from public.polybot_user_config where user_id = ${f.owner}`,
    );
    expect(outcome.ok).toBe(true);
    expect(verified?.[0]?.config_version).toBe(2);
  });

  it('the user may change their own presentation fields', async () => {
    const { outcome } = await attempt(
      db.sql,
      owner(),
      (tx) =>
        tx`update public.polybot_user_profiles set display_name = 'Me', last_active_at = now() where id = ${f.owner}`,
    );
    expect(outcome.ok && outcome.value).toMatchObject({ count: 1 });
  });

  // Terms and onboarding move only through accept_terms / advance_onboarding (20261207000320).
  for (const [column, value, says] of [
    ['accepted_terms_at', "now() - interval '1 year'", /accept_terms/],
    ['accepted_terms_version', "'forged'", /accept_terms/],
    ['onboarding_step', "case when onboarding_step = 'done' then 'terms' else 'done' end", /advance_onboarding/],
    ['onboarding_completed', 'not onboarding_completed', /advance_onboarding/],
  ] as const) {
    it(`the user cannot set ${column} directly`, async () => {
      const { outcome } = await attempt(db.sql, owner(), async (tx) => {
        try {
          await tx.unsafe(`update public.polybot_user_profiles set ${column} = ${value} where id = $1`, [f.owner]);
          return 'allowed';
        } catch (e) {
          const { code, message, detail } = e as { code?: string; message?: string; detail?: string };
          return `${code}: ${message} (${detail})`;
        }
      });
      expect(outcome.ok && outcome.value).toMatch(
        `42501: polybot_user_profiles.${column} cannot be changed by the user`,
      );
      expect(outcome.ok && outcome.value).toMatch(says);
    });
  }
});

describe('rows naming another user', () => {
  it("moving one's config to another user is refused", () =>
    expectDenied(
      owner(),
      (tx) => tx`update public.polybot_user_config set user_id = ${f.other} where user_id = ${f.owner}`,
      '42501',
      /user_id cannot be changed/,
    ));
  it("booking a trade in another user's name is refused", () =>
    expectDenied(
      owner(),
      (tx) =>
        tx`insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side, strategy, mode, order_type, status, limit_price, size) values (${f.other}, 'forged-order-2', 'kalshi', 'KX', 'KX:yes', 'buy', 'news', 'paper', 'FOK', 'filled', 0.5, 1)`,
    ));
  it('writing a profile row for another user is refused', () =>
    expectDenied(owner(), (tx) => tx`insert into public.polybot_user_profiles (id) values (${f.other})`));
  it("delete_user_secret only ever deletes the caller's own keys", async () => {
    const { outcome, verified } = await attempt(
      db.sql,
      other(),
      (tx) => tx`select public.delete_user_secret('polymarket', true) as deleted`,
      (tx) => tx`select count(*)::int as n from public.polybot_user_secrets where user_id = ${f.owner}`,
    );
    expect(outcome.ok && outcome.value[0]).toEqual({ deleted: true });
    expect(verified?.[0]?.n).toBe(1);
  });
});

describe('Vault is closed to the API roles', () => {
  for (const [who, actor] of [
    ['anon', () => anon],
    ['authenticated', owner],
  ] as const) {
    it(`${who} cannot read vault.secrets`, () =>
      expectDenied(actor(), (tx) => tx`select * from vault.secrets`, '42501', /permission denied for schema vault/));
    it(`${who} cannot read vault.decrypted_secrets`, () =>
      expectDenied(actor(), (tx) => tx`select * from vault.decrypted_secrets`, '42501'));
    it(`${who} cannot call vault.create_secret`, () =>
      expectDenied(actor(), (tx) => tx`select vault.create_secret('x')`, '42501'));
  }
  it('service_role can read Vault (the platform contract), and inserting directly is refused', async () => {
    const { outcome } = await attempt(
      db.sql,
      service,
      (tx) => tx`select count(*)::int as n from vault.decrypted_secrets`,
    );
    expect(outcome.ok && outcome.value[0]).toEqual({ n: 2 });
    await expectDenied(service, (tx) => tx`insert into vault.secrets (secret) values ('plaintext')`, '42501');
  });
});
