// Durable order intents end to end (issue 13 item 3, docs/ARCHITECTURE.md §8a.4): a live Polymarket runner against the
// simulator, killed by the test hook right after the venue accepted an order and before booking it. The manager
// restarts the runner, which finds the order's intent unresolved, asks the venue about it and books it once; further
// restarts book nothing more, and the venue never sees the order (or its opportunity) again. And when the venue cannot
// be asked, the intent stays unresolved, its instrument is skipped with `intent_unresolved`, and nothing is re-sent.
// Each user's monthly limit is exactly what the first execution reserves, so the runner has nothing else to trade.
import { polymarketOrders } from '@polybot/local-stack/testing';
import { privateKeyToAccount } from 'viem/accounts';
import { expect, test } from 'vitest';
import { createUser, saveKeys, statusOf, tradesThisMonth, until, walletKeys, type TestKeys } from './harness.ts';
import { clobThroughProxy, useManagerStack } from './stack.ts';

const stack = useManagerStack({ proxy: true, urls: clobThroughProxy });

interface IntentRow {
  client_order_id: string;
  venue_order_id: string | null;
  status: string;
  mode: string;
  leg_group_id: string;
  instrument_id: string;
  error: string | null;
}

async function liveUser(keys: TestKeys): Promise<string> {
  const u = await createUser(stack.db, {
    config: { dry_run: false },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
  });
  await saveKeys(stack.db.sql, u.id, keys, false);
  // Room for one two-legged execution and nothing more: whatever the venue sees after the crash is a re-send.
  await stack.db
    .sql`update public.polybot_user_profiles set monthly_trade_limit = 2, trades_this_month = 0 where id = ${u.id}`;
  return u.id;
}

const intentsOf = (id: string): Promise<IntentRow[]> =>
  stack.db.sql<IntentRow[]>`
    select client_order_id, venue_order_id, status, mode, leg_group_id, instrument_id, error
      from public.polybot_order_intents where user_id = ${id} order by id`;

/**
 * Orders the venue holds for this wallet (accepted, whatever became of them). Not the count of `POST /order`s: the key
 * check's funder probe (section 8a.1) is one too, refused for funds, and never an order.
 */
const venueOrders = async (keys: TestKeys): Promise<number> =>
  (await polymarketOrders(stack.sim.origin, privateKeyToAccount(`0x${keys.privateKey}`).address)).orders.length;

/** What the simulator (the venue) holds for this wallet: its fills, by order. */
async function venueFills(keys: TestKeys): Promise<Array<{ orderId: string; size: number }>> {
  const address = privateKeyToAccount(`0x${keys.privateKey}`).address;
  const r = await fetch(`${stack.sim.origin}/_sim/polymarket/statement?address=${address}`);
  const body = (await r.json()) as { fills: Array<{ orderId: string; size: number; traderSide: string }> };
  return body.fills.map((f) => ({ orderId: f.orderId, size: f.size }));
}

/** A runner of this user up (again) with a pid other than `not`. */
const runnerUp = (id: string, not: unknown): Promise<number> =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, id);
      return (s.state === 'running' || s.state === 'limit_reached') && s.pid !== not && typeof s.pid === 'number'
        ? s.pid
        : null;
    },
    `runner of ${id} up`,
    90_000,
  );

const bookedTrades = (id: string) =>
  stack.db.sql<{ client_order_id: string; venue_order_id: string | null; filled_size: string; status: string }[]>`
    select client_order_id, venue_order_id, filled_size::text, status from public.polybot_trades where user_id = ${id}`;

