// The runner's risk rules end to end: daily loss halt, the monthly limit per order (no basket goes out half), paper
// never touching private endpoints, and live trading only with all three conditions. The race of two runners of one
// user for the last trade of the month is in copy-trading.test.ts (single-leg orders, where a race can be won).
import { setSecretValidation } from '@polybot/db/service';
import { expect, test } from 'vitest';
import type { RunningBotManager } from '../src/index.ts';
import { createUser, saveKeys, makeKeys, statusIn, statusOf, tradesThisMonth, until, venueUrlsOf } from './harness.ts';
import { PRO_FEATURES, planUser } from './plan-users.ts';
import { clobThroughProxy, useManagerStack } from './stack.ts';

const stack = useManagerStack({
  proxy: true,
  // The data API too, for the copy trader of the daily-loss case.
  urls: (sim, proxy) => ({ ...clobThroughProxy(sim, proxy), polymarketDataApi: venueUrlsOf(sim).polymarketDataApi }),
});
const managers = stack.managers;
const heartbeats: Array<{ pid: number; state: string; seen: number; placed: number }> = [];

const PRIVATE = /^(POST|GET|DELETE) \/(order|orders|cancel-all|cancel|auth\/|data\/|balance-allowance)/;

const manager = (id: string): Promise<RunningBotManager> =>
  stack.manager(id, {
    crashBackoffBaseMs: 100,
    walletPollIntervalMs: 300,
    ipcTap: (e) => {
      const msg = e.message as {
        type: string;
        stats?: { state: string; opportunitiesSeen: number; tradesPlaced: number };
      };
      if (msg.type === 'heartbeat' && msg.stats)
        heartbeats.push({
          pid: e.pid,
          state: msg.stats.state,
          seen: msg.stats.opportunitiesSeen,
          placed: msg.stats.tradesPlaced,
        });
    },
  });

