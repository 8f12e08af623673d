// Two managers in one process on one database (ARCHITECTURE §7.9): the shards split between them by rendezvous, each
// user's bot runs in exactly one of them at every moment (sampled throughout, handovers included), the status row
// names the manager that runs it, and a manager that stops (drain) hands its users to the other at once.
// A manager cut off from the database fences itself (its runners stop, /healthz 503) before the other takes its users
// over, and rejoins with a new token once it can. The multi-process failover tests are in test/cluster/.
import { afterAll, expect, test } from 'vitest';
import type { RunningBotManager } from '../src/index.ts';
import { createUser, statusOf, until } from './harness.ts';
import { useManagerStack } from './stack.ts';

const USERS = 12;
const stack = useManagerStack();
afterAll(async () => {
  await Promise.allSettled(stack.managers.splice(0).map((m) => m.stop()));
});

interface LeaseBlock {
  token: string | null;
  managerId: string;
  shards: number;
  expiresInMs: number;
  fenced: boolean;
}

async function healthOf(m: RunningBotManager): Promise<{ status: number; lease: LeaseBlock }> {
  const res = await fetch(`http://127.0.0.1:${m.httpPort}/healthz`);
  const body = (await res.json()) as { lease: LeaseBlock };
  return { status: res.status, lease: body.lease };
}

const runnersOf = (m: RunningBotManager) => new Set(m.manager.runners().map((r) => r.userId));
const users: string[] = [];
/** The manager that is left running at the end of the first test. */
let survivor: RunningBotManager | null = null;

/** Users with a runner that may trade (not told to stop) in `m`. */
const tradingIn = (m: RunningBotManager) =>
  new Set(
    m.manager
      .runners()
      .filter((r) => !r.stopping)
      .map((r) => r.userId),
  );

/**
 * Samples both managers every 20 ms: a user whose runner may trade in both at once is recorded. (A fenced manager's
 * runner still finishing its stop — cancel-all, exit — sends no order past its lease deadline, runner/lease-guard.ts;
 * a handover between live managers stops the runner completely before the shard is released.)
 */
function watchDoubles(x: () => RunningBotManager | null, y: () => RunningBotManager | null) {
  const doubles: string[] = [];
  const timer = setInterval(() => {
    const a = x();
    const b = y();
    if (!a || !b) return;
    const inA = tradingIn(a);
    for (const u of tradingIn(b)) if (inA.has(u)) doubles.push(`${u} at ${new Date().toISOString()}`);
  }, 20);
  return { doubles, stop: () => clearInterval(timer) };
}

test('two managers: every user runs in exactly one of them; one stops → the other runs everyone', async () => {
  const { db } = stack;
  for (let i = 0; i < USERS; i++) users.push((await createUser(db)).id);

  const a = await stack.manager('coord-a');
  // Alone: all 64 shards right after the join, so every user runs here from the first reconcile.
  const first = await healthOf(a);
  expect(first.status).toBe(200);
  expect(first.lease).toMatchObject({ managerId: 'coord-a', shards: 64, fenced: false });
  expect(first.lease.token).not.toBeNull();
  await until(() => runnersOf(a).size === USERS, 'every user running on coord-a');

  // From here on, sample both managers all the time: a user's runner in both at once fails the test.
  let b: RunningBotManager | null = null;
  const sampler = watchDoubles(
    () => a,
    () => b,
  );
  try {
    b = await stack.manager('coord-b');
    const bm = b;
    // The newcomer's shards move to it (coord-a releases them after stopping their users; coord-b takes them on the
    // NOTIFY), and nothing else moves.
    await until(async () => {
      const [ha, hb] = await Promise.all([healthOf(a), healthOf(bm)]);
      return ha.lease.shards > 0 && hb.lease.shards > 0 && ha.lease.shards + hb.lease.shards === 64;
    }, 'the shards split between coord-a and coord-b');
    await until(() => runnersOf(a).size + runnersOf(bm).size === USERS, 'every user running on one of them');
    const inA = runnersOf(a);
    const inB = runnersOf(bm);
    expect([...inA].filter((u) => inB.has(u))).toEqual([]);
    expect(new Set([...inA, ...inB]).size).toBe(USERS);
    // Each status row names the manager that runs the bot (its writes carry that manager's fencing token).
    for (const u of users)
      await until(
        async () => (await statusOf(db.sql, u)).manager_id === (inA.has(u) ? 'coord-a' : 'coord-b'),
        `status row of ${u} names its manager`,
      );

    // coord-a stops (SIGTERM's path: drain, stop runners, release everything): coord-b takes every shard at once.
    await a.stop();
    await until(async () => (await healthOf(bm)).lease.shards === 64, 'coord-b owns all 64 shards');
    await until(() => runnersOf(bm).size === USERS, 'every user running on coord-b');
  } finally {
    sampler.stop();
  }
  expect(sampler.doubles).toEqual([]);
  survivor = b;
  const text = await (await fetch(`http://127.0.0.1:${b.httpPort}/metrics`)).text();
  expect(text).toMatch(/polybot_lease_shards_owned 64/);
  expect(text).toMatch(/polybot_lease_shard_moves_total\{direction="acquired"\} 64/);
  expect(text).toMatch(/polybot_lease_renewals_total\{result="ok"\} [1-9]/);
});