test('crash between send and book → after restart exactly one booking and one order at the venue; restarts book nothing more', async () => {
  const keys = await walletKeys(stack.sim);
  const id = await liveUser(keys);
  const m = await stack.manager('intents-crash', { testHooks: { crashAfterSend: true } });

  // The first order went out and the runner died before booking it: the intent is all there is.
  const [first] = await until(async () => {
    const rows = await intentsOf(id);
    return rows.length > 0 ? rows : null;
  }, 'an order intent written');
  expect(first).toMatchObject({ mode: 'live', venue_order_id: expect.stringMatching(/^0x[0-9a-f]{64}$/) as unknown });

  // The restarted runner reconciles it with the venue: booked once, from what the venue says.
  const booked = await until(
    async () =>
      (await intentsOf(id)).find((i) => i.client_order_id === first?.client_order_id && i.status !== 'pending'),
    'the intent resolved by the restarted runner',
    90_000,
  );
  const status = await statusOf(stack.db.sql, id);
  expect(Number(status.restart_count)).toBeGreaterThanOrEqual(1);
  const atVenue = await venueFills(keys);
  const filled = atVenue.filter((f) => f.orderId === first?.venue_order_id);
  // The order filled at the venue while its runner was dead; the restarted runner booked it once.
  expect(filled.length).toBeGreaterThan(0);
  expect(booked.status).toBe('booked');
  const trades = await bookedTrades(id);
  expect(trades).toHaveLength(1);
  expect(trades[0]).toMatchObject({ client_order_id: first?.client_order_id, venue_order_id: first?.venue_order_id });
  expect(Number(trades[0]?.filled_size)).toBeCloseTo(
    filled.reduce((s, f) => s + f.size, 0),
    6,
  );
  // Positions are updated as for any booking.
  const positions = await stack.db.sql`select size::float8 as size from public.polybot_positions where user_id = ${id}`;
  expect(positions.map((p) => Number(p.size))).toEqual([Number(trades[0]?.filled_size)]);
  // The venue saw exactly one order from this wallet: the crashed one was never re-sent, nor its opportunity.
  expect(await venueOrders(keys)).toBe(1);
  expect(new Set(atVenue.map((f) => f.orderId))).toEqual(new Set([first?.venue_order_id]));

  // Two more restarts (kill -9 of the runner): still one booking, one order, one reservation per leg.
  let pid = await runnerUp(id, null);
  for (let i = 0; i < 2; i++) {
    process.kill(pid, 'SIGKILL');
    pid = await runnerUp(id, pid);
  }
  expect(await bookedTrades(id)).toHaveLength(1);
  expect(await venueOrders(keys)).toBe(1);
  expect((await intentsOf(id)).map((i) => i.status)).toEqual(['booked']);
  // The reservation made once before the crash is all that was counted: reconciliation booked without reserving.
  expect(await tradesThisMonth(stack.db.sql, id)).toBe(2);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${id}`;
  await m.stop();
});

test('an intent whose fate cannot be learned (the venue does not answer) is not re-sent; its instrument is skipped with intent_unresolved', async () => {
  const keys = await walletKeys(stack.sim);
  const id = await liveUser(keys);
  // The order lookups of reconciliation never reach the venue (the venue is unreachable for them).
  stack.proxy.hold((method, path) => method === 'GET' && path.startsWith('/data/order/'));
  const m = await stack.manager('intents-unknown', { testHooks: { crashAfterSend: true } });
  const [first] = await until(async () => {
    const rows = await intentsOf(id);
    return rows.length > 0 ? rows : null;
  }, 'an order intent written');

  // The restarted runner asked, got no answer in time, and says so; the intent stays unresolved.
  const unknown = await until(
    async () => (await intentsOf(id)).find((i) => i.status === 'unknown'),
    'the intent marked unknown',
    90_000,
  );
  expect(unknown).toMatchObject({
    client_order_id: first?.client_order_id,
    error: expect.stringMatching(/could not be asked/) as unknown,
  });
  // Opportunities on its instrument are skipped for it, and nothing was sent again.
  await until(
    async () => {
      const s = await statusOf(stack.db.sql, id);
      const recent = (s.stats as { recent_opportunities?: Array<{ skip_code?: string | null }> } | null)
        ?.recent_opportunities;
      return recent?.some((o) => o.skip_code === 'intent_unresolved');
    },
    'an opportunity skipped with intent_unresolved',
    90_000,
  );
  expect(await venueOrders(keys)).toBe(1);
  expect(await stack.db.sql`select 1 from public.polybot_trades where user_id = ${id}`).toHaveLength(0);

  // The venue answers again: the intent is resolved from what the venue says, still without a second order.
  stack.proxy.release();
  await until(
    async () => (await intentsOf(id)).every((i) => i.status === 'booked' || i.status === 'cancelled'),
    'the intent resolved once the venue answers',
    90_000,
  );
  expect(await venueOrders(keys)).toBe(1);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${id}`;
  await m.stop();
});
