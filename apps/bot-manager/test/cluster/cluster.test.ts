// Many managers, one database (issue 15): three real manager processes and 60 users (6 of them live on the Polymarket
// simulator), observed from outside — runner processes in /proc, the managers' 'runner forked' lines, status rows,
// lease rows and the venue's per-key request log attributed to processes. Each test starts from three converged
// managers and leaves three converged managers behind (the scale test last). Throughout, no user ever has two runners
// alive at once, nor two runners sending with its key at overlapping times.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { until } from '../harness.ts';
import { startClusterStack, type ClusterStack } from './cluster-stack.ts';
import { loadOf, movesBetween, usersOf } from './moves.ts';
import { currentLease, leaseOf, procStat, zombieExitCode, type LeaseRow } from './observer.ts';
import { overlappingRunners, spansOf } from './overlap.ts';
import { LEASE_EXPIRED_EXIT_CODE } from '../../src/shared/ipc.ts';

const USERS = 60;
const LIVE = 6;
const THREE = ['m1', 'm2', 'm3'];
let stack: ClusterStack;
let stopPlanting = (): void => undefined;

beforeAll(async () => {
  stack = await startClusterStack({ users: USERS, live: LIVE });
  stack.observer.start(150);
  for (const id of THREE) stack.cluster.start(id);
  stopPlanting = stack.plantArbEvery(1500);
}, 300_000);

afterAll(async () => {
  stopPlanting();
  await stack?.close();
}, 60_000);

/** Nobody ever had two runners at once: not in any /proc sample, not in the venue's log of the live users' keys. */
function expectNeverTwoRunners(): void {
  expect(stack.observer.overlaps()).toEqual([]);
  expect(stack.venueOverlaps()).toEqual([]);
  expect(stack.observer.unattributed()).toEqual([]);
}

/**
 * Each test starts from the three managers: one that exited (a failed test before, e.g. a manager that crashed) is
 * started again, and said so — this test then checks from a clean start, the earlier failure stands on its own.
 */
async function threeManagers(): Promise<Map<string, string>> {
  for (const id of THREE) {
    const m = stack.cluster.managers.get(id);
    if (!m || m.exited) {
      console.log(`manager ${id} had exited (see the test before): started again`);
      stack.cluster.start(id);
    }
  }
  return stack.converge(THREE);
}

/** The live runners of manager `id` now (pids). */
function runnersOf(id: string): number[] {
  return stack.observer
    .alive()
    .filter((r) => r.fork?.managerId === id)
    .map((r) => r.pid);
}

/** Each user `moved` now runs on a runner forked only after `lease` (the previous owner's) had expired in the DB. */
function expectTakenOverAfterExpiry(moved: string[], lease: LeaseRow): void {
  const alive = stack.observer.alive();
  for (const u of moved) {
    const r = alive.find((x) => x.fork?.userId === u);
    expect(r?.fork?.atMs, `user ${u}'s new runner forked after the old lease expired`).toBeGreaterThan(
      lease.expiresAt.getTime(),
    );
  }
}

test('three managers and 60 users: each user has exactly one runner — processes, status rows, the venue per-key log', async () => {
  const first = await stack.converge(THREE);
  const load = loadOf(first);
  console.log(`users per manager: ${JSON.stringify(load)}`);
  expect(Object.keys(load).sort()).toEqual(THREE);

  // Sampled repeatedly over a while (≥ 40 /proc samples, and the live users' keys active at the venue): the same
  // single runner per user, on the manager its status row names.
  const from = stack.observer.samples;
  const requestsBefore = stack.runnerRequests().length;
  while (stack.observer.samples < from + 40 || stack.runnerRequests().length <= requestsBefore + 2 * LIVE) {
    const seen = stack.observer.samples;
    await until(() => stack.observer.samples > seen, 'the next /proc sample');
    expect(await stack.converge(THREE, 60_000)).toEqual(first);
  }
  const posts = stack.runnerRequests().filter((r) => r.method === 'POST' && r.path === '/order');
  console.log(
    `venue log: ${stack.runnerRequests().length} keyed requests from live runners, ${posts.length} orders, from ${new Set(posts.map((p) => p.userId)).size} users`,
  );
  expectNeverTwoRunners();

  // Negative control: the same venue log with a second runner of one live user sending inside the first one's span is
  // reported (the check above can fail).
  const log = stack.runnerRequests().map((r) => ({ userId: r.userId, runner: String(r.pid), atMs: r.atMs }));
  const busiest = spansOf(log).sort((a, b) => b.to - b.from - (a.to - a.from))[0];
  if (!busiest || busiest.to <= busiest.from) throw new Error('no live runner sent two requests');
  const doubled = [...log, { userId: busiest.userId, runner: 'another-runner', atMs: (busiest.from + busiest.to) / 2 }];
  expect(overlappingRunners(spansOf(doubled))).toHaveLength(1);
  // ... and so is a /proc sample in which a second runner of one user was alive.
  const spans = stack.observer.spans();
  const s = spans[0];
  if (!s) throw new Error('no runner spans');
  expect(overlappingRunners([...spans, { ...s, runner: 'another-pid' }])).toHaveLength(1);
}, 600_000);

