// Venue request volume vs users. Run from the repo root:
//   npx tsx bench/venue-volume.bench.ts [users=1,100] [windowSeconds=20]
// Every HTTP request to the simulated venue goes through a counting proxy; WebSocket connections and subscriptions
// come from the simulator's own stats. All users follow the same markets (arb-rich, paper mode).
import { startBotManager } from '../apps/bot-manager/src/index.ts';
import { createLogger } from '../apps/bot-manager/src/shared/log.ts';
import { createTestDatabase, createUser, startCountingProxy, startSim, venueUrlsOf } from '../apps/bot-manager/test/harness.ts';

const sizes = (process.argv[2] ?? '1,100').split(',').map(Number);
const windowMs = Number(process.argv[3] ?? 20) * 1000;

async function main(): Promise<void> {
  const [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  const proxy = await startCountingProxy(sim.origin);
  const direct = venueUrlsOf(sim);
  const users: string[] = [];
  const results: Array<{ n: number; startup: number; perSec: number; ws: unknown }> = [];
  for (const n of sizes) {
    while (users.length < n) users.push((await createUser(db)).id);
    const ready = new Set<number>();
    const before = proxy.requests.length;
    const running = await startBotManager({
      databaseUrl: db.url, venueUrls: { polymarketClob: proxy.origin, polymarketGamma: `${proxy.origin}/gamma`, polymarketWs: direct.polymarketWs },
      logger: createLogger('bench', 'error'), logLevel: 'error', heartbeatMs: 1000, runnerMemoryMb: 128, startTimeoutMs: 600_000,
      ipcTap: (e) => {
        if ((e.message as { type: string }).type === 'heartbeat') ready.add(e.pid);
      },
    });
    while (ready.size < n) await new Promise((r) => setTimeout(r, 200));
    const startup = proxy.requests.length - before;
    const w0 = proxy.requests.length;
    await new Promise((r) => setTimeout(r, windowMs));
    const perSec = (proxy.requests.length - w0) / (windowMs / 1000);
    const stats = (await (await fetch(`${sim.origin}/_sim/stats`)).json()) as { venues: { polymarket: { connections?: number; totalSubscriptions?: number; messagesSent?: number } } };
    const ws = stats.venues.polymarket;
    results.push({ n, startup, perSec, ws });
    console.log(`users=${n}: HTTP requests during start-up ${startup}, steady ${perSec.toFixed(2)}/s; WS connections ${ws.connections ?? '?'}, book subscriptions ${ws.totalSubscriptions ?? '?'}, WS messages sent so far ${ws.messagesSent ?? '?'}`);
    await running.stop();
  }
  const [a, b] = results;
  if (a && b) console.log(`ratio ${b.n} users / ${a.n} user: start-up requests ${(b.startup / Math.max(1, a.startup)).toFixed(2)}x, steady ${(b.perSec / Math.max(1e-9, a.perSec)).toFixed(2)}x`);
  await proxy.close();
  await Promise.allSettled([sim.close(), db.stop()]);
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