test('a manager cut off from the database fences itself before the other takes its users, then rejoins', async () => {
  const b = survivor;
  if (!b) throw new Error('the first test left no manager running');
  const { db } = stack;
  const c = await stack.manager('coord-c');
  const app = 'polybot-bot-manager/coord-c';
  const sampler = watchDoubles(
    () => b,
    () => c,
  );
  try {
    await until(async () => (await healthOf(c)).lease.shards > 0 && (await healthOf(b)).lease.shards < 64, 'c joined');
    await until(() => runnersOf(b).size + runnersOf(c).size === USERS, 'every user running on one of them');
    const cUsers = runnersOf(c);
    const before = (await healthOf(c)).lease.token;
    // coord-c's logins are refused and its connections (pool and lease) terminated: it cannot renew.
    await db.superuser.unsafe(`
      create or replace function public.test_refuse_coord_c() returns event_trigger language plpgsql as $$
      begin
        if current_setting('application_name') = '${app}' then raise exception 'test: coord-c is cut off'; end if;
      end $$;
      create event trigger test_refuse_coord_c on login execute function public.test_refuse_coord_c();`);
    try {
      await db.superuser`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${app}`;
      // It fences itself at its deadline: every runner stops, /healthz says so.
      await until(async () => (await healthOf(c)).lease.fenced, 'coord-c fenced');
      expect((await healthOf(c)).status).toBe(503);
      await until(() => runnersOf(c).size === 0, "coord-c's runners stopped");
      // coord-b takes the shards over once coord-c's lease expired, and runs its users.
      await until(async () => (await healthOf(b)).lease.shards === 64, 'coord-b owns all 64 shards', 30_000);
      await until(() => [...cUsers].every((u) => runnersOf(b).has(u)), "coord-c's users running on coord-b");
    } finally {
      await db.superuser.unsafe(`drop event trigger if exists test_refuse_coord_c`);
    }
    // Let in again: coord-c rejoins with a new token and gets its shards back.
    await until(
      async () => {
        const h = await healthOf(c);
        return h.status === 200 && h.lease.shards > 0 && h.lease.token !== before && h.lease.token !== null;
      },
      'coord-c rejoined with a new token',
      30_000,
    );
    await until(() => runnersOf(b).size + runnersOf(c).size === USERS && runnersOf(c).size > 0, 'users split again');
  } finally {
    sampler.stop();
  }
  expect(sampler.doubles).toEqual([]);
  const text = await (await fetch(`http://127.0.0.1:${b.httpPort}/metrics`)).text();
  expect(text).toMatch(/polybot_lease_failovers_total [1-9]/);
  const cText = await (await fetch(`http://127.0.0.1:${c.httpPort}/metrics`)).text();
  expect(cText).toMatch(/polybot_lease_losses_total [1-9]/);
});
