// Both venues end to end: the manager's hubs (Polymarket WebSocket; Kalshi over its authenticated WebSocket with a
// platform market-data key, or by REST polling without one) → runners → every strategy the config AND the plan enable
// → per-order reservations → paper execution on the right venue → booked trades and the dashboard's recent
// opportunities. The simulator runs arb-rich with scenario time standing still, so its time-limited cross-platform
// and Kalshi baskets are there for as long as the test needs them.
import { expect, test } from 'vitest';
import type { RunningBotManager } from '../src/index.ts';
import { BotStatsSchema } from '@polybot/schemas';
import {
  approveScenarioLinks,
  heartbeats,
  registerKalshiKey,
  startBothVenuesSim,
  statusIn,
  statusOf,
  tradesThisMonth,
  until,
} from './harness.ts';
import { ARB_FEATURES, planUser } from './plan-users.ts';
import { useManagerStack } from './stack.ts';

// arb-rich link 1: Polymarket Fed 'No change' ≡ Kalshi KXFEDDECISION-26JUN-H0 (cross-platform: Polymarket NO + Kalshi YES).
const FED_NO_CHANGE = '0xde04b189b3f19eaccda02529a3ea67abfc46bff5c0c8fc42d8a2d0ed7b8f0d41';
const H0 = 'KXFEDDECISION-26JUN-H0';

const stack = useManagerStack({
  sim: startBothVenuesSim,
  setup: async ({ db }) => {
    expect(await approveScenarioLinks(db.sql, 'arb-rich')).toBe(6);
  },
  timeoutMs: 120_000,
});
const managers = stack.managers;
let pollingManager: RunningBotManager | null = null;

const FEATURES_NO_CROSS = { ...ARB_FEATURES, cross_platform: false };
const ENABLE_BOTH = {
  enable_polymarket: true,
  enable_kalshi: true,
  enable_single_platform_arb: true,
  enable_cross_platform_arb: true,
  min_profit_pct: 0.1,
};

async function userWith(
  features: Record<string, boolean>,
  profile: Record<string, unknown> = {},
  config: Record<string, unknown> = {},
): Promise<string> {
  // Paper baskets marked at the best bid show a loss on paper; the daily-loss halt has its own test (risk.test.ts).
  return planUser(stack.db, features, { profile, config: { ...ENABLE_BOTH, ...config } });
}

async function manager(id: string, kalshi: 'stream' | 'poll'): Promise<RunningBotManager> {
  const key = kalshi === 'stream' ? await registerKalshiKey(stack.sim.origin) : null;
  return stack.manager(id, {
    crashBackoffBaseMs: 100,
    kalshiMarketData: key
      ? { credentials: { keyId: key.keyId, privateKeyPem: key.privatePem } }
      : { pollIntervalMs: 200, readsPerSecond: 500 },
  });
}

const trades = (userId: string) =>
  stack.db.sql<{ platform: string; strategy: string; leg_group_id: string; mode: string; status: string }[]>`
    select platform, strategy, leg_group_id, mode, status from public.polybot_trades where user_id = ${userId}`;
