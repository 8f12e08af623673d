// The whole multi-manager world, without any test framework (the failover bench uses it too, through the
// `@polybot/bot-manager/cluster` subpath): one embedded Postgres, the venue simulator behind a tap that attributes
// every CLOB request to the process that sent it, users (most paper, some live on the simulator so that their orders
// reach the venue), the managers, and the observers.
import {
  createTestDatabase,
  createUser,
  managerLoginUrl,
  saveKeys,
  startSim,
  until,
  venueUrlsOf,
  walletKeys,
  type TestDatabase,
  type VenueSim,
} from '../harness.ts';
import { ARB_FEATURES, planUser } from '../plan-users.ts';
import { installLoginRefusal, type LoginRefusal } from './login-refusal.ts';
import { Cluster } from './managers.ts';
import { converged, expectedAssignment, RunnerObserver, userShards } from './observer.ts';
import { overlappingRunners, spansOf, type Overlap } from './overlap.ts';
import { startVenueTap, type VenueTap } from './venue-tap.ts';

export interface ClusterStackOptions {
  /** Users in all (paper unless among the live ones). */
  users: number;
  /** How many of them trade live on the simulator (their orders and heartbeats are the venue's per-key log). */
  live: number;
  /** Extra environment for every manager. */
  env?: Record<string, string>;
  /**
   * Told every `progressMs` while a converge waits, why it still does (the bench prints it: a stalled cycle says what
   * it is waiting for, not only that it timed out).
   */
  progress?: (line: string) => void;
  progressMs?: number;
}

export interface ClusterStack {
  db: TestDatabase;
  sim: VenueSim;
  tap: VenueTap;
  cluster: Cluster;
  observer: RunnerObserver;
  refusal: LoginRefusal;
  users: string[];
  /** API key → live user. */
  liveKeys: Map<string, string>;
  /** Until every user runs exactly once, on the manager that wins its shard among `managers` (rendezvous), with a
   * status row that says so; resolves with user → manager. */
  converge(managers: readonly string[], timeoutMs?: number): Promise<Map<string, string>>;
  /** Two runners of one user sending requests with the user's key at overlapping times, ever (the venue's log). */
  venueOverlaps(): Overlap[];
  /** Live users' requests the venue received from runner processes (not the managers' key checks). */
  runnerRequests(): Array<{ userId: string; pid: number; atMs: number; path: string; method: string }>;
  /** Plants a fresh arbitrage at the simulator now and then, so live runners send orders. */
  plantArbEvery(ms: number): () => void;
  close(): Promise<void>;
}

// arb-rich's BTC Up/Down market (asks 0.47 / 0.48 in the scenario).
const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';
const BTC_DOWN = '22943400237250229318795315882775337816951160275867284205243766113690886285726';

async function liveUser(db: TestDatabase, sim: VenueSim): Promise<{ id: string; apiKey: string }> {
  const keys = await walletKeys(sim);
  // As test/process.test.ts's live user: small orders, limits that the test's planted baskets never reach.
  const u = await createUser(db, {
    config: { dry_run: false, max_trade_size_usd: 10, max_daily_loss_usd: 100_000 },
    profile: { live_trading_allowed: true, monthly_trade_limit: 100_000, max_daily_loss_usd: 100_000 },
  });
  await saveKeys(db.sql, u.id, keys, false);
  return { id: u.id, apiKey: keys.apiKey };
}

