// The manager as a real process (the CLI, configured by environment), all its output — and its runners', which
// inherit its stdout/stderr — captured: secrets never in argv, environment or logs (paper runners and a LIVE runner
// whose orders the venue also rejects); kill -9 of the manager leaves no runner behind; SIGTERM while a live order is
// in flight exits 0 with no children and every leg group booked whole or not at all.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import {
  alive,
  botOrderPosts,
  childrenOf,
  createUser,
  saveKeys,
  statusOf,
  until,
  venueUrlsOf,
  walletKeys,
  type TestDatabase,
  type TestKeys,
  type VenueSim,
  userVenue,
} from './harness.ts';
import { spawnManagerProcess, type ManagerProcess } from './manager-process.ts';
import { useManagerStack } from './stack.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
/** The counting proxy is in front of the simulator's CLOB for the manager and its runners: it records what the venue
 * sees and holds orders. */
const stack = useManagerStack({ proxy: true, setup: createUsers, timeoutMs: 180_000 });
/** Paper users (marker keys that look like real ones) and one live user (keys the simulator issued). */
const users: Array<{ id: string; keys: TestKeys }> = [];
let live: { id: string; keys: TestKeys };
const everyone = (): Array<{ id: string; keys: TestKeys }> => [...users, live];
const spawned: ChildProcess[] = [];
const isOrderPost = (method: string, path: string): boolean => method === 'POST' && path === '/order';

// arb-rich's BTC Up/Down market (asks 0.47 / 0.48 in the scenario).
const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';
const BTC_DOWN = '22943400237250229318795315882775337816951160275867284205243766113690886285726';
let planted = 0;
/** A fresh arbitrage at the venue: Up and Down asks below the scenario's, Up cheaper each time (a new opportunity). */
async function plantArb(): Promise<void> {
  planted++;
  for (const [tokenId, price] of [
    [BTC_UP, 0.4 - 0.01 * planted],
    [BTC_DOWN, 0.45],
  ] as const) {
    const res = await fetch(`${stack.sim.origin}/_sim/polymarket/set-level`, {
      method: 'POST',
      body: JSON.stringify({ tokenId, side: 'ask', price, size: 30 }),
    });
    expect(res.status).toBe(200);
  }
}
/** Plants arbitrage until the live runner has done what `cond` waits for (one opportunity may be taken by surprise). */
async function tradeUntil(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await plantArb();
    if (
      await until(cond, what, 5000).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  await until(cond, what, 1);
}

function startManagerProcess(): ManagerProcess {
  const m = spawnManagerProcess(['--import', 'tsx', MAIN], {
    databaseUrl: stack.managerUrl,
    venueUrls: { ...venueUrlsOf(stack.sim), polymarketClob: stack.proxy.origin },
    // Generous: the order held in flight is released only once the runner has been told to stop (slow machines).
    env: { LOG_LEVEL: 'debug', STOP_GRACE_MS: '20000' },
  });
  spawned.push(m.proc);
  return m;
}

/** The manager's children that are runners (a fresh runner bundle leaves esbuild's service process beside them). */
const runnersOf = (mpid: number): number[] =>
  childrenOf(mpid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('/.runner-bundle/');
    } catch {
      return false;
    }
  });

/** Every JSON log line of the output (the runners' included), parsed. */
const logLines = (output: string): Array<Record<string, unknown>> =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const runningAll = async (): Promise<void> => {
  await until(
    async () => {
      for (const u of everyone()) if ((await statusOf(stack.db.sql, u.id)).state !== 'running') return false;
      return true;
    },
    'all runners running',
    90_000,
  );
};

async function createUsers({ db, sim }: { db: TestDatabase; sim: VenueSim }): Promise<void> {
  for (let i = 0; i < 3; i++) users.push(await createUser(db));
  // Live: dry run off, a plan that allows it, live keys the venue issued (validated by the manager at start). A high
  // monthly limit: it must still be placing orders when the test wants one in flight.
  const keys = await walletKeys(sim);
  // Small orders, and no daily-loss halt from marking the test's planted baskets to market.
  const u = await createUser(db, {
    config: { dry_run: false, max_trade_size_usd: 10, max_daily_loss_usd: 100_000 },
    profile: { live_trading_allowed: true, monthly_trade_limit: 100_000, max_daily_loss_usd: 100_000 },
  });
  await saveKeys(db.sql, u.id, keys, false);
  live = { id: u.id, keys };
}

// Registered after the stack's: runs before it (after-hooks run in reverse), so the proxy is closed after this.
afterAll(() => {
  for (const p of spawned) if (p.exitCode === null && p.pid !== undefined) p.kill('SIGKILL');
  stack.proxy.release();
});

