// Copy trading end to end: the manager polls the simulator's data-API (through a counting proxy) for the wallets its
// runners follow, once per wallet whatever the number of followers, and forwards each new trade to the followers'
// runners; a runner with copy trading on (config AND plan) mirrors the buys on paper, scaled and capped, through the
// same risk → reservation → execution → booking path as arbitrage. arb-rich's wallet buys 50 Fed "No change" YES at
// 0.981 at once and 20 BTC Up at 0.47 after 30 s (scenario time runs with the wall clock here), then sells.
import { expect, test } from 'vitest';
import type { RunningBotManager } from '../src/index.ts';
import { heartbeats, statusIn, tradesThisMonth, tradesOf, until, type TradeRow, venueUrlsOf } from './harness.ts';
import { COPY_ONLY, PRO_FEATURES, planUser } from './plan-users.ts';
import { useManagerStack } from './stack.ts';

const WALLET = '0x9fb96c5cf2027d0ce8e0e92fc30b52e81f001866';
const QUIET_WALLET = '0x00000000000000000000000000000000000000aa';
const FED_NO_CHANGE_YES = '30767812841387255642892182147223249245545002662653079696958384408588201824258';
const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';

// The Pro and Enterprise plans include copy_trading (supabase/migrations/*_plans.sql); Free and Basic do not.
const BASIC_FEATURES = { ...PRO_FEATURES, overlapping_arb: false, copy_trading: false };

const stack = useManagerStack({
  proxy: true,
  urls: (sim, proxy) => ({ ...venueUrlsOf(sim), polymarketDataApi: `${proxy?.origin}/data-api` }),
  timeoutMs: 120_000,
});
const managers = stack.managers;
const users: Record<string, string> = {};
/** Every IPC message of every runner of every manager here, parsed as the manager saw it. */
const ipc: Array<{ userId: string; pid: number; direction: 'to' | 'from'; message: Record<string, unknown> }> = [];

