// /healthz is the manager's readiness: 503, naming the failing link and since when, while its LISTEN connection or its
// database is gone; 200 again once both are back (and a full reconcile has made up for the notifications missed).
// /livez only proves the process answers. One manager, in-process, reaching Postgres through a proxy the test can cut;
// no users: what is under test is the manager's own links, not its runners.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningBotManager } from '../src/index.ts';
import { until } from './harness.ts';
import { sample } from './lifecycle-fixture.ts';
import { startPgCutProxy, type PgCutProxy } from './pg-cut-proxy.ts';
import { LISTEN_APP, refuseListenLogins } from './refuse-listen.ts';
import { useManagerStack } from './stack.ts';

interface Health {
  ok: boolean;
  checks: Record<'listen' | 'database', { ok: boolean; since: string; detail: string }>;
  failing: string[];
}

const stack = useManagerStack();
let proxy: PgCutProxy;
let mgr: RunningBotManager;

beforeAll(async () => {
  proxy = await startPgCutProxy(stack.managerUrl);
  mgr = await stack.manager('health', {
    databaseUrl: proxy.url,
    dbProbeIntervalMs: 200,
    dbProbeTimeoutMs: 1000,
    listenBackoffBaseMs: 50,
    listenBackoffMaxMs: 500,
    // No self-ping after the first: a terminated connection must be noticed by its close, not by a ping an hour away.
    listenPingMs: 3_600_000,
    reconcileIntervalMs: 3_600_000,
  });
});

afterAll(async () => {
  await mgr.stop();
  await proxy.close();
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${mgr.httpPort}${path}`);
  return { status: res.status, body: await res.json() };
}

async function healthz(): Promise<{ status: number; body: Health }> {
  const { status, body } = await get('/healthz');
  return { status, body: body as Health };
}

async function metrics(): Promise<string> {
  return (await fetch(`http://127.0.0.1:${mgr.httpPort}/metrics`)).text();
}

/** Waits until /healthz answers `status`, and returns that answer. */
function healthzIs(status: number, what: string): Promise<{ status: number; body: Health }> {
  return until(async () => {
    const h = await healthz();
    return h.status === status && h;
  }, what);
}

describe('/healthz and /livez', () => {
  test('a manager with its database and LISTEN connection up is ready (200) and live', async () => {
    const h = await healthzIs(200, 'ready after start');
    expect(h.body.ok).toBe(true);
    expect(h.body.failing).toEqual([]);
    expect(h.body.checks.listen.ok).toBe(true);
    expect(h.body.checks.database.ok).toBe(true);
    expect(await get('/livez')).toEqual({ status: 200, body: { ok: true } });
    const m = await metrics();
    expect(sample(m, 'polybot_listen_connected')).toBe(1);
    expect(sample(m, 'polybot_database_reachable')).toBe(1);
  });

  test("pg_terminate_backend on the manager's LISTEN connection → 503 naming LISTEN while it cannot reconnect, 200 after the reconnect and its full reconcile", async () => {
    const before = await metrics();
    // The server turns the manager's LISTEN logins away while a setting says so (a Postgres 17 login event trigger):
    // the outage lasts until the test ends it, so the 503 is there to be seen however fast reconnects are.
    const refusal = refuseListenLogins(stack.db.superuser);
    await refusal.start();
    try {
      const terminated = await stack.db.superuser<{ done: boolean }[]>`
        select pg_terminate_backend(pid) as done from pg_stat_activity where application_name like ${LISTEN_APP}`;
      expect(terminated.length).toBeGreaterThan(0);
      const down = await healthzIs(503, '503 while the LISTEN connection is down');
      expect(down.body.ok).toBe(false);
      expect(down.body.checks.listen.ok).toBe(false);
      expect(down.body.checks.database.ok).toBe(true);
      expect(down.body.failing).toHaveLength(1);
      expect(down.body.failing[0]).toMatch(/^LISTEN connection down since \d{4}-\d\d-\d\dT[\d:.]+Z: .*reconnecting/);
      expect(sample(await metrics(), 'polybot_listen_connected')).toBe(0);
    } finally {
      await refusal.remove();
    }
    const up = await healthzIs(200, '200 once LISTEN is back');
    expect(up.body.checks.listen.ok).toBe(true);
    const after = await until(async () => {
      const m = await metrics();
      const reconciled =
        sample(m, 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' }) >
        sample(before, 'polybot_reconcile_duration_seconds_count', { scope: 'reconnect' });
      return reconciled && m;
    }, 'a full reconcile after the reconnect');
    expect(sample(after, 'polybot_listen_connected')).toBe(1);
    expect(sample(after, 'polybot_notify_reconnects_total')).toBeGreaterThan(
      sample(before, 'polybot_notify_reconnects_total'),
    );
  });

  test('the database cut off → 503 naming the database (and LISTEN, same server), 200 when it is back', async () => {
    await healthzIs(200, 'ready before the cut');
    proxy.cut();
    try {
      const down = await until(async () => {
        const h = await healthz();
        return h.status === 503 && !h.body.checks.database.ok && h;
      }, '503 naming the database');
      expect(down.body.failing.some((f) => /^database unreachable since \d{4}-.*Z: /.test(f))).toBe(true);
      expect(down.body.checks.database.detail).toMatch(/database/);
      // /livez does not depend on the database: a restart would not bring it back.
      expect((await get('/livez')).status).toBe(200);
      expect(sample(await metrics(), 'polybot_database_reachable')).toBe(0);
    } finally {
      proxy.restore();
    }
    const up = await healthzIs(200, '200 once the database is back');
    expect(up.body.checks.database.ok).toBe(true);
    expect(up.body.checks.listen.ok).toBe(true);
    const m = await metrics();
    expect(sample(m, 'polybot_database_reachable')).toBe(1);
    expect(sample(m, 'polybot_listen_connected')).toBe(1);
  });

  test('the database stops answering (nothing closes) → 503 once the probe times out, 200 when answers flow again', async () => {
    await healthzIs(200, 'ready before the stall');
    proxy.stall();
    try {
      const down = await until(async () => {
        const h = await healthz();
        return h.status === 503 && !h.body.checks.database.ok && h;
      }, '503 naming the database');
      expect(down.body.checks.database.detail).toBe('the database did not answer select 1 within 1000 ms');
      expect(down.body.failing).toContainEqual(
        expect.stringMatching(/^database unreachable since .*: .*within 1000 ms/),
      );
    } finally {
      proxy.restore();
    }
    const up = await healthzIs(200, '200 once the database answers again');
    expect(up.body.checks.database.ok).toBe(true);
  });
});
