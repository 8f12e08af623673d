// The setup the lifecycle suites share: one manager, in-process, against a real database and the simulator; runners
// are real child processes. Three active users from the start; everything the manager sends to or receives from a
// runner is tapped, and every line it logs (warn and up) is kept, parsed.
// The periodic full reconcile is effectively off (once an hour): every change must reach the manager through NOTIFY,
// or through the full reconcile that follows a LISTEN reconnect — never through the safety-net timer.
import { pino } from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import { startBotManager, type BotManagerOptions, type RunningBotManager } from '../src/index.ts';
import { REDACT_PATHS } from '../src/shared/log.ts';
import {
  alive,
  createTestDatabase,
  createUser,
  managerLoginUrl,
  startSim,
  statusOf,
  until,
  venueUrlsOf,
  type TestDatabase,
  type TestKeys,
  type VenueSim,
} from './harness.ts';

export const LISTEN_BACKOFF_BASE_MS = 100;

export interface Tapped {
  userId: string;
  pid: number;
  direction: 'to' | 'from';
  text: string;
  type: string;
}

export interface LifecycleFixture {
  db: TestDatabase;
  sim: VenueSim;
  mgr: RunningBotManager;
  users: Array<{ id: string; keys: TestKeys }>;
  tapped: Tapped[];
  logLines: Array<Record<string, unknown>>;
  pidOf(userId: string): number | undefined;
  /** The user's runner once it is running and its status row names it. */
  runningPid(userId: string): Promise<number>;
  newPid(userId: string, old: number, what: string): Promise<number>;
  registryText(): Promise<string>;
  /** GET /metrics over HTTP. */
  scrape(): Promise<string>;
  /** Stops the manager (asserting no runner outlives it), the simulator and the database. */
  stop(): Promise<void>;
}

/** `setup` runs after the database exists and before the manager starts; what it returns is added to its options. */
export async function startLifecycleFixture(
  setup?: (db: TestDatabase) => Promise<Partial<BotManagerOptions>>,
): Promise<LifecycleFixture> {
  const [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  const users: Array<{ id: string; keys: TestKeys }> = [];
  for (let i = 0; i < 3; i++) users.push(await createUser(db));
  const extra = setup ? await setup(db) : {};
  const tapped: Tapped[] = [];
  const logLines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { name: 'lifecycle', level: 'warn', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    {
      write: (line: string) => {
        process.stdout.write(line);
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const mgr = await startBotManager({
    databaseUrl: await managerLoginUrl(db),
    venueUrls: venueUrlsOf(sim),
    logger,
    logLevel: 'warn',
    heartbeatMs: 200,
    statusWriteMs: 200,
    heartbeatTimeoutMs: 5000,
    crashBackoffBaseMs: 100,
    maxCrashes: 3,
    listenBackoffBaseMs: LISTEN_BACKOFF_BASE_MS,
    reconcileIntervalMs: 3_600_000,
    memoryCheckMs: 200,
    ipcTap: (e) => {
      const m = e.message as { type: string };
      tapped.push({
        userId: e.userId,
        pid: e.pid,
        direction: e.direction,
        text: JSON.stringify(e.message),
        type: m.type,
      });
    },
    ...extra,
  });
  const pidOf = (userId: string): number | undefined => mgr.manager.runners().find((r) => r.userId === userId)?.pid;
  const runningPid = (userId: string): Promise<number> =>
    until(
      async () => {
        const s = await statusOf(db.sql, userId);
        const pid = pidOf(userId);
        return s.state === 'running' && pid !== undefined && s.pid === pid ? pid : null;
      },
      `runner of ${userId} running`,
      60_000,
    );
  return {
    db,
    sim,
    mgr,
    users,
    tapped,
    logLines,
    pidOf,
    runningPid,
    newPid: (userId, old, what) =>
      until(
        async () => {
          const p = await runningPid(userId);
          return p !== old ? p : null;
        },
        what,
        60_000,
      ),
    registryText: () => mgr.metrics.registry.metrics(),
    scrape: async () => {
      const res = await fetch(`http://127.0.0.1:${mgr.httpPort}/metrics`);
      expect(res.status).toBe(200);
      return res.text();
    },
    stop: async () => {
      const pids = mgr.manager.runners().map((r) => r.pid);
      await mgr.stop();
      for (const pid of pids) expect(alive(pid)).toBe(false);
      await Promise.allSettled([sim.close(), db.stop()]);
    },
  };
}

/**
 * Registers the suite's beforeAll (startLifecycleFixture with `setup`) and afterAll (its stop) and returns the fixture,
 * read through once beforeAll has run: fields and methods may be taken at module level.
 */
export function useLifecycleFixture(
  setup?: (db: TestDatabase) => Promise<Partial<BotManagerOptions>>,
): LifecycleFixture {
  let f: LifecycleFixture | undefined;
  beforeAll(async () => {
    f = await startLifecycleFixture(setup);
  });
  afterAll(async () => {
    await f?.stop();
  });
  const started = (): LifecycleFixture => {
    if (!f) throw new Error('the lifecycle fixture is not up (used before beforeAll)');
    return f;
  };
  return {
    get db() {
      return started().db;
    },
    get sim() {
      return started().sim;
    },
    get mgr() {
      return started().mgr;
    },
    get users() {
      return started().users;
    },
    get tapped() {
      return started().tapped;
    },
    get logLines() {
      return started().logLines;
    },
    pidOf: (userId) => started().pidOf(userId),
    runningPid: (userId) => started().runningPid(userId),
    newPid: (userId, old, what) => started().newPid(userId, old, what),
    registryText: () => started().registryText(),
    scrape: () => started().scrape(),
    stop: () => started().stop(),
  };
}

/** One sample of a Prometheus text exposition (`name{labels} value`); 0 when the series is absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length);
    if (Object.entries(labels).some(([k, v]) => !body.includes(`${k}="${v}"`))) continue;
    return Number(body.slice(body.lastIndexOf(' ') + 1));
  }
  return 0;
}
