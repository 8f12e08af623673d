// One user's notification costs O(1) rows, whatever the number of users (SECURITY.md §7.3): reconcileUser reads only
// that user's run decision, never the whole desired list. Measured as the rows Postgres sends the manager (a counting
// proxy in front of the database), with 200 other users whose bots should run.
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { createAuthUser } from '@polybot/local-stack/postgres';
import { startPgRowCounter, type PgRowCounter } from './pg-row-counter.ts';
import { useManagerStack } from './stack.ts';

const OTHERS = 200;
const stack = useManagerStack();
let counter: PgRowCounter | undefined;
afterAll(async () => {
  await Promise.allSettled(stack.managers.splice(0).map((m) => m.stop()));
  await counter?.close();
});

test(`a notification for one user reads O(1) rows with ${OTHERS} other users desired`, async () => {
  const { db } = stack;
  // Not onboarded yet: nobody is desired when the manager starts, so it forks no runner.
  const others = Array.from({ length: OTHERS }, () => randomUUID());
  for (const id of others) await createAuthUser(db, { id, email: `${id}@test.local` });
  const notified = await createAuthUser(db, { email: `${randomUUID()}@test.local` });
  counter = await startPgRowCounter(stack.managerUrl);
  const m = await stack.manager('reconcile-cost', { databaseUrl: counter.url, reconcileIntervalMs: 3_600_000 });
  // Now the 200 become desired without telling the manager (triggers, and so their notifications, off for this
  // transaction): a pass over the desired list would read 200 rows.
  await db.superuser.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update public.polybot_user_profiles set onboarding_completed = true, onboarding_step = 'done'
              where id = any(${others}::uuid[])`;
  });
  const desired = await db.sql`select count(*)::int as n from public.list_desired_bots()`;
  expect(desired[0]?.n).toBe(OTHERS);

  // Once unmeasured: a connection the pool opens reads the type catalogue first (postgres.js), which is not the pass.
  await m.manager.reconcileUser(notified);
  counter.reset();
  await m.manager.reconcileUser(notified);
  // Its decision (one row) and its status write; nothing proportional to the number of users.
  expect(counter.rows()).toBeLessThan(10);
  expect(m.manager.runners()).toEqual([]);
});