async function copyUser(
  o: {
    features?: Record<string, boolean>;
    wallets?: string[];
    maxSlippage?: number;
    config?: Record<string, unknown>;
    profile?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const followedWallets = (o.wallets ?? [WALLET]).map((address) => ({
    address,
    scale: 0.5,
    maxPerTradeUsd: 10,
    ...(o.maxSlippage === undefined ? {} : { maxSlippage: o.maxSlippage }),
  }));
  return planUser(stack.db, o.features ?? PRO_FEATURES, {
    profile: o.profile,
    config: { ...COPY_ONLY, advanced_config: stack.db.sql.json({ newsRules: [], followedWallets }), ...o.config },
  });
}

const manager = (id: string): Promise<RunningBotManager> =>
  stack.manager(id, {
    crashBackoffBaseMs: 100,
    walletPollIntervalMs: 300,
    ipcTap: (e) =>
      ipc.push({ userId: e.userId, pid: e.pid, direction: e.direction, message: e.message as Record<string, unknown> }),
  });

const copies = (userId: string): Promise<TradeRow[]> => tradesOf(stack.db.sql, userId);
const polls = (wallet: string): number =>
  stack.proxy.urls.filter((u) => u.startsWith('GET /data-api/trades?') && u.includes(`user=${wallet}`)).length;

test('a follower with copy trading on (config AND plan) mirrors the wallet’s buys on paper, scaled and capped; not following, toggle off or a plan without it → none', async () => {
  users.follower = await copyUser();
  users.notFollowing = await copyUser({ wallets: [] });
  users.toggleOff = await copyUser({ config: { enable_copy_trading: false } });
  users.basicPlan = await copyUser({ features: BASIC_FEATURES });
  await manager('m-copy');

  const rows = await until(
    async () => {
      const r = await copies(users.follower ?? '');
      return r.length >= 2 ? r : null;
    },
    'both of the wallet’s buys mirrored',
    120_000,
  );
  expect(rows).toHaveLength(2);
  expect(rows.every((r) => r.strategy === 'copy_trading' && r.mode === 'paper' && r.status === 'filled')).toBe(true);
  const [fed, btc] = rows;
  // 50 × 0.5 = 25 contracts would cost ~24.5 USD: capped at maxPerTradeUsd 10 (fees included).
  expect(fed?.instrument_id).toBe(FED_NO_CHANGE_YES);
  expect(fed?.size).toBeLessThan(25);
  expect((fed?.size ?? 0) * (fed?.price ?? 0) + (fed?.fee ?? 0)).toBeLessThanOrEqual(10 + 1e-6);
  expect((fed?.size ?? 0) * (fed?.price ?? 0) + (fed?.fee ?? 0)).toBeGreaterThan(9);
  // 20 × 0.5 = 10 contracts at 0.47 is ~5 USD: under the cap, so exactly the scaled size.
  expect(btc).toMatchObject({ instrument_id: BTC_UP, size: 10, price: 0.47 });
  expect(rows.every((r) => r.leg_group_id.startsWith('copy:0x'))).toBe(true);
  // The SELL was not mirrored, and every order reserved one trade of the month.
  expect(await tradesThisMonth(stack.db.sql, users.follower ?? '')).toBe(2);

  // The others had their runners up the whole time, and the wallet's trades were there to be had.
  for (const u of [users.notFollowing, users.toggleOff, users.basicPlan]) {
    await heartbeats(stack.db.sql, u ?? '', 5);
    expect(await copies(u ?? '')).toEqual([]);
  }
  // The toggle is what stood in that user's way: switched on in place, the recent trades reach them and are mirrored.
  await stack.db
    .sql`update public.polybot_user_config set enable_copy_trading = true where user_id = ${users.toggleOff ?? ''}`;
  await until(
    async () => (await copies(users.toggleOff ?? '')).length === 2,
    'the toggled-on user mirroring both buys',
    60_000,
  );
  expect(await copies(users.basicPlan ?? '')).toEqual([]);

  // A restarted runner is handed the same recent trades again and mirrors none of them a second time.
  const m = managers[0];
  const before = m?.manager.runners().find((r) => r.userId === users.follower)?.pid;
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${users.follower ?? ''}`;
  await until(() => !m?.manager.runners().some((r) => r.userId === users.follower), 'the follower’s runner stopped');
  await stack.db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${users.follower ?? ''}`;
  await until(
    () => m?.manager.runners().some((r) => r.userId === users.follower && r.pid !== before),
    'a new runner for the follower',
  );
  await heartbeats(stack.db.sql, users.follower ?? '', 5);
  expect(await copies(users.follower ?? '')).toHaveLength(2);
  expect(await tradesThisMonth(stack.db.sql, users.follower ?? '')).toBe(2);
}, 300_000);

test('two users following one wallet → one poll stream for it (as many polls as for a wallet only one user follows)', async () => {
  // follower and toggleOff both follow WALLET now; a third user follows a wallet nobody else does.
  users.quiet = await copyUser({ wallets: [QUIET_WALLET] });
  await until(() => polls(QUIET_WALLET) > 0, 'the quiet wallet polled', 60_000);
  const [w0, q0] = [polls(WALLET), polls(QUIET_WALLET)];
  await until(() => polls(QUIET_WALLET) >= q0 + 10, 'ten more polls of the quiet wallet', 60_000);
  const [w1, q1] = [polls(WALLET), polls(QUIET_WALLET)];
  // Both wallets are polled in the same rounds, one request each: per-follower polling would show about twice as many.
  expect(Math.abs(w1 - w0 - (q1 - q0))).toBeLessThanOrEqual(1);
  expect(managers[0]?.walletFeed?.stats()).toMatchObject({ wallets: 2, followers: 3 });
}, 120_000);

test('monthly limit at limit − 1 over single-leg copy trades, a second manager up: one runner for the user (its shard has one owner), exactly one reservation and one order, counter = limit, limit_reached', async () => {
  const m1 = managers[0];
  if (!m1) throw new Error('no first manager');
  // Copy trading off until the runner runs: switched on in place, the runner is handed the wallet's two recent buys
  // and may book only one of them. The widest price allowance keeps both buys priceable however late this runs in
  // scenario time (arb-rich withdraws BTC Up's 0.47 ask at 120 s).
  const u = await copyUser({
    maxSlippage: 0.2,
    profile: { monthly_trade_limit: 5, trades_this_month: 4 },
    config: { enable_copy_trading: false },
  });
  await until(
    async () =>
      (
        await stack.db
          .sql`select 1 from public.polybot_user_secrets where user_id = ${u} and validation_status = 'pending'`
      ).length === 0,
    'keys checked',
  );
  // A second manager (before issue 15 both would run this user and race for the last slot; the database's atomic
  // limit was the only guard, supabase/tests/trade-limit.test.ts). Now the user's shard has one owner: one runner.
  const m2 = await manager('m-copy-2');
  const runnersOf = (): number[] =>
    [m1, m2].flatMap((m) =>
      m.manager
        .runners()
        .filter((r) => r.userId === u && !r.stopping)
        .map((r) => r.pid),
    );
  const beats = (pid: number): Array<{ state?: string }> =>
    ipc
      .filter((e) => e.pid === pid && e.direction === 'from' && e.message.type === 'heartbeat')
      .map((e) => e.message.stats as { state?: string });
  const pid = await until(
    () => {
      const ps = runnersOf();
      return ps.length === 1 && ps[0] !== undefined && beats(ps[0]).length > 0 ? ps[0] : null;
    },
    'one running runner of the user',
    90_000,
  );
  expect(await copies(u)).toEqual([]);

  await stack.db.sql`update public.polybot_user_config set enable_copy_trading = true where user_id = ${u}`;
  const s = await statusIn(stack.db.sql, u, 'limit_reached', 'limit_reached in status', 90_000);
  expect(String(s.halt_reason)).toMatch(/monthly trade limit reached/);
  await heartbeats(stack.db.sql, u, 10);
  // Still that one runner, never a second one in the other manager.
  expect(runnersOf()).toEqual([pid]);
  expect(beats(pid).some((b) => b.state === 'limit_reached')).toBe(true);
  const asked = ipc.filter(
    (e) =>
      e.pid === pid &&
      e.direction === 'from' &&
      e.message.type === 'db' &&
      (e.message.request as { op: string }).op === 'reserveTrades',
  );
  const answers = asked.map(
    (q) =>
      ipc.find(
        (a) => a.pid === pid && a.direction === 'to' && a.message.type === 'dbResult' && a.message.id === q.message.id,
      )?.message.value,
  );
  // It was handed both buys.
  expect(
    ipc.filter((e) => e.pid === pid && e.direction === 'to' && e.message.type === 'walletTrade').length,
  ).toBeGreaterThanOrEqual(2);
  // The first buy got the last slot, the second was refused for the limit.
  expect(answers.filter((v) => v === true)).toHaveLength(1);
  expect(answers).toContain(false);
  const rows = await copies(u);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ strategy: 'copy_trading', status: 'filled' });
  expect(await tradesThisMonth(stack.db.sql, u)).toBe(5);
  await m2.stop();
  managers.pop();
}, 300_000);