const disable = (userId: string): Promise<unknown> =>
  stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${userId}`;

test('Kalshi streamed with a platform key: a user with Kalshi + cross-platform (config and plan) books Kalshi paper trades and a cross-platform paper arbitrage; a plan without the feature gets none', async () => {
  // Single-platform off for this user: the Polymarket Fed NO basket would take the very NO level the cross-platform
  // basket buys, and paper trading (rightly) does not sell the same liquidity twice.
  const withCross = await userWith(ARB_FEATURES, {}, { enable_single_platform_arb: false });
  const noCrossInPlan = await userWith(FEATURES_NO_CROSS);
  await manager('m-stream', 'stream');

  // The cross-platform arbitrage on link 1: two legs of one group, one on each venue, both filled on paper.
  const cross = await until(
    async () => {
      const rows = (await trades(withCross)).filter((t) => t.strategy === 'cross_platform');
      return rows.length >= 2 ? rows : null;
    },
    'a cross-platform paper arbitrage',
    120_000,
  );
  const group = cross.filter((t) => t.leg_group_id === cross[0]?.leg_group_id);
  expect(group.map((t) => t.platform).sort()).toEqual(['kalshi', 'polymarket']);
  expect(group.every((t) => t.mode === 'paper' && t.status === 'filled')).toBe(true);
  const [legs] = await stack.db.sql<{ ids: string[] }[]>`
    select array_agg(instrument_id order by instrument_id) as ids from public.polybot_trades where leg_group_id = ${cross[0]?.leg_group_id ?? ''} and user_id = ${withCross}`;
  expect(legs?.ids.some((id) => id === `${H0}:yes`)).toBe(true);
  const [fedNo] = await stack.db
    .sql`select 1 from public.polybot_trades where user_id = ${withCross} and platform = 'polymarket' and market_id = ${FED_NO_CHANGE} and strategy = 'cross_platform'`;
  expect(fedNo).toBeDefined();

  // Positions were opened on both venues, per venue.
  const venues = await stack.db.sql<
    { platform: string }[]
  >`select distinct platform from public.polybot_positions where user_id = ${withCross} and status = 'open'`;
  expect(venues.map((v) => v.platform).sort()).toEqual(['kalshi', 'polymarket']);

  // The other user's config enables cross-platform arbitrage but their plan does not: single-platform only — which
  // includes Kalshi's own basket (the Fed event's YES on every market), booked on the Kalshi paper account.
  await until(
    async () => (await trades(noCrossInPlan)).some((t) => t.platform === 'kalshi' && t.strategy === 'single_platform'),
    'the plan-limited user trading single-platform on Kalshi',
    120_000,
  );
  await heartbeats(stack.db.sql, noCrossInPlan, 1, 'another heartbeat of the plan-limited user');
  expect((await trades(noCrossInPlan)).filter((t) => t.strategy === 'cross_platform')).toEqual([]);

  // recent_opportunities in the status row: at most 10, newest first, the dashboard's shape (the whole stats object
  // passes the shared BotStatsSchema), and the cross one acted.
  const recent = await until(async () => {
    const stats = BotStatsSchema.safeParse((await statusOf(stack.db.sql, withCross)).stats);
    const list = stats.success ? stats.data.recent_opportunities : [];
    return list.some((o) => o.strategy === 'cross_platform' && o.acted) ? list : null;
  }, 'recent_opportunities with the cross-platform arbitrage');
  expect(recent.length).toBeGreaterThan(0);
  expect(recent.length).toBeLessThanOrEqual(10);
  for (let i = 1; i < recent.length; i++)
    expect((recent[i - 1]?.detected_at_ms ?? 0) >= (recent[i]?.detected_at_ms ?? 0)).toBe(true);
  const otherRecent = BotStatsSchema.parse((await statusOf(stack.db.sql, noCrossInPlan)).stats).recent_opportunities;
  expect(otherRecent.some((o) => o.strategy === 'cross_platform')).toBe(false);

  // Every order reserved one trade of the month (paper included), legs and nothing else.
  const [orders] = await stack.db.sql<
    { n: number }[]
  >`select count(*)::int as n from public.polybot_trades where user_id = ${withCross} and strategy <> 'unwind'`;
  expect(await tradesThisMonth(stack.db.sql, withCross)).toBe(orders?.n);

  await Promise.all([disable(withCross), disable(noCrossInPlan)]);
  await managers.pop()?.stop();
}, 300_000);

test('monthly limit, per order: room for 2 orders, two managers up (one runner: the shard has one owner) → exactly one 2-leg arbitrage, nothing half-executed', async () => {
  // Room for exactly 2: the 2-leg baskets (cross-platform, BTC, overlap) fit one at a time, the 5- and 16-leg ones never.
  const u = await userWith(ARB_FEATURES, { monthly_trade_limit: 20, trades_this_month: 18 });
  const m1 = await manager('m-race-1', 'stream');
  const m2 = await manager('m-race-2', 'poll');
  pollingManager = m2;
  // Before issue 15 both managers ran this user and raced for the counter (the database's atomic limit was the only
  // guard, supabase/tests/trade-limit.test.ts); now the user's shard has one owner: one runner between them.
  const runnersOf = (): number =>
    [m1, m2].reduce((n, m) => n + m.manager.runners().filter((r) => r.userId === u && !r.stopping).length, 0);
  await until(() => runnersOf() === 1, 'one runner of the user', 90_000);
  const s = await statusIn(stack.db.sql, u, 'limit_reached', 'the limit reached in status', 120_000);
  expect(String(s.halt_reason)).toMatch(/monthly trade limit reached/);
  // The runner keeps meeting arbitrage it may no longer trade; nothing more may go out, and no second runner appears.
  await heartbeats(stack.db.sql, u, 10, 'another heartbeat after the limit');
  expect(runnersOf()).toBe(1);
  const rows = (await trades(u)).filter((t) => t.strategy !== 'unwind');
  expect(rows).toHaveLength(2);
  expect(new Set(rows.map((r) => r.leg_group_id)).size).toBe(1);
  expect(await tradesThisMonth(stack.db.sql, u)).toBe(20);
  await disable(u);
  await m1.stop();
}, 300_000);

test('without a platform key Kalshi books arrive by REST polling, and Kalshi trades happen all the same', async () => {
  const u = await userWith(ARB_FEATURES);
  // Only the polling manager is up now: every Kalshi book this runner gets came from REST polls.
  expect(pollingManager).not.toBeNull();
  await until(
    () => pollingManager?.manager.runners().some((r) => r.userId === u),
    "the user's runner in the polling manager",
    90_000,
  );
  await until(
    async () => (await trades(u)).some((t) => t.platform === 'kalshi'),
    'a Kalshi paper trade from polled books',
    120_000,
  );
  await disable(u);
}, 300_000);
