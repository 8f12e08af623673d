// Kalshi live at runner level (issue 13 item 7): a user with a validated live Kalshi key and dry run off trades a
// Kalshi opportunity through their runner with kalshi-typescript against the simulator — the venue fills it (its
// statement shows the fills), each venue order is booked once in polybot_trades with mode live; a resting order on the
// account (placed by hand with the user's key) is cancelled when the bot stops, before the runner exits; the market
// resolves and the next runner reconciles the settled position with the venue's own settlement.
import { KalshiClient, KalshiTrading } from '@polybot/venues';
import { expect, test } from 'vitest';
import { alive, createUser, registerKalshiKey, statusOf, until, venueUrlsOf } from './harness.ts';
import {
  kalshiStatement,
  listKalshiArbEvent,
  resolveKalshiMarket,
  startQuietBothSim,
} from './market-lifecycle-world.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack({ sim: startQuietBothSim });

const KALSHI_ONLY = { enable_polymarket: false, enable_kalshi: true, max_open_positions: 20, max_trade_size_usd: 50 };

test('a live Kalshi runner: filled at the venue, booked once as live, resting order cancelled on stop, settlement reconciled', async () => {
  const key = await registerKalshiKey(stack.sim.origin);
  const user = await createUser(stack.db, {
    config: { ...KALSHI_ONLY, dry_run: false },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
  });
  await stack.db.sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: user.id, role: 'authenticated' })}, true)`;
    await tx`select public.save_user_secret('kalshi', false, ${key.keyId}, null, ${key.privatePem}, '{}'::jsonb)`;
  });
  const mgr = await stack.manager('kalshi-live', { marketRefreshMs: 300, kalshiMarketData: { pollIntervalMs: 200 } });
  const runnerOf = (): number | undefined => mgr.manager.runners().find((r) => r.userId === user.id)?.pid;
  await until(
    async () => {
      const s = await statusOf(stack.db.sql, user.id);
      return s.state === 'running' && s.mode === 'live';
    },
    'live Kalshi runner running in live mode',
    60_000,
  );
  const keyRow = await stack.db.sql<{ validation_status: string }[]>`
    select validation_status from public.polybot_user_secrets where user_id = ${user.id} and platform = 'kalshi'`;
  expect(keyRow.map((r) => r.validation_status)).toEqual(['valid']);

  // A Kalshi exclusive-event arbitrage appears: the runner buys YES on both markets, live.
  const [won, lost] = await listKalshiArbEvent(stack.sim, 'live');
  const booked = await until(
    async () => {
      const rows = await stack.db.sql<
        { venue_order_id: string | null; mode: string; status: string; filled_size: number; market_id: string }[]
      >`
        select venue_order_id, mode, status, filled_size::float8 as filled_size, market_id from public.polybot_trades
         where user_id = ${user.id} and market_id in ${stack.db.sql([won, lost])}`;
      return rows.length >= 2 && rows.every((r) => r.status === 'filled') ? rows : null;
    },
    'both legs booked, filled',
    60_000,
  );
  expect(new Set(booked.map((r) => r.mode))).toEqual(new Set(['live']));
  const orderIds = booked.map((r) => r.venue_order_id);
  expect(new Set(orderIds).size).toBe(orderIds.length); // each venue order booked once
  const venueFills = (await kalshiStatement(stack.sim, key.keyId)).fills.filter(
    (f) => f.ticker === won || f.ticker === lost,
  ) as Array<{ ticker: string; order_id: string }>;
  expect(new Set(venueFills.map((f) => f.order_id))).toEqual(new Set(orderIds));

  // A resting order on the account, the user's own (placed with their key, not by the bot).
  const client = new KalshiClient({
    basePath: venueUrlsOf(stack.sim).kalshiApi ?? '',
    credentials: { keyId: key.keyId, privateKeyPem: key.privatePem },
  });
  const own = new KalshiTrading({ client });
  const resting = await own.placeOrder({
    venue: 'kalshi',
    instrumentId: `${won}:yes`,
    side: 'buy',
    limitPrice: 0.05,
    size: 3,
    orderType: 'GTC',
    clientOrderId: `own-resting-${user.id.slice(0, 8)}`,
  });
  expect(resting.status).toBe('resting');
  expect(await own.openOrders()).toHaveLength(1);

  // The bot is stopped: the runner cancels the account's resting orders, then exits.
  const pid = runnerOf();
  if (pid === undefined) throw new Error('no runner');
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${user.id}`;
  await until(() => !alive(pid), 'runner exited', 30_000);
  expect(await own.openOrders()).toEqual([]);
  const { order } = (await client.read(() => client.orders.getOrder(resting.venueOrderId ?? ''))) as {
    order: { status: string };
  };
  expect(order.status).toBe('canceled');

  // The event resolves while the bot is off; the next runner reconciles the live settlements with the venue.
  await resolveKalshiMarket(stack.sim, won, 'yes');
  await resolveKalshiMarket(stack.sim, lost, 'no');
  await until(
    async () => {
      const r = await stack.db.sql`select 1 from public.polybot_settlements where user_id = ${user.id}`;
      return r.length === 2;
    },
    'both live positions settled',
    60_000,
  );
  await stack.db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${user.id}`;
  const reconciled = await until(
    async () => {
      const r = await stack.db.sql<{ venue_payout_usd: number | null; venue_reference: string | null }[]>`
        select venue_payout_usd::float8 as venue_payout_usd, venue_reference from public.polybot_settlements
         where user_id = ${user.id}`;
      return r.length === 2 && r.every((x) => x.venue_reference !== null) ? r : null;
    },
    'settlements reconciled with the venue',
    60_000,
  );
  const venuePaid = (await kalshiStatement(stack.sim, key.keyId)).settlements
    .filter((s) => s.ticker === won || s.ticker === lost)
    .reduce((s, v) => s + v.revenue, 0);
  expect(reconciled.reduce((s, r) => s + (r.venue_payout_usd ?? 0), 0)).toBeCloseTo(venuePaid / 100, 6);
});
