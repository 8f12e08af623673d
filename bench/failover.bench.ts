// Failover of many managers (issue 15). Run from the repo root:
//   npx tsx bench/failover.bench.ts [managers=3] [usersPerManager=100] [kills=20] [steadySeconds=20] [profile=fast]
// Real manager processes (the CLI) on one database, paper users on arb-rich. Profiles: `fast` (LEASE_TTL_MS 3000,
// LEASE_RENEW_MS 500, LEASE_SAFETY_MS 1000), `test` (the tests' 8000, 1000, 4000: test/lease-timing.ts) — both with
// the tests' 200 ms heartbeats and status writes — or `production` (alias `default`): every timing at the
// manager's defaults (leases 15000, 3000, 5000; runner heartbeat 1000 ms, status row every 5000 ms), the profile to
// quote for a deployment. Measured from outside (the cluster harness of
// apps/bot-manager/test/cluster: runners in /proc, the managers' 'runner forked' lines, status rows, lease rows):
// - coordination queries per second at steady state: the sum over managers of `polybot_coordination_queries_total`
//   (their /metrics) over `steadySeconds`, all users running and nothing moving;
// - failover: kill -9 one manager (round robin) → every one of its users has exactly one runner, on a survivor, with
//   a running status row naming it; also when the dead lease expired in the database and when the first of its users
//   ran elsewhere; then the killed manager is started again and the bench waits until every user is back where
//   rendezvous puts it (the rebalance);
// - users moved per event (kill: the dead one's users; restart: the ones it takes back) against the ideal
//   users / managers. Never two runners of one user at once is checked over the whole run, as in the tests.
import {
  FAST_LEASES,
  TEST_LEASE_ENV,
  currentLease,
  leaseOf,
  loadOf,
  movesBetween,
  startClusterStack,
  usersOf,
} from '@polybot/bot-manager/cluster';
import { runMain } from './run-main.ts';
import { pct } from './stats.ts';

