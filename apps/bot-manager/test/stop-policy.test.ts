// What takes one user's bot out of the desired state while the others run on: a plan that no longer allows trading,
// a config the schema refuses, a runner over its memory budget. One shared manager (lifecycle-fixture.ts); the cases run
// in order and leave the three first users running.
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { alive, createUser, statusIn, statusOf, until, type TestKeys } from './harness.ts';
import { sample, useLifecycleFixture } from './lifecycle-fixture.ts';

/** A user whose runner gets a 1 MB resident-memory budget (every other runner has the default). */
let hog: { id: string; keys: TestKeys };
const f = useLifecycleFixture(async (database) => {
  hog = await createUser(database, { config: { bot_enabled: false } });
  return { runnerRssLimitOverridesMb: { [hog.id]: 1 } };
});
const { pidOf, runningPid, registryText } = f;

describe('BotManager stop policy', () => {
  test('a plan that no longer allows trading (subscription unpaid, then canceled) → runner stopped; paid again → back', async () => {
    const [a, u, c] = f.users;
    if (!a || !u || !c) throw new Error('no users');
    const [pidA, free] = await Promise.all([runningPid(a.id), runningPid(u.id)]);
    // A paid plan first, as the Stripe webhook writes it (a free plan trades whatever its subscription status).
    await f.db.sql`
      update public.polybot_user_profiles
         set stripe_subscription_id = ${`sub_${randomUUID()}`}, subscription_status = 'active', subscription_tier = 'pro'
       where id = ${u.id}`;
    let pid = await f.newPid(u.id, free, 'runner restarted on the paid plan');
    const pidC = await runningPid(c.id);
    // The statuses list_desired_bots does not accept for a paid tier, as the webhook writes them.
    for (const status of ['unpaid', 'canceled']) {
      await f.db.sql`update public.polybot_user_profiles set subscription_status = ${status} where id = ${u.id}`;
      await until(() => !alive(pid), `runner gone once the subscription is ${status}`);
      const stopped = await statusIn(f.db.sql, u.id, 'stopped', `status stopped (${status})`);
      // The status row says which rule took the bot out, for the user's dashboard and for admins in Studio.
      expect(stopped.halt_reason).toMatch(new RegExp(`subscription is ${status}: trading stays stopped`));
      expect(stopped.halt_code).toBe('subscription_inactive');
      expect(stopped.pid).toBeNull();
      expect(pidOf(u.id)).toBeUndefined();
      await f.db.sql`update public.polybot_user_profiles set subscription_status = 'active' where id = ${u.id}`;
      const back = await runningPid(u.id);
      expect(back).not.toBe(pid);
      // Running again: the stop reason is gone from the row as soon as the new runner starts. What the row says now
      // is the runner's own (e.g. max open positions reached by the trades before: runner/blocked.ts), or nothing.
      const cleared = await until(async () => {
        const st = await statusOf(f.db.sql, u.id);
        return st.state === 'running' && st.halt_code !== 'subscription_inactive' ? st : null;
      }, 'stop reason cleared');
      expect(cleared.halt_reason ?? '').not.toMatch(/subscription/);
      pid = back;
    }
    expect([pidOf(a.id), pidOf(c.id)]).toEqual([pidA, pidC]);
  });

  test('invalid config in the database (written around the app) → that bot stopped with the reason in its status; others untouched; fixed → back', async () => {
    const [u, b, c] = f.users;
    if (!u || !b || !c) throw new Error('no users');
    const [pid, pidB, pidC] = await Promise.all([runningPid(u.id), runningPid(b.id), runningPid(c.id)]);
    // As the service role, bypassing the app's validation: a followed wallet that is not an address (the table only
    // checks that advanced_config is a JSON object).
    const bad = { followedWallets: [{ address: 'not-a-wallet', scale: 1, maxPerTradeUsd: 10 }] };
    const version = await f.db.sql.begin(async (tx) => {
      await tx`set local role service_role`;
      const [row] =
        await tx`update public.polybot_user_config set advanced_config = ${tx.json(bad)} where user_id = ${u.id} returning config_version`;
      return Number(row?.config_version);
    });
    await until(() => !alive(pid), 'runner on the invalid config stopped');
    const s = await statusIn(f.db.sql, u.id, 'error', 'status error');
    expect(s.pid).toBeNull();
    expect(String(s.last_error)).toMatch(
      new RegExp(
        `^invalid configuration \\(version ${version}\\).*advanced_config\\.followedWallets\\.0\\.address: wallet must be a 0x-prefixed`,
      ),
    );
    expect(s.error_code).toBe('invalid_config');
    expect(pidOf(u.id)).toBeUndefined();
    // Contained: the other users' runners never noticed.
    expect([pidOf(b.id), pidOf(c.id)]).toEqual([pidB, pidC]);
    for (const o of [b, c]) expect((await statusOf(f.db.sql, o.id)).state).toBe('running');

    // A user whose config is already invalid when the bot is switched on is not started at all.
    const idle = await createUser(f.db, { config: { bot_enabled: false } });
    // Sign-up notifications settle first (one may have started a runner before the bot was switched off): the pass
    // queued here runs after every earlier one of this user.
    await until(async () => {
      await f.mgr.manager.reconcileUser(idle.id);
      return pidOf(idle.id) === undefined;
    }, 'the new, switched-off bot idle');
    const mark = f.tapped.length;
    await f.db
      .sql`update public.polybot_user_config set advanced_config = ${f.db.sql.json({ followedWalets: [] })} where user_id = ${idle.id}`;
    await f.db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${idle.id}`;
    const idleStatus = await statusIn(f.db.sql, idle.id, 'error', 'never-started bot in error');
    expect(String(idleStatus.last_error)).toMatch(
      /invalid configuration.*advanced_config: Unrecognized key.*followedWalets/,
    );
    expect(f.tapped.slice(mark).some((t) => t.userId === idle.id)).toBe(false);
    expect(pidOf(idle.id)).toBeUndefined();
    await f.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${idle.id}`;
    await until(async () => (await statusOf(f.db.sql, idle.id)).state === 'paused', 'idle bot paused');

    // The user fixes it: a valid version brings the bot back.
    await f.db.sql`update public.polybot_user_config set advanced_config = '{}'::jsonb where user_id = ${u.id}`;
    const back = await runningPid(u.id);
    expect(back).not.toBe(pid);
    expect((await statusOf(f.db.sql, u.id)).last_error).toBeNull();
    expect([pidOf(b.id), pidOf(c.id)]).toEqual([pidB, pidC]);
  });

  test('a runner over its resident-memory budget is killed and restarted, counted, and after repeated breaches → error; others untouched', async () => {
    const before = await Promise.all(f.users.map((u) => runningPid(u.id)));
    const kills = sample(await registryText(), 'polybot_runner_restarts_total', { reason: 'memory' });
    await f.db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${hog.id}`;
    const s = await statusIn(f.db.sql, hog.id, 'error', 'the over-budget bot in error', 90_000);
    expect(String(s.last_error)).toMatch(
      /3 crashes in a row \(last: runner killed: it used \d+ MB of memory, over its 1 MB budget\)/,
    );
    expect(s.error_code).toBe('crash_loop');
    // Each breach was a kill of its own (three forks of this user, each killed by the manager).
    expect(sample(await registryText(), 'polybot_runner_restarts_total', { reason: 'memory' })).toBeGreaterThanOrEqual(
      kills + 3,
    );
    expect(
      f.logLines.filter((l) => l.msg === 'runner over its memory budget: killing it' && l.userId === hog.id).length,
    ).toBeGreaterThanOrEqual(3);
    expect(pidOf(hog.id)).toBeUndefined();
    // The runners on the default budget kept running, same processes.
    expect(f.users.map((u) => pidOf(u.id))).toEqual(before);
    await f.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${hog.id}`;
    await until(async () => (await statusOf(f.db.sql, hog.id)).state === 'paused', 'over-budget bot switched off');
  });
});