test('no secret in any runner /proc cmdline or environ, nor in any log line (paper and live, venue rejections included); SIGTERM with a live order in flight → exit 0, no children, every leg group booked whole or not at all', async () => {
  const m = startManagerProcess();
  const mpid = m.proc.pid ?? 0;
  await runningAll();
  expect((await statusOf(stack.db.sql, live.id)).mode).toBe('live');
  // Let them trade a little so execution and booking paths log too.
  await until(
    async () =>
      (await stack.db.sql`select count(*)::int as n from public.polybot_trades where mode = 'paper'`)[0]?.n > 0,
    'some paper trades',
  );

  // The venue rejects the live runner's next two orders: the rejection path (error from the venue, booked as
  // 'rejected') runs with the user's live credentials in hand, and must not spill them either.
  const fail = await fetch(`${stack.sim.origin}/_sim/polymarket/fail-next`, {
    method: 'POST',
    body: JSON.stringify({ method: 'POST', path: '/order', status: 400, when: 'before', count: 2 }),
  });
  expect(fail.status).toBe(200);
  await tradeUntil(
    () => botOrderPosts(stack.proxy).filter((p) => p.status === 400).length >= 2,
    'two live orders rejected by the venue',
  );
  await until(
    async () =>
      (await stack.db.sql`select 1 from public.polybot_trades where user_id = ${live.id} and status = 'rejected'`)
        .length > 0,
    'a rejected live order booked',
    60_000,
  );

  const runners = runnersOf(mpid);
  expect(runners.length).toBe(4);
  // Nothing but the runners: no idle helper process (esbuild's service stops once the bundle is built).
  const children = childrenOf(mpid);
  expect([...children].sort()).toEqual([...runners].sort());
  const markers = everyone().flatMap((u) => u.keys.markers);
  expect(markers.length).toBe(16);
  for (const pid of runners) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    // Precompiled and memory-capped: plain node on the bundle, no TypeScript loader, heap limits set.
    const argv = cmdline.split('\0');
    expect(argv.some((a) => /\/\.runner-bundle\/[0-9a-f]{64}\/main\.mjs$/.test(a))).toBe(true);
    expect(argv).not.toContain('tsx');
    expect(argv.some((a) => /^--max-old-space-size=\d+$/.test(a))).toBe(true);
    expect(argv.some((a) => /^--max-semi-space-size=\d+$/.test(a))).toBe(true);
    for (const marker of markers) {
      expect(cmdline).not.toContain(marker);
      expect(environ).not.toContain(marker);
    }
    // The database URL (a credential) is not handed to runners either.
    expect(environ).not.toContain(stack.db.url);
  }

  // Hold the live runner's next order before it reaches the venue, then SIGTERM the manager while it is in flight.
  stack.proxy.hold(isOrderPost);
  await tradeUntil(() => stack.proxy.held.length > 0, 'a live order in flight');
  m.proc.kill('SIGTERM');
  await until(
    () =>
      logLines(m.output()).some(
        (l) => l.userId === live.id && l.msg === 'stop requested: finishing the decision in flight',
      ),
    'the live runner told to stop while its order is in flight',
    60_000,
  );
  // The venue answers only now; the runner must book what it sent before it exits.
  stack.proxy.release();
  expect(await m.exited).toBe(0);
  for (const pid of children) expect(alive(pid)).toBe(false);

  const output = m.output();
  expect(output).toContain('runner started');
  for (const marker of markers) expect(output).not.toContain(marker);
  // Every line a runner wrote names its user.
  for (const line of output.split('\n').filter((l) => l.includes('"polybot-runner"')))
    expect(line).toMatch(/"userId":"[0-9a-f-]{36}"/);

  // Nothing half-booked. Each instrument's open position equals what its booked trades add up to ...
  const mismatches = await stack.db.sql`
    with t as (
      select user_id, instrument_id, sum(case when side = 'buy' then filled_size else -filled_size end) as net
        from public.polybot_trades group by user_id, instrument_id)
    select t.*, p.size from t full join public.polybot_positions p using (user_id, instrument_id)
     where coalesce(t.net, 0) <> coalesce(p.size, 0)`;
  expect(mismatches).toEqual([]);
  // ... every leg group was written by one transaction (all its legs and unwinds, or none) ...
  const split = await stack.db.sql`
    select user_id, leg_group_id from public.polybot_trades where leg_group_id is not null
     group by user_id, leg_group_id having count(distinct xmin::text) > 1`;
  expect(split).toEqual([]);
  // ... and every order the venue received is booked: the held one, the rejected ones, all of them, once.
  const liveRows = await stack.db.sql<{ venue_order_id: string | null; filled_size: string; mode: string }[]>`
    select venue_order_id, filled_size::text, mode from public.polybot_trades where user_id = ${live.id}`;
  const posted = botOrderPosts(stack.proxy).length;
  expect(stack.proxy.held.length).toBeGreaterThan(0);
  expect(posted).toBeGreaterThanOrEqual(3);
  expect(liveRows).toHaveLength(posted);
  expect(new Set(liveRows.map((r) => r.mode))).toEqual(new Set(['live']));
  // What the venue filled for this wallet (asked with the user's own credentials, directly) is what was booked filled.
  const venue = await userVenue(stack.sim, live.keys);
  const filledAtVenue = new Set((await venue.fills()).map((f) => f.venueOrderId));
  expect(new Set(liveRows.filter((r) => Number(r.filled_size) > 0).map((r) => r.venue_order_id))).toEqual(
    filledAtVenue,
  );
  for (const u of everyone()) expect((await statusOf(stack.db.sql, u.id)).state).toBe('stopped');
});

test('kill -9 the manager → no runner process left after 3 s', async () => {
  const m = startManagerProcess();
  const mpid = m.proc.pid ?? 0;
  await until(() => runnersOf(mpid).length === 4, 'four runners forked', 90_000);
  await until(() => m.output().split('runner started').length - 1 >= 4, 'four runners started', 90_000);
  const children = runnersOf(mpid);
  m.proc.kill('SIGKILL');
  await m.exited;
  await until(() => children.every((pid) => !alive(pid)), 'runners gone after the manager died', 3000);
});
