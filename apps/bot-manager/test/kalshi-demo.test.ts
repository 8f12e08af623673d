// Kalshi paper on the demo exchange (runner/kalshi-demo.ts): with the platform's Kalshi demo URL configured
// (VenueUrls.kalshiDemoApi; the simulator stands in for Kalshi's demo environment) a user's validated paper Kalshi key
// paper-trades there through kalshi-typescript — the demo exchange holds the orders and fills, the trades are booked
// mode 'paper' with the demo's order ids. A user without a paper Kalshi key is simulated locally (paper-kalshi-… ids).
import { expect, test } from 'vitest';
import { registerKalshiKey, saveKalshiKey, startBothVenuesSim, until, venueUrlsOf } from './harness.ts';
import { ARB_FEATURES, planUser } from './plan-users.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack({
  sim: startBothVenuesSim,
  urls: (sim) => ({ ...venueUrlsOf(sim), kalshiDemoApi: venueUrlsOf(sim).kalshiApi }),
  timeoutMs: 120_000,
});

const KALSHI_ONLY = {
  enable_polymarket: false,
  enable_kalshi: true,
  enable_single_platform_arb: true,
  enable_cross_platform_arb: false,
  min_profit_pct: 0.1,
};

const kalshiTrades = (userId: string) =>
  stack.db.sql<{ mode: string; venue_order_id: string | null }[]>`
    select mode, venue_order_id from public.polybot_trades where user_id = ${userId} and platform = 'kalshi'`;

test('a validated paper Kalshi key trades the demo exchange (booked as paper, demo order ids); no key → local paper', async () => {
  const demoKey = await registerKalshiKey(stack.sim.origin);
  const demoUser = await planUser(stack.db, ARB_FEATURES, { config: KALSHI_ONLY });
  await saveKalshiKey(stack.db.sql, demoUser, demoKey, true);
  const localUser = await planUser(stack.db, ARB_FEATURES, { config: KALSHI_ONLY });
  const m = await stack.manager('kalshi-demo', { kalshiMarketData: { pollIntervalMs: 200, readsPerSecond: 500 } });

  const demo = await until(
    async () => {
      const rows = await kalshiTrades(demoUser);
      return rows.length > 0 ? rows : null;
    },
    'a Kalshi trade of the demo-key user',
    120_000,
  );
  expect(new Set(demo.map((r) => r.mode))).toEqual(new Set(['paper']));
  for (const r of demo) expect(r.venue_order_id ?? '').not.toMatch(/^paper-/);
  // The demo exchange saw them: the member's fills there are the booked orders.
  const statement = (await (
    await fetch(`${stack.sim.origin}/_sim/kalshi/statement?member=${demoKey.keyId}`)
  ).json()) as { fills: unknown[] };
  expect(statement.fills.length).toBeGreaterThan(0);

  const local = await until(
    async () => {
      const rows = await kalshiTrades(localUser);
      return rows.length > 0 ? rows : null;
    },
    'a Kalshi trade of the user without a paper key',
    120_000,
  );
  expect(new Set(local.map((r) => r.mode))).toEqual(new Set(['paper']));
  for (const r of local) expect(r.venue_order_id ?? '').toMatch(/^paper-kalshi-/);
  await stack.db
    .sql`update public.polybot_user_config set bot_enabled = false where user_id in ${stack.db.sql([demoUser, localUser])}`;
  await m.stop();
}, 300_000);
