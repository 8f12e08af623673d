// Two managers in one process on one database (ARCHITECTURE §7.9): the shards split between them by rendezvous, each
// user's bot runs in exactly one of them at every moment (sampled throughout, handovers included), the status row
// names the manager that runs it, and a manager that stops (drain) hands its users to the other at once.
// The multi-process failover tests (kill -9, SIGSTOP, cut connections, scaling) are in test/cluster/.
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

test('two managers: every user runs in exactly one of them; one stops → the other runs everyone', async () => {
  const { db } = stack;
  const users: string[] = [];
  for (let i = 0; i < USERS; i++) users.push((await createUser(db)).id);

  const a = await stack.manager('coord-a');
  // Alone: all 64 shards right after the join, so every user runs here from the first reconcile.
  const first = await healthOf(a);
  expect(first.status).toBe(200);
  expect(first.lease).toMatchObject({ managerId: 'coord-a', shards: 64, fenced: false });
  expect(first.lease.token).not.toBeNull();
  await until(() => runnersOf(a).size === USERS, 'every user running on coord-a');

  // From here on, sample both managers all the time: a user's runner in both at once fails the test.
  const doubles: string[] = [];
  let b: RunningBotManager | null = null;
  const sampler = setInterval(() => {
    if (!b) return;
    const inA = runnersOf(a);
    for (const u of runnersOf(b)) if (inA.has(u)) doubles.push(u);
  }, 20);
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
    clearInterval(sampler);
  }
  expect(doubles).toEqual([]);
  const text = await (await fetch(`http://127.0.0.1:${b.httpPort}/metrics`)).text();
  expect(text).toMatch(/polybot_lease_shards_owned 64/);
  expect(text).toMatch(/polybot_lease_shard_moves_total\{direction="acquired"\} 64/);
  expect(text).toMatch(/polybot_lease_renewals_total\{result="ok"\} [1-9]/);
});