const [managerN = 3, perManager = 100, kills = 20, steadySeconds = 20] = process.argv.slice(2, 6).map(Number);
const LEASES: Record<string, Record<string, string>> = {
  fast: FAST_LEASES,
  test: TEST_LEASE_ENV,
  production: {
    LEASE_TTL_MS: '15000',
    LEASE_RENEW_MS: '3000',
    LEASE_SAFETY_MS: '5000',
    HEARTBEAT_MS: '1000',
    STATUS_WRITE_MS: '5000',
  },
};
const profile = process.argv[6] === 'default' ? 'production' : (process.argv[6] ?? 'fast');
const leases = LEASES[profile];
if (!leases) throw new Error(`unknown profile ${profile}: one of ${Object.keys(LEASES).join(', ')}, default`);
const ms = (xs: number[]): string =>
  `p50 ${pct(xs, 0.5).toFixed(0)} ms, p99 ${pct(xs, 0.99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;
const counts = (xs: number[]): string =>
  `mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)}, min ${Math.min(...xs)}, max ${Math.max(...xs)}`;

async function coordinationQueries(urls: string[]): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n'))
      if (line.startsWith('polybot_coordination_queries_total')) total += Number(line.split(' ').at(-1));
  }
  return total;
}

async function main(): Promise<void> {
  const ids = Array.from({ length: managerN }, (_, i) => `m${i + 1}`);
  const users = managerN * perManager;
  console.log(
    `${managerN} managers × ${perManager} users (${users} paper users), ${kills} kills, ${profile}: ${JSON.stringify(leases)}`,
  );
  const stack = await startClusterStack({ users, live: 0, env: leases, progress: (line) => console.log(line) });
  // Ctrl-C (or a SIGTERM) mid-run: the managers die with the bench, not 50 minutes later on a database that is gone.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      const killed = stack.cluster.killAllNow();
      console.error(`${signal}: killed ${killed.length} manager(s); stopping the database and the simulator`);
      void stack.close().finally(() => process.exit(130));
    });
  try {
    stack.observer.start(250);
    const t0 = Date.now();
    for (const id of ids) stack.cluster.start(id);
    let assignment = await stack.converge(ids, 600_000);
    console.log(
      `all ${users} running after ${((Date.now() - t0) / 1000).toFixed(1)} s; load ${JSON.stringify(loadOf(assignment))}`,
    );

    const metrics = ids.map((id) => stack.cluster.get(id).metricsUrl() ?? '');
    const q0 = await coordinationQueries(metrics);
    const s0 = Date.now();
    await new Promise((r) => setTimeout(r, steadySeconds * 1000));
    const qps = (await coordinationQueries(metrics)) - q0;
    const rate = qps / ((Date.now() - s0) / 1000);
    console.log(
      `coordination queries at steady state: ${rate.toFixed(1)}/s for ${managerN} managers (${(rate / managerN).toFixed(1)}/s each)`,
    );

    const failover: number[] = [];
    const firstElsewhere: number[] = [];
    const expiryAfterKill: number[] = [];
    const rebalance: number[] = [];
    const movedOnKill: number[] = [];
    const movedOnRestart: number[] = [];
    let extraMoves = 0;
    const failed: string[] = [];
    /** A manager that exited by itself (not one we killed) is started again, and counted. */
    const restartExited = (): void => {
      for (const id of ids) {
        const m = stack.cluster.managers.get(id);
        // Killed in a cycle that was not measured (so not restarted there): started again, nothing to count.
        if (!m) stack.cluster.start(id);
        else if (m.exited) {
          failed.push(`${id} had exited by itself (log: ${m.logFile})`);
          stack.cluster.start(id);
        }
      }
    };
    for (let k = 0; k < kills; k++) {
      restartExited();
      assignment = await stack.converge(ids, 600_000);
      const victim = ids[k % ids.length] ?? 'm1';
      const lease = await currentLease(stack.db.superuser, victim);
      const theirs = usersOf(assignment, victim);
      const killedAt = Date.now();
      await stack.cluster.kill9(victim);
      const survivors = ids.filter((id) => id !== victim);
      console.log(
        `kill ${k + 1}/${kills}: ${victim} (${theirs.length} users) killed at ${new Date(killedAt).toISOString()}`,
      );
      const after = await stack.converge(survivors, 300_000).catch((e: unknown) => {
        failed.push(`kill ${k + 1}: ${String(e)}`);
        console.log(`  kill ${k + 1} not measured: ${String(e)}`);
        return null;
      });
      if (!after) continue;
      failover.push(Date.now() - killedAt);
      const moves = movesBetween(assignment, after);
      movedOnKill.push(moves.length);
      extraMoves += moves.filter((m) => m.from !== victim).length;
      const forks = stack.observer
        .alive()
        .filter((r) => r.fork && theirs.includes(r.fork.userId))
        .map((r) => r.fork?.atMs ?? 0);
      firstElsewhere.push(Math.min(...forks) - killedAt);
      const final = lease ? await leaseOf(stack.db.superuser, lease.token) : null;
      if (final) expiryAfterKill.push(final.expiresAt.getTime() - killedAt);

      const restartedAt = Date.now();
      stack.cluster.start(victim);
      const back = await stack.converge(ids, 300_000).catch((e: unknown) => {
        failed.push(`restart ${k + 1}: ${String(e)}`);
        console.log(`  restart ${k + 1} not measured: ${String(e)}`);
        return null;
      });
      if (!back) continue;
      rebalance.push(Date.now() - restartedAt);
      const returned = movesBetween(after, back);
      movedOnRestart.push(returned.length);
      extraMoves += returned.filter((m) => m.to !== victim).length;
      assignment = back;
      console.log(
        `  all elsewhere after ${failover.at(-1)} ms (${moves.length} moved), ` +
          `rebalanced after ${rebalance.at(-1)} ms (${returned.length} moved back)`,
      );
    }

    const overlaps = stack.observer.overlaps();
    console.log('');
    console.log(`failover (kill -9 → all its users running elsewhere): ${ms(failover)}`);
    console.log(`  the dead lease expired (database) after the kill:   ${ms(expiryAfterKill)}`);
    console.log(`  first of its users running elsewhere:               ${ms(firstElsewhere)}`);
    console.log(`rebalance (restart → every user back in place):       ${ms(rebalance)}`);
    console.log(`users moved per kill:    ${counts(movedOnKill)} (ideal ${(users / managerN).toFixed(1)})`);
    console.log(`users moved per restart: ${counts(movedOnRestart)} (ideal ${(users / managerN).toFixed(1)})`);
    console.log(`moves not to/from the killed manager: ${extraMoves}`);
    console.log(`cycles not measured: ${failed.length}${failed.map((f) => `\n  ${f}`).join('')}`);
    console.log(`runner spans seen: ${stack.observer.runs.size}; two runners of one user at once: ${overlaps.length}`);
    if (overlaps.length > 0) throw new Error(`double runners: ${JSON.stringify(overlaps.slice(0, 5))}`);
  } finally {
    await stack.close();
  }
}

runMain(main);
