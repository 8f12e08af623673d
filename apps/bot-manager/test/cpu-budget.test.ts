// The CPU budget per runner (SECURITY.md §7.2, manager/cpu-budget.ts), on real processes: a runner that burns CPU
// without end (test hook burnCpuFor) is first throttled, then stopped with halt code cpu_budget and words for its
// user, and stays stopped; another user's runner on the same manager runs on untouched. Small budget and window; every
// step waits for its event (an IPC message, a status row), never for time.
import { afterAll, expect, test } from 'vitest';
import type { IpcTap } from '../src/index.ts';
import { alive, createUser, heartbeats, statusIn, statusOf, until } from './harness.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack();
afterAll(() => Promise.allSettled(stack.managers.splice(0).map((m) => m.stop())));

test('a runner over its CPU budget is throttled, then stopped with cpu_budget; another user is unaffected', async () => {
  const { db } = stack;
  const calm = await createUser(db);
  const hog = await createUser(db, { config: { bot_enabled: false } });
  const toRunners: Array<{ userId: string; type: string }> = [];
  const tap: IpcTap = (e) => {
    if (e.direction === 'to') toRunners.push({ userId: e.userId, type: (e.message as { type: string }).type });
  };
  const m = await stack.manager('cpu-budget', {
    ipcTap: tap,
    testHooks: { burnCpuFor: [hog.id] },
    runnerCpuBudgetCores: 0.15,
    cpuWindowMs: 400,
    cpuThrottleMs: 400,
    cpuStopWindows: 3,
  });
  // The calm user's runner is up and past its start before the hog starts.
  await statusIn(db.sql, calm.id, 'running', 'calm runner running');
  await heartbeats(db.sql, calm.id, 3);
  const calmPid = m.manager.runners().find((r) => r.userId === calm.id)?.pid;
  expect(calmPid).toBeDefined();

  await db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${hog.id}`;
  const hogPid = (await until(() => m.manager.runners().find((r) => r.userId === hog.id), 'hog runner forked')).pid;
  await until(() => toRunners.some((t) => t.userId === hog.id && t.type === 'throttle'), 'hog throttled');
  const stopped = await until(async () => {
    const s = await statusOf(db.sql, hog.id);
    return s.halt_code === 'cpu_budget' ? s : null;
  }, 'hog stopped with cpu_budget');
  expect(stopped.state).toBe('stopped');
  expect(stopped.pid).toBeNull();
  expect(stopped.halt_reason).toMatch(/more computing time than its budget \(15% of a processor core\)/);
  await until(() => !alive(hogPid), 'hog runner gone');

  const metrics = await m.metrics.registry.getMetricsAsJSON();
  const value = (name: string) => metrics.find((x) => x.name === name)?.values[0]?.value ?? 0;
  expect(value('polybot_runner_cpu_throttles_total')).toBeGreaterThanOrEqual(1);
  expect(value('polybot_runner_cpu_stops_total')).toBe(1);
  expect(value('polybot_runner_cpu_seconds_total')).toBeGreaterThan(0);

  // It stays stopped: a reconcile (as the periodic pass runs) does not start it again while nothing changed.
  await m.manager.reconcileUser(hog.id);
  expect(m.manager.runners().some((r) => r.userId === hog.id)).toBe(false);
  expect((await statusOf(db.sql, hog.id)).halt_code).toBe('cpu_budget');

  // The calm user: same runner, never throttled, still heartbeating.
  await heartbeats(db.sql, calm.id, 2);
  expect(m.manager.runners().find((r) => r.userId === calm.id)?.pid).toBe(calmPid);
  expect(toRunners.some((t) => t.userId === calm.id && t.type === 'throttle')).toBe(false);
  expect((await statusOf(db.sql, calm.id)).state).toBe('running');
});
