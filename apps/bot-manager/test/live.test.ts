// Live trading end to end, through the whole process path: keys saved as a user saves them (pending) → validated
// by the manager against the simulator → runner forked with them → arbitrage on arb-rich → real V2-signed orders with
// L2 auth posted to the simulator (which verifies both) → trades booked with mode 'live', each venue order exactly
// once. And the fallback: missing any one of dry_run off / validated live key / a plan with live trading → paper.
// A counting proxy in front of the simulator records what the venue sees: paper runners call no private endpoint,
// the live runner does.
import { expect, test } from 'vitest';
import { createUser, makeKeys, saveKeys, statusOf, until, walletKeys, type TestKeys, userVenue } from './harness.ts';
import { clobThroughProxy, useManagerStack } from './stack.ts';

const PRIVATE = /^(POST|GET|DELETE) \/(order|orders|cancel-all|cancel|auth\/|data\/|balance-allowance)/;

const stack = useManagerStack({ proxy: true, urls: clobThroughProxy });

const LIVE_PLAN = { live_trading_allowed: true, subscription_tier: 'pro' };

async function liveUser(o: { dryRun: boolean; plan: boolean; keys: TestKeys }): Promise<string> {
  const u = await createUser(stack.db, {
    config: { dry_run: o.dryRun },
    profile: o.plan ? LIVE_PLAN : { live_trading_allowed: false },
  });
  await saveKeys(stack.db.sql, u.id, o.keys, false);
  return u.id;
}

const keysChecked = (ids: string[]): Promise<boolean> =>
  until(
    async () => {
      const rows = await stack.db
        .sql`select 1 from public.polybot_user_secrets where user_id in ${stack.db.sql(ids)} and validation_status = 'pending'`;
      return rows.length === 0;
    },
    'every key checked by the manager',
    60_000,
  );

const running = (id: string): Promise<{ mode: string; reason: string }> =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, id);
      const reason = (s.stats as { mode_reason?: string } | null)?.mode_reason;
      return (s.state === 'running' || s.state === 'limit_reached') && reason ? { mode: String(s.mode), reason } : null;
    },
    `runner of ${id} running`,
    90_000,
  );

const disable = (ids: string[]): Promise<unknown> =>
  stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id in ${stack.db.sql(ids)}`;

test('any one of the three conditions missing → paper, paper trades only, and no private endpoint called by a runner', async () => {
  const dry = await liveUser({ dryRun: true, plan: true, keys: await walletKeys(stack.sim) });
  const noPlan = await liveUser({ dryRun: false, plan: false, keys: await walletKeys(stack.sim) });
  const badKey = await liveUser({ dryRun: false, plan: true, keys: makeKeys() }); // credentials the venue never issued
  const ids = [dry, noPlan, badKey];
  const m = await stack.manager('paper');
  await keysChecked(ids);
  // The manager's own key checks are done (they precede every fork); from here on, every request is a runner's.
  const from = stack.proxy.requests.length;
  const keyStatus = await stack.db.sql<{ user_id: string; validation_status: string }[]>`
    select user_id, validation_status from public.polybot_user_secrets where user_id in ${stack.db.sql(ids)}`;
  expect(Object.fromEntries(keyStatus.map((r) => [r.user_id, r.validation_status]))).toEqual({
    [dry]: 'valid',
    [noPlan]: 'valid',
    [badKey]: 'invalid',
  });

  expect(await running(dry)).toEqual({ mode: 'paper', reason: 'dry run is on' });
  expect(await running(noPlan)).toMatchObject({
    mode: 'paper',
    reason: expect.stringMatching(/plan does not allow live trading/) as unknown,
  });
  expect(await running(badKey)).toMatchObject({
    mode: 'paper',
    reason: expect.stringMatching(/no validated live Polymarket keys: the venue rejected them/) as unknown,
  });
  // Each of them trades arb-rich — on paper.
  await until(
    async () => {
      const rows = await stack.db
        .sql`select distinct user_id from public.polybot_trades where user_id in ${stack.db.sql(ids)}`;
      return rows.length === ids.length;
    },
    'paper trades of all three',
    90_000,
  );
  const modes = await stack.db
    .sql`select distinct mode from public.polybot_trades where user_id in ${stack.db.sql(ids)}`;
  expect(modes.map((r) => r.mode)).toEqual(['paper']);
  expect(stack.proxy.requests.slice(from).filter((r) => PRIVATE.test(r))).toEqual([]);
  expect(m.manager.runners().filter((r) => ids.includes(r.userId))).toHaveLength(3);
  await disable(ids);
  await m.stop();
});

test('dry_run off + validated live Polymarket key + live plan → real signed orders on the simulator, booked once as live', async () => {
  const keys = await walletKeys(stack.sim);
  const id = await liveUser({ dryRun: false, plan: true, keys });
  const m = await stack.manager('live');
  await keysChecked([id]);
  const from = stack.proxy.requests.length;
  expect(await running(id)).toMatchObject({
    mode: 'live',
    reason: expect.stringMatching(/validated live keys/) as unknown,
  });

  const rows = await until(
    async () => {
      const r = await stack.db.sql<
        {
          venue_order_id: string | null;
          mode: string;
          status: string;
          filled_size: string;
          leg_group_id: string;
          strategy: string;
        }[]
      >`
      select venue_order_id, mode, status, filled_size::text, leg_group_id, strategy from public.polybot_trades where user_id = ${id}`;
      return r.length > 0 ? r : null;
    },
    'a live trade booked',
    90_000,
  );
  // Stop the bot (graceful: whatever is in flight is booked first), then compare what was booked with the venue.
  await disable([id]);
  await until(async () => (await statusOf(stack.db.sql, id)).state === 'paused', 'runner stopped (paused)', 60_000);
  const booked = await stack.db.sql<
    { venue_order_id: string | null; mode: string; filled_size: string; leg_group_id: string }[]
  >`
    select venue_order_id, mode, filled_size::text, leg_group_id from public.polybot_trades where user_id = ${id}`;
  expect(booked.length).toBeGreaterThanOrEqual(rows.length);
  expect(new Set(booked.map((r) => r.mode))).toEqual(new Set(['live']));
  const orderIds = booked.map((r) => r.venue_order_id);
  expect(orderIds.every((o) => typeof o === 'string' && /^0x[0-9a-f]{64}$/.test(o))).toBe(true);
  expect(new Set(orderIds).size).toBe(orderIds.length); // each venue order booked exactly once

  // What the venue has for this wallet (asked with the user's own credentials, directly): the same orders.
  const venue = await userVenue(stack.sim, keys);
  const fills = await venue.fills();
  const filledAtVenue = new Set(fills.map((f) => f.venueOrderId));
  const filledBooked = booked.filter((r) => Number(r.filled_size) > 0).map((r) => r.venue_order_id);
  expect(filledBooked.length).toBeGreaterThan(0);
  expect(new Set(filledBooked)).toEqual(filledAtVenue);
  const positions = await stack.db.sql`select 1 from public.polybot_positions where user_id = ${id}`;
  expect(positions.length).toBeGreaterThan(0);

  // The runner itself went to the venue's private endpoints: L2-authenticated balance check and signed order posts.
  const privateCalls = stack.proxy.requests.slice(from).filter((r) => PRIVATE.test(r));
  expect(privateCalls).toContain('POST /order');
  expect(privateCalls.some((r) => r.startsWith('GET /balance-allowance'))).toBe(true);
  await m.stop();
});
