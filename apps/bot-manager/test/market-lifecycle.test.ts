// Market lifecycle end to end (issue 12 items 2 and 3, manager side): a real database, the venue simulator on the
// `quiet` scenario (no opportunity until a test lists one), one manager with a fast universe refresh, real runners.
// Markets are listed and resolved at run time through the simulator's controls, in the venue's own wire formats
// (Gamma listings and resolution fields, the market channel's new_market / market_resolved events).
import { expect, test } from 'vitest';
import type { RunningBotManager } from '../src/index.ts';
import { resolutionOf, settleDecidedMarket } from '../src/manager/settle-markets.ts';
import { createLogger } from '../src/shared/log.ts';
import { PolymarketTrading } from '@polybot/venues';
import { alive, createUser, statusOf, until, walletKeys } from './harness.ts';
import {
  listArbMarket,
  resolveMarket,
  settlementsOf,
  startQuietSim,
  tradesIn,
  type ListedMarket,
} from './market-lifecycle-world.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack({ sim: startQuietSim });
const sent: Array<{ pid: number; type: string; text: string }> = [];
let mgr: RunningBotManager;

const startManager = async (id: string): Promise<RunningBotManager> =>
  stack.manager(id, {
    marketRefreshMs: 300,
    ipcTap: (e) => {
      if (e.direction !== 'to') return;
      const type = (e.message as { type: string }).type;
      if (type === 'instruments' || type === 'positionsSettled')
        sent.push({ pid: e.pid, type, text: JSON.stringify(e.message) });
    },
  });

const pidOf = (userId: string): number | undefined => mgr.manager.runners().find((r) => r.userId === userId)?.pid;

const runningPid = (userId: string): Promise<number> =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, userId);
      const pid = pidOf(userId);
      return s.state === 'running' && pid !== undefined && s.pid === pid ? pid : null;
    },
    `runner of ${userId} running`,
    60_000,
  );

const traded = (userId: string, m: ListedMarket, what: string): Promise<unknown> =>
  until(async () => (await tradesIn(stack.db.sql, userId, m.conditionId)).length >= 2, what, 60_000);

test('a market listed after start is traded without a restart; once it resolves it is settled and never ordered again; max open positions blocks and frees up', async () => {
  // max_open_positions 2: one arbitrage (YES + NO) fills it.
  const u = await createUser(stack.db, { config: { max_open_positions: 2, max_trade_size_usd: 50 } });
  mgr = await startManager('lc1');
  const pid = await runningPid(u.id);
  // Nothing to trade on `quiet` until a market is listed.
  const a = await listArbMarket(stack.sim, 'alpha');
  await traded(u.id, a, 'the market listed after start traded');
  expect(pidOf(u.id)).toBe(pid);
  expect(sent.some((s) => s.pid === pid && s.type === 'instruments' && s.text.includes(a.yes))).toBe(true);

  // A second arbitrage needs two more positions: blocked, and the status row says so.
  const b = await listArbMarket(stack.sim, 'beta');
  const blocked = await until(async () => {
    const s = await statusOf(stack.db.sql, u.id);
    return s.halt_code === 'max_positions_reached' ? s : null;
  }, 'blocked by max open positions');
  expect(blocked.state).toBe('running');
  expect(await tradesIn(stack.db.sql, u.id, b.conditionId)).toHaveLength(0);

  // The first market resolves: its positions settle, the cap frees up, the bot trades the second market.
  await resolveMarket(stack.sim, a.conditionId, 'Yes');
  const settled = await until(async () => {
    const rows = await settlementsOf(stack.db.sql, a.conditionId);
    return rows.length === 2 ? rows : null;
  }, 'both positions of the resolved market settled');
  expect(new Set(settled.map((r) => r.instrument_id))).toEqual(new Set([a.yes, a.no]));
  await traded(u.id, b, 'the bot trades again once the settled positions no longer count');
  expect(pidOf(u.id)).toBe(pid);
  expect(alive(pid)).toBe(true);
  // The runner was told in place: the resolved market's instruments removed, its positions settled.
  expect(
    sent.some((s) => s.pid === pid && s.type === 'instruments' && JSON.parse(s.text).removed.includes(a.yes)),
  ).toBe(true);
  expect(sent.some((s) => s.pid === pid && s.type === 'positionsSettled' && s.text.includes(a.no))).toBe(true);
  // The hub followed: the venue's book subscriptions of the resolved market are dropped, the new one's are held.
  const subscriptions = async (): Promise<Record<string, number>> =>
    (
      (await (await fetch(`${stack.sim.origin}/_sim/stats`)).json()) as {
        venues: { polymarket: { subscriptions: Record<string, number> } };
      }
    ).venues.polymarket.subscriptions;
  await until(async () => ((await subscriptions())[a.yes] ?? 0) === 0, 'resolved market unsubscribed at the venue');
  expect((await subscriptions())[b.yes]).toBeGreaterThanOrEqual(1);

  // Never ordered after the resolution was settled (its books and baskets are gone, the order path refuses it).
  const cutoff = Math.min(...settled.map((r) => r.settled_at.getTime()));
  const later = await listArbMarket(stack.sim, 'gamma');
  await resolveMarket(stack.sim, b.conditionId, 'No');
  await until(async () => (await settlementsOf(stack.db.sql, b.conditionId)).length === 2, 'second market settled');
  await traded(u.id, later, 'a third market, listed after both, traded (the runner kept going)');
  expect((await tradesIn(stack.db.sql, u.id, a.conditionId)).filter((t) => t.created_at.getTime() > cutoff)).toEqual(
    [],
  );
  expect(await tradesIn(stack.db.sql, u.id, a.conditionId)).toHaveLength(2);
});

