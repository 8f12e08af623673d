// The BotManager's lifecycle, one manager shared by the cases in order (each leaves the users it touched running or
// stopped on purpose: the metrics case at the end expects exactly the three first users running). Setup in
// lifecycle-fixture.ts; the cases that take a bot out of the desired state (plan, invalid config, memory) are in
// stop-policy.test.ts.
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { alive, createUser, makeKeys, saveKeys, statusIn, statusOf, until } from './harness.ts';
import { LISTEN_BACKOFF_BASE_MS, sample, useLifecycleFixture } from './lifecycle-fixture.ts';
import { LISTEN_APP, refuseListenLogins } from './refuse-listen.ts';

const f = useLifecycleFixture();
const { pidOf, runningPid, registryText, newPid, scrape } = f;

describe('BotManager lifecycle', () => {
  test('3 active users → 3 children, each holding only its own keys (IPC traffic captured)', async () => {
    const pids = await Promise.all(f.users.map((u) => runningPid(u.id)));
    expect(new Set(pids).size).toBe(3);
    for (const u of f.users) {
      const toThisUser = f.tapped.filter((t) => t.direction === 'to' && t.userId === u.id);
      const init = toThisUser.find((t) => t.type === 'init');
      expect(init).toBeDefined();
      for (const marker of u.keys.markers) expect(init?.text).toContain(marker);
      for (const other of f.users.filter((o) => o.id !== u.id)) {
        const pidsOfU = new Set(toThisUser.map((t) => t.pid));
        const sentToUPids = f.tapped.filter((t) => t.direction === 'to' && pidsOfU.has(t.pid));
        for (const marker of other.keys.markers) for (const t of sentToUPids) expect(t.text).not.toContain(marker);
      }
    }
    // Nothing secret comes back from a runner either.
    const all = f.users.flatMap((u) => u.keys.markers);
    for (const t of f.tapped.filter((x) => x.direction === 'from'))
      for (const m of all) expect(t.text).not.toContain(m);
  });

  test('config edit → applied in place: same pid, heartbeat shows the new config version', async () => {
    const u = f.users[0];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    const [row] = await f.db
      .sql`update public.polybot_user_config set min_profit_pct = 0.2 where user_id = ${u.id} returning config_version`;
    const version = Number(row?.config_version);
    await until(async () => {
      const s = await statusOf(f.db.sql, u.id);
      return Number(s.config_version) === version && s.heartbeat_at !== null && s.config_applied_at !== null;
    }, 'new config version acknowledged');
    expect(pidOf(u.id)).toBe(pid);
    expect(alive(pid)).toBe(true);
    expect(
      f.tapped.some((t) => t.pid === pid && t.type === 'configAck' && t.text.includes(`"configVersion":${version}`)),
    ).toBe(true);
    // The runner itself (not only the status row the acknowledgement wrote) reports the new version in its heartbeats.
    const beat = await until(
      () =>
        f.tapped.find(
          (t) =>
            t.direction === 'from' &&
            t.pid === pid &&
            t.type === 'heartbeat' &&
            t.text.includes(`"configVersion":${version},`),
        ),
      'a heartbeat of the same pid with the new version',
    );
    expect((JSON.parse(beat.text) as { configVersion: number }).configVersion).toBe(version);
  });

  test('key rotation → new pid with the new keys', async () => {
    const u = f.users[1];
    if (!u) throw new Error('no user');
    const oldPid = await runningPid(u.id);
    const fresh = makeKeys();
    await saveKeys(f.db.sql, u.id, fresh);
    const newPid = await f.newPid(u.id, oldPid, 'runner restarted with new keys');
    expect(alive(oldPid)).toBe(false);
    const init = f.tapped.find((t) => t.pid === newPid && t.type === 'init');
    for (const m of fresh.markers) expect(init?.text).toContain(m);
    for (const m of u.keys.markers.filter((x) => !fresh.markers.includes(x))) expect(init?.text).not.toContain(m);
    u.keys = fresh;
  });

  test('suspend → child gone within 2 s; resume → back', async () => {
    const u = f.users[2];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    await f.db.sql`select public.admin_suspend_user(${u.id}, 'test suspension')`;
    await until(() => !alive(pid), 'suspended runner gone', 2000);
    const suspended = await statusIn(f.db.sql, u.id, 'suspended', 'status suspended');
    expect(suspended.halt_reason).toBe('suspended by PolyBot support: test suspension');
    expect(suspended.halt_code).toBe('suspended');
    await f.db.sql`select public.admin_resume_user(${u.id})`;
    const back = await runningPid(u.id);
    expect(back).not.toBe(pid);
  });

  test('kill -9 a runner → restarted; the other runners keep their pids', async () => {
    const [a, b, c] = f.users;
    if (!a || !b || !c) throw new Error('no users');
    const before = await Promise.all([a, b, c].map((u) => runningPid(u.id)));
    const victim = before[0] ?? 0;
    process.kill(victim, 'SIGKILL');
    const restarted = await f.newPid(a.id, victim, 'killed runner restarted');
    expect(restarted).not.toBe(victim);
    expect(pidOf(b.id)).toBe(before[1]);
    expect(pidOf(c.id)).toBe(before[2]);
    expect(await f.mgr.metrics.registry.getSingleMetricAsString('polybot_runner_restarts_total')).toContain(
      'reason="crash"',
    );
  });

  test('repeated crashes → status error with the reason', async () => {
    const u = await createUser(f.db);
    let last = 0;
    for (let i = 0; i < 3; i++) {
      const pid = await until(
        () => {
          const p = pidOf(u.id);
          return p !== undefined && p !== last ? p : null;
        },
        `runner attempt ${i + 1}`,
        60_000,
      );
      last = pid;
      // Kill as soon as it is forked: a runner that dies at start-up, over and over.
      process.kill(pid, 'SIGKILL');
    }
    const s = await statusIn(f.db.sql, u.id, 'error', 'status error');
    expect(String(s.last_error)).toMatch(/crashes in a row.*SIGKILL/);
    expect(s.error_code).toBe('crash_loop');
    expect(pidOf(u.id)).toBeUndefined();
    // A change from the user earns a fresh attempt.
    await f.db.sql`update public.polybot_user_config set min_profit_pct = 0.3 where user_id = ${u.id}`;
    await runningPid(u.id);
    await f.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
    await until(async () => (await statusOf(f.db.sql, u.id)).state === 'paused', 'disabled bot paused');
  });

  test('a silent runner (SIGSTOP: alive but no heartbeat) is killed and restarted', async () => {
    const u = f.users[2];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    process.kill(pid, 'SIGSTOP');
    const fresh = await f.newPid(u.id, pid, 'silent runner replaced');
    expect(fresh).not.toBe(pid);
    await until(() => !alive(pid), 'stopped runner killed');
    expect(await f.mgr.metrics.registry.getSingleMetricAsString('polybot_runner_restarts_total')).toContain(
      'reason="silent"',
    );
  });

  test('plan change that alters what the runner may do (billing writes a new tier) → new pid, started on the new plan', async () => {
    const [a, u, c] = f.users;
    if (!a || !u || !c) throw new Error('no users');
    const [pidA, oldPid, pidC] = await Promise.all([runningPid(a.id), runningPid(u.id), runningPid(c.id)]);
    // What the Stripe webhook writes for an upgrade (apply-event.ts): the subscription, tier last; the
    // _100_apply_plan_limits trigger copies the tier's features and limits onto the profile.
    await f.db.sql`
      update public.polybot_user_profiles
         set stripe_subscription_id = ${`sub_${randomUUID()}`}, subscription_status = 'active', subscription_tier = 'pro'
       where id = ${u.id}`;
    const pid = await newPid(u.id, oldPid, 'runner restarted on the new plan');
    expect(alive(oldPid)).toBe(false);
    const init = f.tapped.find((t) => t.pid === pid && t.type === 'init');
    const plan = (JSON.parse(init?.text ?? '{}') as { plan?: { tier: string; monthlyTradeLimit: number } }).plan;
    const [profile] = await f.db.sql<
      { monthly_trade_limit: number }[]
    >`select monthly_trade_limit from public.polybot_user_profiles where id = ${u.id}`;
    expect(plan).toMatchObject({ tier: 'pro', monthlyTradeLimit: profile?.monthly_trade_limit });
    await until(
      async () => ((await statusOf(f.db.sql, u.id)).stats as { plan_tier?: string } | undefined)?.plan_tier === 'pro',
      'status names the new plan',
    );
    expect([pidOf(a.id), pidOf(c.id)]).toEqual([pidA, pidC]);
  });

  test('LISTEN connection terminated, config changed while down → applied by the full reconcile after the reconnect', async () => {
    const u = f.users[0];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    const before = await registryText();
    // Terminate the LISTEN backend and change the config in the same statement batch: the NOTIFY has nobody to reach.
    const [row] = await f.db.superuser.begin(async (tx) => {
      await tx`select pg_terminate_backend(pid) from pg_stat_activity where application_name like ${LISTEN_APP}`;
      return tx`update public.polybot_user_config set min_profit_pct = 0.4 where user_id = ${u.id} returning config_version`;
    });
    const version = Number(row?.config_version);
    await until(
      async () => Number((await statusOf(f.db.sql, u.id)).config_version) === version,
      'config applied after reconnect',
      60_000,
    );
    // The reconnect-scoped full pass ran (the periodic one is an hour away in this file).
    await until(
      async () =>
        sample(await registryText(), 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' }) >
        sample(before, 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' }),
      'a reconnect reconcile',
    );
    expect(sample(await registryText(), 'polybot_notify_reconnects_total')).toBeGreaterThan(
      sample(before, 'polybot_notify_reconnects_total'),
    );
    expect(sample(await registryText(), 'polybot_reconcile_duration_seconds_count', { scope: 'periodic' })).toBe(0);
    expect(pidOf(u.id)).toBe(pid);
  });

  test('the database refuses the LISTEN connection for a while → reconnects back off with jitter, then succeed, and the full reconcile applies what changed meanwhile', async () => {
    const u = f.users[1];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    const before = await registryText();
    // The server itself turns the manager's LISTEN logins away (refuse-listen.ts); nothing else is touched.
    const refusal = refuseListenLogins(f.db.superuser);
    await refusal.start();
    const mark = f.logLines.length;
    const retries = (): Array<{ attempt: number; delayMs: number }> =>
      f.logLines
        .slice(mark)
        .filter((l) => l.msg === 'LISTEN connection lost: reconnecting after backoff') as unknown as Array<{
        attempt: number;
        delayMs: number;
      }>;
    try {
      await f.db
        .superuser`select pg_terminate_backend(pid) from pg_stat_activity where application_name like ${LISTEN_APP}`;
      await until(() => retries().length >= 3, 'three reconnect attempts refused', 60_000);
      const [row] = await f.db
        .sql`update public.polybot_user_config set min_profit_pct = 0.35 where user_id = ${u.id} returning config_version`;
      const version = Number(row?.config_version);
      // Nobody is listening: that NOTIFY is lost. One more refused attempt later, the runner still has the old config.
      const n = retries().length;
      await until(() => retries().length > n, 'another reconnect attempt refused', 60_000);
      expect(f.mgr.manager.runners().find((r) => r.userId === u.id)?.configVersion).toBeLessThan(version);
      expect(Number((await statusOf(f.db.sql, u.id)).config_version)).toBeLessThan(version);

      await refusal.end();
      await until(
        async () => Number((await statusOf(f.db.sql, u.id)).config_version) === version,
        'config applied after the reconnect',
        60_000,
      );
      expect(pidOf(u.id)).toBe(pid);
    } finally {
      await refusal.remove();
    }
    // Our own reconnect loop did it: attempts 1, 2, 3, ... each after a wait inside [step / 2, step] of a doubling step.
    const tries = retries();
    expect(tries.length).toBeGreaterThanOrEqual(4);
    tries.forEach((t, k) => {
      expect(t.attempt).toBe(k + 1);
      const step = Math.min(15_000, LISTEN_BACKOFF_BASE_MS * 2 ** k);
      expect(t.delayMs).toBeGreaterThanOrEqual(Math.floor(step / 2));
      expect(t.delayMs).toBeLessThanOrEqual(Math.ceil(step));
    });
    const back = f.logLines.slice(mark).find((l) => l.msg === 'LISTEN connection re-established: full reconcile');
    expect(back?.attempts).toBe(tries.length);
    const after = await registryText();
    expect(sample(after, 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' })).toBeGreaterThan(
      sample(before, 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' }),
    );
    expect(sample(after, 'polybot_notify_reconnects_total')).toBeGreaterThan(
      sample(before, 'polybot_notify_reconnects_total'),
    );
    expect(sample(after, 'polybot_reconcile_duration_seconds_count', { scope: 'periodic' })).toBe(0);
    // Listening again for real: a change now arrives by NOTIFY.
    const [row] = await f.db
      .sql`update public.polybot_user_config set min_profit_pct = 0.3 where user_id = ${u.id} returning config_version`;
    await until(
      async () => Number((await statusOf(f.db.sql, u.id)).config_version) === Number(row?.config_version),
      'a change after the reconnect applied',
    );
    expect(sample(await registryText(), 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' })).toBe(
      sample(after, 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' }),
    );
  });

  test('/metrics of a manager running 3 users: runners, restarts, reload latency, notify reconnects, reconcile duration, trades by mode', async () => {
    const pids = await Promise.all(f.users.map((u) => runningPid(u.id)));
    expect(new Set(pids).size).toBe(3);
    const ids = f.users.map((u) => u.id);
    await until(
      async () =>
        (
          await f.db
            .sql`select 1 from public.polybot_trades where user_id in ${f.db.sql(ids)} and mode = 'paper' limit 1`
        ).length > 0,
      'a paper trade',
      90_000,
    );
    const u = f.users[2];
    if (!u) throw new Error('no user');
    const reloadsBefore = sample(await scrape(), 'polybot_reload_latency_seconds_count', { kind: 'config' });
    const [row] = await f.db
      .sql`update public.polybot_user_config set min_profit_pct = 0.25 where user_id = ${u.id} returning config_version`;
    await until(
      async () => Number((await statusOf(f.db.sql, u.id)).config_version) === Number(row?.config_version),
      'config edit acknowledged',
    );

    const text = await until(async () => {
      const t = await scrape();
      return sample(t, 'polybot_runners_active') === 3 &&
        sample(t, 'polybot_reload_latency_seconds_count', { kind: 'config' }) > reloadsBefore
        ? t
        : null;
    }, '/metrics showing 3 runners and the reload');
    const [{ n: paperTrades } = { n: 0 }] = await f.db.sql<
      { n: number }[]
    >`select count(*)::int as n from public.polybot_trades where mode = 'paper'`;
    expect(sample(text, 'polybot_runners_active')).toBe(f.mgr.manager.runners().length);
    // Restarts by reason: the kill -9, the silent runner, the changes of keys and plan (the memory budget's kills are
    // counted in stop-policy.test.ts).
    for (const reason of ['crash', 'silent', 'change'])
      expect(sample(text, 'polybot_runner_restarts_total', { reason })).toBeGreaterThan(0);
    expect(sample(text, 'polybot_reload_latency_seconds_count', { kind: 'restart' })).toBeGreaterThan(0);
    expect(sample(text, 'polybot_reload_latency_seconds_sum', { kind: 'config' })).toBeGreaterThan(0);
    expect(sample(text, 'polybot_notify_reconnects_total')).toBeGreaterThanOrEqual(2);
    for (const scope of ['start', 'user', 'reconnect'])
      expect(sample(text, 'polybot_reconcile_duration_seconds_count', { scope })).toBeGreaterThan(0);
    // Trades by mode: what this manager booked, all on paper (the counter is bumped after the booking commits).
    const paper = sample(text, 'polybot_trades_total', { mode: 'paper' });
    expect(paper).toBeGreaterThan(0);
    expect(paper).toBeLessThanOrEqual(paperTrades);
    expect(sample(text, 'polybot_trades_total', { mode: 'live' })).toBe(0);
    // The text is Prometheus' exposition format with HELP and TYPE for each of them.
    for (const name of [
      'polybot_runners_active',
      'polybot_runner_restarts_total',
      'polybot_reload_latency_seconds',
      'polybot_notify_reconnects_total',
      'polybot_reconcile_duration_seconds',
      'polybot_trades_total',
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (gauge|counter|histogram)$`, 'm'));
    }
  });
});
