// One manager, in-process, against a real database and the simulator; runners are real child processes.
// Cases run in order and share the manager (each leaves the users it touched running or stopped on purpose).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBotManager, type RunningBotManager } from '../src/index.ts';
import { createLogger } from '../src/shared/log.ts';
import {
  alive, createTestDatabase, createUser, makeKeys, saveKeys, startSim, statusOf, until, venueUrlsOf,
  type TestDatabase, type TestKeys, type VenueSim,
} from './harness.ts';

let db: TestDatabase;
let sim: VenueSim;
let mgr: RunningBotManager;
const tapped: Array<{ userId: string; pid: number; direction: 'to' | 'from'; text: string; type: string }> = [];
const users: Array<{ id: string; keys: TestKeys }> = [];

const pidOf = (userId: string): number | undefined => mgr.manager.runners().find((r) => r.userId === userId)?.pid;
const runningPid = (userId: string): Promise<number> =>
  until(async () => {
    const s = await statusOf(db.sql, userId);
    const pid = pidOf(userId);
    return s.state === 'running' && pid !== undefined && s.pid === pid ? pid : null;
  }, `runner of ${userId} running`, 60_000);

beforeAll(async () => {
  [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  for (let i = 0; i < 3; i++) users.push(await createUser(db));
  mgr = await startBotManager({
    databaseUrl: db.url, venueUrls: venueUrlsOf(sim), logger: createLogger('lifecycle', 'warn'), logLevel: 'warn',
    heartbeatMs: 200, statusWriteMs: 200, heartbeatTimeoutMs: 5000, crashBackoffBaseMs: 100, maxCrashes: 3,
    listenBackoffBaseMs: 100,
    ipcTap: (e) => {
      const m = e.message as { type: string };
      tapped.push({ userId: e.userId, pid: e.pid, direction: e.direction, text: JSON.stringify(e.message), type: m.type });
    },
  });
});

afterAll(async () => {
  const pids = mgr ? mgr.manager.runners().map((r) => r.pid) : [];
  await mgr?.stop();
  for (const pid of pids) expect(alive(pid)).toBe(false);
  await Promise.allSettled([sim?.close(), db?.stop()]);
});

describe('BotManager lifecycle', () => {
  test('3 active users → 3 children, each holding only its own keys (IPC traffic captured)', async () => {
    const pids = await Promise.all(users.map((u) => runningPid(u.id)));
    expect(new Set(pids).size).toBe(3);
    for (const u of users) {
      const toThisUser = tapped.filter((t) => t.direction === 'to' && t.userId === u.id);
      const init = toThisUser.find((t) => t.type === 'init');
      expect(init).toBeDefined();
      for (const marker of u.keys.markers) expect(init?.text).toContain(marker);
      for (const other of users.filter((o) => o.id !== u.id)) {
        const pidsOfU = new Set(toThisUser.map((t) => t.pid));
        const sentToUPids = tapped.filter((t) => t.direction === 'to' && pidsOfU.has(t.pid));
        for (const marker of other.keys.markers) for (const t of sentToUPids) expect(t.text).not.toContain(marker);
      }
    }
    // Nothing secret comes back from a runner either.
    const all = users.flatMap((u) => u.keys.markers);
    for (const t of tapped.filter((x) => x.direction === 'from')) for (const m of all) expect(t.text).not.toContain(m);
  });

  test('config edit → applied in place: same pid, heartbeat shows the new config version', async () => {
    const u = users[0];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    const [row] = await db.sql`update public.polybot_user_config set min_profit_pct = 0.2 where user_id = ${u.id} returning config_version`;
    const version = Number(row?.config_version);
    await until(async () => {
      const s = await statusOf(db.sql, u.id);
      return Number(s.config_version) === version && s.heartbeat_at !== null && s.config_applied_at !== null;
    }, 'new config version acknowledged');
    expect(pidOf(u.id)).toBe(pid);
    expect(alive(pid)).toBe(true);
    expect(tapped.some((t) => t.pid === pid && t.type === 'configAck' && t.text.includes(`"configVersion":${version}`))).toBe(true);
  });

  test('key rotation → new pid with the new keys', async () => {
    const u = users[1];
    if (!u) throw new Error('no user');
    const oldPid = await runningPid(u.id);
    const fresh = makeKeys();
    await saveKeys(db.sql, u.id, fresh);
    const newPid = await until(async () => {
      const p = await runningPid(u.id);
      return p !== oldPid ? p : null;
    }, 'runner restarted with new keys', 60_000);
    expect(alive(oldPid)).toBe(false);
    const init = tapped.find((t) => t.pid === newPid && t.type === 'init');
    for (const m of fresh.markers) expect(init?.text).toContain(m);
    for (const m of u.keys.markers.filter((x) => !fresh.markers.includes(x))) expect(init?.text).not.toContain(m);
    u.keys = fresh;
  });

  test('suspend → child gone within 2 s; resume → back', async () => {
    const u = users[2];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    await db.sql`select public.admin_suspend_user(${u.id}, 'test suspension')`;
    await until(() => !alive(pid), 'suspended runner gone', 2000);
    await until(async () => (await statusOf(db.sql, u.id)).state === 'suspended', 'status suspended');
    await db.sql`select public.admin_resume_user(${u.id})`;
    const back = await runningPid(u.id);
    expect(back).not.toBe(pid);
  });

  test('kill -9 a runner → restarted; the other runners keep their pids', async () => {
    const [a, b, c] = users;
    if (!a || !b || !c) throw new Error('no users');
    const before = await Promise.all([a, b, c].map((u) => runningPid(u.id)));
    const victim = before[0] ?? 0;
    process.kill(victim, 'SIGKILL');
    const restarted = await until(async () => {
      const p = await runningPid(a.id);
      return p !== victim ? p : null;
    }, 'killed runner restarted', 60_000);
    expect(restarted).not.toBe(victim);
    expect(pidOf(b.id)).toBe(before[1]);
    expect(pidOf(c.id)).toBe(before[2]);
    expect(await mgr.metrics.registry.getSingleMetricAsString('polybot_runner_restarts_total')).toContain('reason="crash"');
  });

  test('repeated crashes → status error with the reason', async () => {
    const u = await createUser(db);
    let last = 0;
    for (let i = 0; i < 3; i++) {
      const pid = await until(() => {
        const p = pidOf(u.id);
        return p !== undefined && p !== last ? p : null;
      }, `runner attempt ${i + 1}`, 60_000);
      last = pid;
      // Kill as soon as it is forked: a runner that dies at start-up, over and over.
      process.kill(pid, 'SIGKILL');
    }
    const s = await until(async () => {
      const st = await statusOf(db.sql, u.id);
      return st.state === 'error' ? st : null;
    }, 'status error');
    expect(String(s.last_error)).toMatch(/crashes in a row.*SIGKILL/);
    expect(pidOf(u.id)).toBeUndefined();
    // A change from the user earns a fresh attempt.
    await db.sql`update public.polybot_user_config set min_profit_pct = 0.3 where user_id = ${u.id}`;
    await runningPid(u.id);
    await db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
    await until(async () => (await statusOf(db.sql, u.id)).state === 'stopped', 'disabled bot stopped');
  });

  test('a silent runner (SIGSTOP: alive but no heartbeat) is killed and restarted', async () => {
    const u = users[2];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    process.kill(pid, 'SIGSTOP');
    const fresh = await until(async () => {
      const p = await runningPid(u.id);
      return p !== pid ? p : null;
    }, 'silent runner replaced', 60_000);
    expect(fresh).not.toBe(pid);
    await until(() => !alive(pid), 'stopped runner killed');
    expect(await mgr.metrics.registry.getSingleMetricAsString('polybot_runner_restarts_total')).toContain('reason="silent"');
  });

  test('LISTEN connection terminated, config changed while down → applied after the reconnect', async () => {
    const u = users[0];
    if (!u) throw new Error('no user');
    const pid = await runningPid(u.id);
    const reconnectsBefore = (await mgr.metrics.notifyReconnects.get()).values[0]?.value ?? 0;
    // Terminate the LISTEN backend and change the config in the same statement batch: the NOTIFY has nobody to reach.
    const [row] = await db.superuser.begin(async (tx) => {
      await tx`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'polybot-bot-manager-listen'`;
      return tx`update public.polybot_user_config set min_profit_pct = 0.4 where user_id = ${u.id} returning config_version`;
    });
    const version = Number(row?.config_version);
    await until(async () => Number((await statusOf(db.sql, u.id)).config_version) === version, 'config applied after reconnect', 60_000);
    expect((await mgr.metrics.notifyReconnects.get()).values[0]?.value ?? 0).toBeGreaterThan(reconnectsBefore);
    expect(pidOf(u.id)).toBe(pid);
  });
});