test('settlement replayed (the same event again, from another source, after a manager restart) settles once', async () => {
  const u = await createUser(stack.db, { config: { max_open_positions: 10, max_trade_size_usd: 50 } });
  const c = await listArbMarket(stack.sim, 'delta');
  await traded(u.id, c, 'traded');
  await resolveMarket(stack.sim, c.conditionId, 'No');
  const first = await until(async () => {
    const rows = await settlementsOf(stack.db.sql, c.conditionId);
    return rows.length === 2 ? rows : null;
  }, 'settled');
  // The same resolution, read from the venue again and handed to the settlement step directly: nothing settles.
  const decided = {
    platform: 'polymarket' as const,
    marketId: c.conditionId,
    state: {
      conditionId: c.conditionId,
      closed: true,
      resolved: true,
      tokens: [c.yes, c.no],
      outcomes: ['Yes', 'No'],
      outcomePrices: [0, 1],
      umaResolutionStatus: 'resolved',
    },
  };
  expect(resolutionOf(decided).payouts).toEqual({ [c.yes]: 0, [c.no]: 1 });
  const ctx = {
    sql: stack.managerSql,
    log: createLogger('replay', 'warn'),
    manager: { positionsSettled: () => undefined },
  };
  expect(await settleDecidedMarket(ctx, decided)).toEqual([]);
  expect(await settleDecidedMarket(ctx, decided)).toEqual([]);
  // A restarted manager sees the market again (no longer listed) and settles nothing more.
  await mgr.stop();
  mgr = await startManager('lc2');
  await until(() => mgr.lifecycle.stats.ticks >= 2, 'two lifecycle ticks after the restart');
  expect(await settlementsOf(stack.db.sql, c.conditionId)).toEqual(first);
});

test('live Polymarket: a resolved market is settled, the winnings recorded redeemable with their amount, and the venue saw no order on it after the resolution', async () => {
  const keys = await walletKeys(stack.sim);
  const address = (
    await PolymarketTrading.connect({ clobUrl: stack.urls.polymarketClob, privateKey: `0x${keys.privateKey}` })
  ).address;
  const u = await createUser(stack.db, {
    config: { dry_run: false, max_open_positions: 10, max_trade_size_usd: 50 },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
    keys,
    isPaper: false,
  });
  await until(async () => (await statusOf(stack.db.sql, u.id)).mode === 'live', 'live runner', 60_000);
  const m = await listArbMarket(stack.sim, 'live');
  await traded(u.id, m, 'traded live');
  const statement = async (): Promise<{ fills: Array<{ conditionId: string; atMs: number }> }> =>
    (await (await fetch(`${stack.sim.origin}/_sim/polymarket/statement?address=${address}`)).json()) as {
      fills: Array<{ conditionId: string; atMs: number }>;
    };
  const filled = (await statement()).fills.filter((f) => f.conditionId === m.conditionId).length;
  expect(filled).toBeGreaterThanOrEqual(2);
  await resolveMarket(stack.sim, m.conditionId, 'Yes');
  const rows = await until(async () => {
    const r = await stack.db.sql<{ instrument_id: string; mode: string; redeem_status: string; payout_usd: number }[]>`
      select instrument_id, mode, redeem_status, payout_usd::float8 as payout_usd from public.polybot_settlements
       where user_id = ${u.id} and market_id = ${m.conditionId}`;
    return r.length === 2 ? r : null;
  }, 'live positions settled');
  const yes = rows.find((r) => r.instrument_id === m.yes);
  const no = rows.find((r) => r.instrument_id === m.no);
  expect(yes).toMatchObject({ mode: 'live', redeem_status: 'redeemable' });
  expect(yes?.payout_usd).toBeGreaterThan(0);
  expect(no).toMatchObject({ mode: 'live', redeem_status: 'not_applicable', payout_usd: 0 });
  // Another listing traded afterwards (the runner is alive and trading): still no order on the resolved market.
  const next = await listArbMarket(stack.sim, 'after');
  await traded(u.id, next, 'traded the next market live');
  expect((await statement()).fills.filter((f) => f.conditionId === m.conditionId)).toHaveLength(filled);
});