const disable = (userId: string): Promise<unknown> =>
  stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${userId}`;

test('daily loss limit reached → no new positions, and the status says so (paper mode: no private endpoint called)', async () => {
  // A copy trader: its positions are single legs, marked at their bid. (An arbitrage basket's complete sets are worth
  // their locked payout whatever the bids, @polybot/schemas pnl.ts, so arbitrage alone never marks a daily loss.)
  // arb-rich's followed wallet buys Fed "No change" YES at 0.981 at once.
  const followedWallets = [{ address: '0x9fb96c5cf2027d0ce8e0e92fc30b52e81f001866', scale: 0.5, maxPerTradeUsd: 10 }];
  const u = {
    id: await planUser(stack.db, PRO_FEATURES, {
      config: {
        max_daily_loss_usd: 1,
        enable_copy_trading: true,
        enable_single_platform_arb: false,
        enable_cross_platform_arb: false,
        enable_overlapping_arb: false,
        enable_news_arbitrage: false,
        advanced_config: stack.db.sql.json({ newsRules: [], followedWallets }),
      },
    }),
  };
  await manager('m1');
  // The manager checks the keys with the venue (its private calls) before it forks the runner; the runner's come after.
  await until(
    async () =>
      (
        await stack.db
          .sql`select 1 from public.polybot_user_secrets where user_id = ${u.id} and validation_status <> 'pending'`
      ).length > 0,
    'keys checked',
  );
  const runnerRequestsFrom = stack.proxy.requests.length;
  await until(
    async () =>
      (await stack.db.sql`select 1 from public.polybot_positions where user_id = ${u.id} and status = 'open'`).length >
      0,
    'a position',
  );
  // Drop the bids of everything held to a cent: marked to market (best bid), the positions are now worth nothing.
  const held = await stack.db.sql<
    { instrument_id: string }[]
  >`select instrument_id from public.polybot_positions where user_id = ${u.id}`;
  for (const { instrument_id } of held) {
    const book = (await (await fetch(`${stack.sim.origin}/book?token_id=${instrument_id}`)).json()) as {
      bids: Array<{ price: string }>;
    };
    for (const b of book.bids) {
      await fetch(`${stack.sim.origin}/_sim/polymarket/set-level`, {
        method: 'POST',
        body: JSON.stringify({ tokenId: instrument_id, side: 'bid', price: Number(b.price), size: 0 }),
      });
    }
    // A bid is still there (no bid at all would leave the mark at the last bid seen: the mark rule).
    await fetch(`${stack.sim.origin}/_sim/polymarket/set-level`, {
      method: 'POST',
      body: JSON.stringify({ tokenId: instrument_id, side: 'bid', price: 0.01, size: 100 }),
    });
  }
  const s = await until(async () => {
    const st = await statusOf(stack.db.sql, u.id);
    return st.halt_reason && st.trading_halted_until ? st : null;
  }, 'halt in status');
  expect(String(s.halt_reason)).toMatch(/daily loss limit reached/);
  expect(s.halt_code).toBe('daily_loss_limit');
  const haltedUntil = new Date(String(s.trading_halted_until));
  expect(haltedUntil.getUTCHours()).toBe(0);
  expect(haltedUntil.getTime()).toBeGreaterThan(Date.now());
  const [{ n: before } = { n: 0 }] = await stack.db.sql<
    { n: number }[]
  >`select count(*)::int as n from public.polybot_trades where user_id = ${u.id}`;
  // Arbitrage keeps appearing on arb-rich (new books every tick); a halted runner must not act on any of it.
  const seenAtHalt = heartbeats.length;
  await until(() => heartbeats.length > seenAtHalt + 20, 'more heartbeats while halted');
  const [{ n: after } = { n: 0 }] = await stack.db.sql<
    { n: number }[]
  >`select count(*)::int as n from public.polybot_trades where user_id = ${u.id}`;
  expect(after).toBe(before);
  expect(stack.proxy.requests.slice(runnerRequestsFrom).filter((r) => PRIVATE.test(r))).toEqual([]);
  expect(stack.proxy.requests.length).toBeGreaterThan(0);
  await disable(u.id);
});

test('monthly limit, per order: one trade left and only multi-leg baskets → no half basket goes out: the runner is refused, no order, the last slot unspent; a second manager up runs no second runner', async () => {
  const u = await createUser(stack.db, { profile: { monthly_trade_limit: 5, trades_this_month: 4 } });
  // A second manager (before issue 15 both would run this user; the database's atomic limit was the only guard,
  // supabase/tests/trade-limit.test.ts). Now the user's shard has one owner: one runner between them.
  const m2 = await manager('m2');
  const m1 = managers[0];
  if (!m1) throw new Error('no first manager');
  // Read afresh on every check: recording the keys' validation may restart the runner once (new fingerprint).
  const currentPids = (): number[] =>
    [m1, m2].flatMap((m) =>
      m.manager
        .runners()
        .filter((r) => r.userId === u.id && !r.stopping)
        .map((r) => r.pid),
    );
  const refused = (pid: number): boolean =>
    heartbeats.some((h) => h.pid === pid && h.seen >= 1 && h.state === 'limit_reached');
  // The runner has met arbitrage, asked for its reservations, been refused, and kept running.
  const pids = await until(
    () => {
      const ps = currentPids();
      return ps.length === 1 && ps.every((pid) => refused(pid)) ? ps : null;
    },
    'the runner refused',
    90_000,
  );
  const mark = heartbeats.length;
  await until(
    () => pids.every((pid) => heartbeats.slice(mark).filter((h) => h.pid === pid).length >= 10),
    'the runner settled',
    90_000,
  );
  expect(currentPids()).toEqual(pids);
  expect(await stack.db.sql`select 1 from public.polybot_trades where user_id = ${u.id}`).toHaveLength(0);
  // Nothing reserved and nothing leaked: the one slot left is still there.
  expect(await tradesThisMonth(stack.db.sql, u.id)).toBe(4);
  await disable(u.id);
  await m2.stop();
});

test('monthly limit already reached → no order, and the status says why', async () => {
  const u = await createUser(stack.db, { profile: { monthly_trade_limit: 3, trades_this_month: 3 } });
  const s = await statusIn(stack.db.sql, u.id, 'limit_reached', 'limit_reached in status', 90_000);
  expect(String(s.halt_reason)).toMatch(/monthly trade limit reached/);
  expect(s.halt_code).toBe('monthly_limit_reached');
  expect(await stack.db.sql`select 1 from public.polybot_trades where user_id = ${u.id}`).toHaveLength(0);
  await disable(u.id);
});

test('max open positions reached → the status row says so, with the code, counting only positions really open', async () => {
  const u = await createUser(stack.db, { config: { max_open_positions: 2 } });
  // Two positions really open; one 'open' row that holds nothing and one closed: neither counts.
  const row = (instrument: string, status: string, size: number) => ({
    user_id: u.id,
    platform: 'polymarket',
    market_id: `m-${instrument}`,
    instrument_id: instrument,
    mode: 'paper',
    status,
    size,
    avg_price: 0.4,
    cost_basis_usd: size * 0.4,
  });
  const rows = [row('held-1', 'open', 10), row('held-2', 'open', 5), row('empty', 'open', 0), row('sold', 'closed', 0)];
  await stack.db.sql`insert into public.polybot_positions ${stack.db.sql(rows)}`;
  await manager('m1');
  const s = await until(async () => {
    const st = await statusOf(stack.db.sql, u.id);
    return st.halt_code === 'max_positions_reached' ? st : null;
  }, 'max positions in status');
  expect(s.state).toBe('running');
  expect(s.halt_reason).toBe('max open positions reached (2 of 2): no new positions');
  expect((s.stats as { open_positions?: number }).open_positions).toBe(2);
  // Blocked, not broken: arbitrage keeps appearing on arb-rich and none of it is taken.
  expect(await stack.db.sql`select 1 from public.polybot_trades where user_id = ${u.id}`).toHaveLength(0);
  await disable(u.id);
});

test('live trading only with all three: dry_run off, validated live keys, a plan that allows it', async () => {
  const liveProfile = { live_trading_allowed: true };
  const mk = async (o: { dryRun: boolean; plan: boolean; validated: boolean }): Promise<string> => {
    const u = await createUser(stack.db, { config: { dry_run: o.dryRun }, profile: o.plan ? liveProfile : {} });
    await saveKeys(stack.db.sql, u.id, makeKeys(), false);
    if (o.validated) await setSecretValidation(stack.db.sql, u.id, 'polymarket', false, 'valid', null);
    return u.id;
  };
  const all = await mk({ dryRun: false, plan: true, validated: true });
  const dry = await mk({ dryRun: true, plan: true, validated: true });
  const noPlan = await mk({ dryRun: false, plan: false, validated: true });
  const noValid = await mk({ dryRun: false, plan: true, validated: false });
  const modeOf = (id: string) =>
    until(
      async () => {
        const s = await statusOf(stack.db.sql, id);
        return s.state === 'running' || s.state === 'limit_reached'
          ? { mode: String(s.mode), reason: String((s.stats as { mode_reason?: string }).mode_reason) }
          : null;
      },
      `status of ${id}`,
      90_000,
    );
  expect(await modeOf(all)).toMatchObject({ mode: 'live' });
  expect(await modeOf(dry)).toEqual({ mode: 'paper', reason: 'dry run is on' });
  expect(await modeOf(noPlan)).toMatchObject({
    mode: 'paper',
    reason: expect.stringMatching(/plan does not allow live/) as unknown,
  });
  // Its keys (API credentials the venue never issued) were rejected when the manager checked them.
  expect(await modeOf(noValid)).toMatchObject({
    mode: 'paper',
    reason: expect.stringMatching(/^no validated live Polymarket keys/) as unknown,
  });
});
