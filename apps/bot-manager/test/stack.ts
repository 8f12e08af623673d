// The stack a bot-manager suite runs against, set up once per file: a throwaway database, the venue simulator, an
// optional counting proxy in front of it, and the managers the suite starts (each stopped after all, then the proxy,
// simulator and database). The suites differ in the simulator, the venue URLs and the manager's options: those are
// parameters; everything they share lives here once.
import { TEST_LEASES } from './lease-timing.ts';
import { createDb, type Db } from '@polybot/db';
import { afterAll, beforeAll } from 'vitest';
import { startBotManager, type BotManagerOptions, type RunningBotManager } from '../src/index.ts';
import type { VenueUrls } from '../src/shared/ipc.ts';
import { createLogger } from '../src/shared/log.ts';
import {
  createTestDatabase,
  managerLoginUrl,
  startCountingProxy,
  startSim,
  venueUrlsOf,
  type CountingProxy,
  type TestDatabase,
  type VenueSim,
} from './harness.ts';

export interface StackOptions {
  /** The simulator to start; default: arb-rich, Polymarket only (startSim). */
  sim?: () => Promise<VenueSim>;
  /** Put a counting proxy in front of the simulator (the proxy's origin proxies sim.origin). */
  proxy?: boolean;
  /** The venue URLs managers get; default: the simulator's own (venueUrlsOf). */
  urls?: (sim: VenueSim, proxy: CountingProxy | undefined) => VenueUrls;
  /** Runs once the database and simulator are up, before any test. */
  setup?: (stack: { db: TestDatabase; sim: VenueSim }) => Promise<void>;
  /** The set-up hook's timeout, where a suite sets one (else the config's hookTimeout). */
  timeoutMs?: number;
}

export interface ManagerStack {
  readonly db: TestDatabase;
  readonly sim: VenueSim;
  /** Only with `proxy: true`. */
  readonly proxy: CountingProxy;
  readonly urls: VenueUrls;
  /** The manager's own login (polybot_manager), for managers a suite starts itself; seeding uses `db` (admin). */
  readonly managerUrl: string;
  /** A connection as the manager's login, for suites that drive a manager part (matcher, settlement) directly. */
  readonly managerSql: Db;
  /** Every manager `manager()` started (a test may stop one itself or pop it off); all stopped after all. */
  readonly managers: RunningBotManager[];
  /** Starts a manager on the stack's URLs, named `id` (its managerId and logger), plus `extra`. */
  manager(id: string, extra?: Partial<BotManagerOptions>): Promise<RunningBotManager>;
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`${what} is not up (used before beforeAll, or without asking for it)`);
  return v;
}

/**
 * What every manager of these suites is started with: the manager's login URL (`stack.managerUrl`), the stack's venue
 * URLs, warn logs, fast heartbeats, short leases.
 */
export function managerOptions(managerUrl: string, urls: VenueUrls, id: string): BotManagerOptions {
  return {
    databaseUrl: managerUrl,
    venueUrls: urls,
    logger: createLogger(id, 'warn'),
    logLevel: 'warn',
    managerId: id,
    heartbeatMs: 200,
    statusWriteMs: 200,
    // Test leases (lease-timing.ts): a suite that kills a manager and starts another waits ≤ 8 s for the old lease.
    leaseTtlMs: TEST_LEASES.ttlMs,
    leaseRenewMs: TEST_LEASES.renewMs,
    leaseSafetyMs: TEST_LEASES.safetyMs,
  };
}

/** Polymarket's CLOB and Gamma through the counting proxy (what the venue sees is recorded), its WebSocket direct. */
export function clobThroughProxy(sim: VenueSim, proxy: CountingProxy | undefined): VenueUrls {
  const origin = need(proxy, 'the counting proxy').origin;
  return { polymarketClob: origin, polymarketGamma: `${origin}/gamma`, polymarketWs: venueUrlsOf(sim).polymarketWs };
}

/** Registers the suite's beforeAll/afterAll for the stack and returns accessors, valid from beforeAll on. */
export function useManagerStack(o: StackOptions = {}): ManagerStack {
  let db: TestDatabase | undefined;
  let sim: VenueSim | undefined;
  let proxy: CountingProxy | undefined;
  let urls: VenueUrls | undefined;
  let managerUrl: string | undefined;
  let managerSql: Db | undefined;
  const managers: RunningBotManager[] = [];

  beforeAll(async () => {
    [db, sim] = await Promise.all([createTestDatabase(), (o.sim ?? startSim)()]);
    managerUrl = await managerLoginUrl(db);
    managerSql = createDb(managerUrl, { max: 2, applicationName: 'polybot-test-manager' });
    if (o.proxy) proxy = await startCountingProxy(sim.origin);
    urls = o.urls ? o.urls(sim, proxy) : venueUrlsOf(sim);
    await o.setup?.({ db, sim });
  }, o.timeoutMs);

  afterAll(async () => {
    await Promise.allSettled(managers.map((m) => m.stop()));
    await managerSql?.end({ timeout: 5 });
    await Promise.allSettled([proxy?.close(), sim?.close(), db?.stop()]);
  });

  return {
    get db() {
      return need(db, 'the database');
    },
    get sim() {
      return need(sim, 'the simulator');
    },
    get proxy() {
      return need(proxy, 'the counting proxy');
    },
    get urls() {
      return need(urls, 'the venue URLs');
    },
    get managerUrl() {
      return need(managerUrl, "the manager's login");
    },
    get managerSql() {
      return need(managerSql, "the manager's login");
    },
    managers,
    async manager(id, extra = {}) {
      const m = await startBotManager({
        ...managerOptions(need(managerUrl, "the manager's login"), need(urls, 'the URLs'), id),
        ...extra,
      });
      managers.push(m);
      return m;
    },
  };
}
