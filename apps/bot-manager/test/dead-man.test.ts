// Dead-man switches at the runner level, real manager, real runners, clob-client-v2 against the simulator. A live
// Polymarket account whose resting GTC orders were placed by hand (the user's own, with the user's key, as a user
// would): while its runner lives, it heartbeats the venue and the orders stay; kill -9 of the runner → the heartbeats
// stop and the venue cancels them (reason heartbeat_timeout); SIGTERM of the runner, the user's suspension, a key
// change (the manager restarts the runner through stop) → the runner cancels them itself (cancel-all, reason
// cancel_all) before it exits; so does a runner whose manager was kill -9ed (its IPC channel closed).
import { fileURLToPath } from 'node:url';
import type { PolymarketTrading } from '@polybot/venues';
import { polymarketOrders, setPolymarketHeartbeatTimeout } from '@polybot/local-stack/testing';
import type { RunningBotManager } from '../src/index.ts';
import { beforeAll, expect, test } from 'vitest';
import {
  alive,
  childrenOf,
  createUser,
  makeKeys,
  saveKeys,
  statusOf,
  until,
  venueUrlsOf,
  walletKeys,
  type TestKeys,
  userVenue,
} from './harness.ts';
import { spawnManagerProcess } from './manager-process.ts';
import { useManagerStack } from './stack.ts';

const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';

const stack = useManagerStack();
let mgr: RunningBotManager;

beforeAll(async () => {
  // Short enough for a test, long enough that beats every 200 ms never miss it on a loaded machine.
  await setPolymarketHeartbeatTimeout(stack.sim.origin, 3_000);
  // A killed runner is not restarted during the test (a new runner would heartbeat the account again).
  mgr = await stack.manager('dead-man', { venueHeartbeatMs: 200, crashBackoffBaseMs: 600_000 });
});

interface LiveUser {
  id: string;
  keys: TestKeys;
  venue: PolymarketTrading;
}

async function liveUser(before?: (venue: PolymarketTrading, keys: TestKeys) => Promise<void>): Promise<LiveUser> {
  const keys = await walletKeys(stack.sim);
  const venue = await userVenue(stack.sim, keys);
  // Whatever the account holds before PolyBot knows the user (the key is saved below).
  if (before) await before(venue, keys);
  const u = await createUser(stack.db, {
    config: { dry_run: false },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
  });
  await saveKeys(stack.db.sql, u.id, keys, false);
  return { id: u.id, keys, venue };
}

const pidOf = (userId: string): number | undefined => mgr.manager.runners().find((r) => r.userId === userId)?.pid;

/** The user's runner trades live and has heartbeated the venue: its pid. */
async function heartbeating(u: LiveUser): Promise<number> {
  await until(
    async () => {
      const s = await statusOf(stack.db.sql, u.id);
      return s.state === 'running' && s.mode === 'live';
    },
    'live runner running in live mode',
    90_000,
  );
  await until(
    async () => (await polymarketOrders(stack.sim.origin, u.venue.address)).heartbeats >= 2,
    'the runner heartbeats the venue',
    30_000,
  );
  const pid = pidOf(u.id);
  if (pid === undefined) throw new Error('no runner');
  return pid;
}

/** Two GTC buys far below the ask, placed with the user's own key: they rest on the account. */
async function restingOrders(u: Pick<LiveUser, 'venue'>, tag: string = u.venue.address): Promise<string[]> {
  const ids: string[] = [];
  for (const n of [1, 2]) {
    const r = await u.venue.placeOrder({
      venue: 'polymarket',
      instrumentId: BTC_UP,
      side: 'buy',
      limitPrice: 0.1 + n / 100,
      size: 10,
      orderType: 'GTC',
      clientOrderId: `own-gtc-${tag.slice(-8)}-${n}`,
    });
    expect(r.status).toBe('resting');
    ids.push(r.venueOrderId ?? '');
  }
  return ids;
}

async function reasonsOf(u: LiveUser, ids: string[]): Promise<Array<string | null>> {
  const { orders } = await polymarketOrders(stack.sim.origin, u.venue.address);
  return ids.map((id) => {
    const o = orders.find((x) => x.id === id);
    return o?.status === 'CANCELED' ? o.cancelReason : null;
  });
}

test('orders resting on the account before the bot goes live (orphans) are cancelled before its first heartbeat', async () => {
  let ids: string[] = [];
  const u = await liveUser(async (venue) => {
    ids = await restingOrders({ venue });
  });
  await heartbeating(u);
  // Heartbeats start only after the sweep: by now the orphans are cancelled, by cancel-all (not the venue's switch).
  expect(await reasonsOf(u, ids)).toEqual(['cancel_all', 'cancel_all']);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
});

