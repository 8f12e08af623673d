// The manager killed (SIGKILL) in the middle of settling a resolved market: after a restart every position of that
// market is settled exactly once. The settlement is held mid-way deterministically: a test transaction locks the
// market's position rows, so the manager's settle_market waits on them (seen in pg_stat_activity) when it is killed.
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { alive, createUser, statusOf, until, venueUrlsOf } from './harness.ts';
import { spawnManagerProcess, type ManagerProcess } from './manager-process.ts';
import { listArbMarket, resolveMarket, settlementsOf, startQuietSim, tradesIn } from './market-lifecycle-world.ts';
import { useManagerStack } from './stack.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const stack = useManagerStack({ sim: startQuietSim });
const spawned: ManagerProcess[] = [];

afterAll(async () => {
  for (const m of spawned) if (m.proc.exitCode === null && m.proc.signalCode === null) m.proc.kill('SIGKILL');
  await Promise.all(spawned.map((m) => m.exited));
});

function startManagerProcess(): ManagerProcess {
  const m = spawnManagerProcess(['--import', 'tsx', MAIN], {
    databaseUrl: stack.managerUrl,
    venueUrls: venueUrlsOf(stack.sim),
    env: { LOG_LEVEL: 'warn', MARKET_REFRESH_MS: '300' },
  });
  spawned.push(m);
  return m;
}

const openPositions = async (marketId: string): Promise<number> => {
  const [row] = await stack.db.sql<{ n: number }[]>`
    select count(*)::int as n from public.polybot_positions where market_id = ${marketId} and status = 'open'`;
  return row?.n ?? -1;
};

test('manager SIGKILLed while settling → after the restart the market is settled exactly once', async () => {
  const u = await createUser(stack.db, { config: { max_open_positions: 10, max_trade_size_usd: 50 } });
  const first = startManagerProcess();
  await until(async () => (await statusOf(stack.db.sql, u.id)).state === 'running', 'runner running', 60_000);
  const m = await listArbMarket(stack.sim, 'crash');
  await until(async () => (await tradesIn(stack.db.sql, u.id, m.conditionId)).length >= 2, 'traded', 60_000);
  expect(await openPositions(m.conditionId)).toBe(2);

  // Hold the market's positions: the settlement the resolution starts waits on this lock.
  const lock = await stack.db.sql.reserve();
  await lock`begin`;
  await lock`select id from public.polybot_positions where market_id = ${m.conditionId} for update`;
  await resolveMarket(stack.sim, m.conditionId, 'Yes');
  await until(
    async () =>
      // As the superuser: another login's query text is hidden from postgres (the manager has its own login).
      (
        await stack.db.superuser`
          select 1 from pg_stat_activity
           where query like '%settle_market%' and wait_event_type = 'Lock' and pid <> pg_backend_pid()`
      ).length > 0,
    'the manager settling, blocked mid-way',
    30_000,
  );
  first.proc.kill('SIGKILL');
  await first.exited;
  await lock`rollback`;
  lock.release();
  // The killed manager's transaction never commits (its COMMIT was never sent): nothing is settled, not even half.
  expect(await settlementsOf(stack.db.sql, m.conditionId)).toHaveLength(0);
  expect(await openPositions(m.conditionId)).toBe(2);

  const second = startManagerProcess();
  await until(async () => (await openPositions(m.conditionId)) === 0, 'settled after the restart', 60_000);
  await until(async () => (await statusOf(stack.db.sql, u.id)).state === 'running', 'runner running again', 60_000);
  const rows = await settlementsOf(stack.db.sql, m.conditionId);
  expect(rows).toHaveLength(2);
  expect(new Set(rows.map((r) => r.position_id)).size).toBe(2);
  expect(new Set(rows.map((r) => r.instrument_id))).toEqual(new Set([m.yes, m.no]));
  second.proc.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(alive(second.proc.pid ?? 0)).toBe(false);
});