test('kill -9 one manager: its users run on the survivors once its lease expired, never two at once; it comes back and gets them back', async () => {
  const before = await threeManagers();
  const victim = 'm1';
  const lease = await currentLease(stack.db.superuser, victim);
  if (!lease) throw new Error(`no lease row for ${victim}`);
  const moved = usersOf(before, victim);
  expect(moved.length).toBeGreaterThan(0);

  const t0 = Date.now();
  await stack.cluster.kill9(victim);
  const after = await stack.converge(['m2', 'm3']);
  console.log(`kill -9 ${victim}: ${moved.length} users running elsewhere after ${Date.now() - t0} ms`);
  // Only its users moved.
  expect(
    movesBetween(before, after)
      .map((m) => m.userId)
      .sort(),
  ).toEqual([...moved].sort());
  const final = await leaseOf(stack.db.superuser, lease.token);
  if (!final) throw new Error('the dead manager’s lease row vanished');
  expectTakenOverAfterExpiry(moved, final);
  expectNeverTwoRunners();

  stack.cluster.start(victim);
  expect(await stack.converge(THREE)).toEqual(before);
  expectNeverTwoRunners();
}, 600_000);

test('SIGSTOP one manager: its runners stop by themselves (exit 75), nobody takes its users before its lease expired; after SIGCONT it rejoins (new token) and gets them back', async () => {
  const before = await threeManagers();
  const victim = 'm2';
  const lease = await currentLease(stack.db.superuser, victim);
  if (!lease) throw new Error(`no lease row for ${victim}`);
  const runners = runnersOf(victim);
  const moved = usersOf(before, victim);
  expect(runners.length).toBe(moved.length);

  stack.cluster.freeze(victim);
  try {
    // Its runners exit on their own lease deadline; the frozen manager cannot reap them, so their exit codes stay
    // readable in /proc.
    await until(
      () => runners.every((pid) => procStat(pid)?.state === 'Z'),
      'the frozen manager’s runners exited',
      60_000,
    );
    expect(runners.map((pid) => zombieExitCode(pid))).toEqual(runners.map(() => LEASE_EXPIRED_EXIT_CODE));

    const during = await stack.converge(['m1', 'm3']);
    expect(
      movesBetween(before, during)
        .map((m) => m.userId)
        .sort(),
    ).toEqual([...moved].sort());
    const final = await leaseOf(stack.db.superuser, lease.token);
    if (!final) throw new Error('the frozen manager’s lease row vanished');
    expectTakenOverAfterExpiry(moved, final);
    expectNeverTwoRunners();
  } finally {
    stack.cluster.thaw(victim);
  }
  expect(await stack.converge(THREE)).toEqual(before);
  expect((await currentLease(stack.db.superuser, victim))?.token).not.toBe(lease.token);
  expectNeverTwoRunners();
}, 600_000);

test('cut one manager off the database (connections terminated, logins refused): same as frozen; let it back in and it rejoins', async () => {
  const before = await threeManagers();
  const victim = 'm3';
  const lease = await currentLease(stack.db.superuser, victim);
  if (!lease) throw new Error(`no lease row for ${victim}`);
  const runners = runnersOf(victim);
  const moved = usersOf(before, victim);
  expect(runners.length).toBe(moved.length);

  // Its connections carry its application_name (pool, LISTEN, lease): there are some to cut.
  try {
    expect(await stack.refusal.cut(victim)).toBeGreaterThan(0);
    await until(
      () => runners.every((pid) => !procStat(pid) || procStat(pid)?.state === 'Z'),
      'its runners stopped',
      60_000,
    );
    const during = await stack.converge(['m1', 'm2']);
    expect(
      movesBetween(before, during)
        .map((m) => m.userId)
        .sort(),
    ).toEqual([...moved].sort());
    const final = await leaseOf(stack.db.superuser, lease.token);
    if (!final) throw new Error('the cut-off manager’s lease row vanished');
    expectTakenOverAfterExpiry(moved, final);
    // Still cut off: it runs nothing and holds no connection.
    expect(runnersOf(victim)).toEqual([]);
    await until(async () => (await stack.refusal.connections(victim)) === 0, 'no connection of the cut-off manager');
    expectNeverTwoRunners();
  } finally {
    await stack.refusal.restore(victim);
  }
  expect(await stack.converge(THREE)).toEqual(before);
  expect((await currentLease(stack.db.superuser, victim))?.token).not.toBe(lease.token);
  expectNeverTwoRunners();
}, 600_000);

test('scale 3 → 4 → 2: only the users that must move do (to the joiner, from the leavers), each still on exactly one runner', async () => {
  const three = await threeManagers();

  stack.cluster.start('m4');
  const four = await stack.converge([...THREE, 'm4']);
  const joined = movesBetween(three, four);
  // Rendezvous hashing: a join takes users only for the joiner, nobody moves between the old managers.
  for (const m of joined) expect(m.to).toBe('m4');
  // The ideal is a quarter of the users; 60 users hashed over 64 shards spread binomially (±3.4 around 15), so the
  // bound leaves room for that spread, not for extra moves (those are excluded exactly just above).
  console.log(`3 → 4: ${joined.length} users moved (ideal ${USERS / 4}); load ${JSON.stringify(loadOf(four))}`);
  expect(joined.length).toBeGreaterThan(0);
  expect(joined.length).toBeLessThanOrEqual(2 * (USERS / 4));

  // Two leave at once, gracefully (SIGTERM: drain, hand over).
  const codes = await Promise.all([stack.cluster.drain('m1'), stack.cluster.drain('m2')]);
  expect(codes).toEqual([0, 0]);
  const two = await stack.converge(['m3', 'm4']);
  const left = movesBetween(four, two);
  console.log(`4 → 2: ${left.length} users moved (ideal ${USERS / 2}); load ${JSON.stringify(loadOf(two))}`);
  // Exactly the leavers' users moved, nobody else.
  expect(left.map((m) => m.userId).sort()).toEqual([...usersOf(four, 'm1'), ...usersOf(four, 'm2')].sort());
  expectNeverTwoRunners();
}, 600_000);