test('kill -9 of a live runner → its heartbeats stop and the venue cancels the account’s resting orders', async () => {
  const u = await liveUser();
  const pid = await heartbeating(u);
  const ids = await restingOrders(u);
  // While the runner heartbeats, the orders stay (several beats later they are still there).
  const beats = (await polymarketOrders(stack.sim.origin, u.venue.address)).heartbeats;
  await until(
    async () => (await polymarketOrders(stack.sim.origin, u.venue.address)).heartbeats >= beats + 5,
    'more heartbeats',
    30_000,
  );
  expect(await reasonsOf(u, ids)).toEqual([null, null]);

  process.kill(pid, 'SIGKILL');
  await until(() => !alive(pid), 'runner gone', 10_000);
  const reasons = await until(
    async () => {
      const r = await reasonsOf(u, ids);
      return r.every((x) => x !== null) ? r : null;
    },
    'the venue cancelled the resting orders',
    30_000,
  );
  expect(reasons).toEqual(['heartbeat_timeout', 'heartbeat_timeout']);
});

test('SIGTERM of a live runner → cancel-all, then exit', async () => {
  const u = await liveUser();
  const pid = await heartbeating(u);
  const ids = await restingOrders(u);
  process.kill(pid, 'SIGTERM');
  await until(() => !alive(pid), 'runner exited', 20_000);
  // Already cancelled when it exited, by its cancel-all (the venue's own switch would say heartbeat_timeout, later).
  expect(await reasonsOf(u, ids)).toEqual(['cancel_all', 'cancel_all']);
});

test('suspending the user (admin_suspend_user) → the runner cancels the resting orders, then exits', async () => {
  const u = await liveUser();
  const pid = await heartbeating(u);
  const ids = await restingOrders(u);
  await stack.db.sql`select public.admin_suspend_user(${u.id}, 'dead-man test')`;
  await until(() => !alive(pid), 'runner exited', 20_000);
  expect(await reasonsOf(u, ids)).toEqual(['cancel_all', 'cancel_all']);
  await until(async () => (await statusOf(stack.db.sql, u.id)).state === 'suspended', 'status suspended', 20_000);
});

test('a key change restarts the runner through stop: the old runner cancels the resting orders before it exits', async () => {
  const u = await liveUser();
  const pid = await heartbeating(u);
  const ids = await restingOrders(u);
  // A paper key saved beside the live one changes the keys fingerprint: the manager restarts the runner.
  await saveKeys(stack.db.sql, u.id, makeKeys(), true);
  await until(() => !alive(pid), 'old runner exited', 20_000);
  expect(await reasonsOf(u, ids)).toEqual(['cancel_all', 'cancel_all']);
  await until(() => (pidOf(u.id) ?? pid) !== pid, 'a new runner', 30_000);
});

test('kill -9 of the manager → its live runner cancels the resting orders (cancel-all), then exits', async () => {
  // This one runs under a manager process of its own (the in-process one stops first, so no user has two runners).
  await mgr.stop();
  // Its runners beat every 5 s (the default): the venue's documented 10 s timeout again.
  await setPolymarketHeartbeatTimeout(stack.sim.origin, 10_000);
  const u = await liveUser();
  const m = spawnManagerProcess(['--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))], {
    databaseUrl: stack.managerUrl,
    venueUrls: venueUrlsOf(stack.sim),
    env: {},
  });
  try {
    await until(
      async () => {
        const s = await statusOf(stack.db.sql, u.id);
        return s.state === 'running' && s.mode === 'live' && typeof s.pid === 'number' ? s.pid : null;
      },
      'live runner running under the manager process',
      90_000,
    );
    const ids = await restingOrders(u);
    const runners = childrenOf(m.proc.pid ?? 0);
    expect(runners.length).toBeGreaterThan(0);
    m.proc.kill('SIGKILL');
    await m.exited;
    await until(() => runners.every((pid) => !alive(pid)), 'runners gone after the manager died', 30_000);
    // The venue's own switch would fire seconds later and say heartbeat_timeout: the runner cancelled them itself.
    expect(await reasonsOf(u, ids)).toEqual(['cancel_all', 'cancel_all']);
  } finally {
    if (m.proc.exitCode === null && m.proc.signalCode === null) m.proc.kill('SIGKILL');
  }
});