export async function startClusterStack(o: ClusterStackOptions): Promise<ClusterStack> {
  const [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  const managerUrl = await managerLoginUrl(db);
  // The processes the tap looks at first when it attributes a connection (set once the cluster exists).
  const likely = { pids: (): number[] => [] };
  const tap = await startVenueTap(sim.origin, () => likely.pids());
  const cluster = new Cluster({
    managerUrl,
    venueUrls: { ...venueUrlsOf(sim), polymarketClob: tap.origin },
    env: o.env ?? {},
  });
  const observer = new RunnerObserver(cluster);
  likely.pids = () => [...observer.alive().map((r) => r.pid), ...cluster.pids()];
  const refusal = await installLoginRefusal(db.superuser);
  const users: string[] = [];
  const liveKeys = new Map<string, string>();
  for (let i = 0; i < o.live; i++) {
    const u = await liveUser(db, sim);
    users.push(u.id);
    liveKeys.set(u.apiKey, u.id);
  }
  // A monthly trade limit no run reaches: a user at its limit is stopped (limit_reached), which is not what these
  // observers are about.
  while (users.length < o.users)
    users.push(await planUser(db, ARB_FEATURES, { profile: { monthly_trade_limit: 1_000_000 } }));

  let shards: Map<string, number> | undefined;
  const runnerRequests: ClusterStack['runnerRequests'] = () =>
    tap.requests.flatMap((r) => {
      const userId = r.apiKey ? liveKeys.get(r.apiKey) : undefined;
      // Only requests sent by a runner process (the managers' own key checks carry the key too).
      const fork = r.pid === null ? undefined : cluster.forkOf(r.pid, r.atMs + 10_000);
      return userId && r.pid !== null && fork?.userId === userId
        ? [{ userId, pid: r.pid, atMs: r.atMs, path: r.path, method: r.method }]
        : [];
    });

  return {
    db,
    sim,
    tap,
    cluster,
    observer,
    refusal,
    users,
    liveKeys,
    async converge(managers, timeoutMs = 180_000) {
      shards ??= await userShards(db.sql, users);
      const expected = expectedAssignment(shards, managers);
      const started = Date.now();
      let why = '';
      let toldAt = started;
      return until(
        async () => {
          const r = await converged(observer, db.sql, expected);
          if ('assignment' in r) return r.assignment;
          why = r.why;
          if (o.progress && Date.now() - toldAt >= (o.progressMs ?? 15_000)) {
            toldAt = Date.now();
            o.progress(
              `  still converging on ${managers.join(', ')} after ${((toldAt - started) / 1000).toFixed(0)} s: ${why}`,
            );
          }
          return null;
        },
        `every user runs exactly once on ${managers.join(', ')}`,
        timeoutMs,
      ).catch((e: unknown) => {
        throw new Error(`${String(e)} — last: ${why}`);
      });
    },
    venueOverlaps() {
      // A runner is its pid with the fork that made it (pids are reused over a long run).
      return overlappingRunners(
        spansOf(
          runnerRequests().map((r) => ({
            userId: r.userId,
            runner: `${r.pid}@${cluster.forkOf(r.pid, r.atMs + 10_000)?.atMs ?? 0}`,
            atMs: r.atMs,
          })),
        ),
      );
    },
    runnerRequests,
    plantArbEvery(ms) {
      let i = 0;
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        i++;
        // Up cheaper or dearer each time within 0.30..0.39 against Down at 0.45: a new opportunity each time.
        const up = 0.3 + (i % 10) / 100;
        Promise.all(
          (
            [
              [BTC_UP, up],
              [BTC_DOWN, 0.45],
            ] as const
          ).map(([tokenId, price]) =>
            fetch(`${sim.origin}/_sim/polymarket/set-level`, {
              method: 'POST',
              body: JSON.stringify({ tokenId, side: 'ask', price, size: 30 }),
            }),
          ),
        )
          .catch(() => undefined)
          .finally(() => (busy = false));
      }, ms);
      return () => clearInterval(timer);
    },
    async close() {
      observer.stop();
      await cluster.stopAll();
      await refusal.remove().catch(() => undefined);
      await Promise.allSettled([tap.close(), sim.close(), db.stop()]);
    },
  };
}

// What the failover bench reads besides the stack (one subpath for all of it).
export { FAST_LEASES } from './managers.ts';
export { TEST_LEASE_ENV } from '../lease-timing.ts';
export { loadOf, movesBetween, usersOf } from './moves.ts';
export { currentLease, leaseOf } from './observer.ts';
