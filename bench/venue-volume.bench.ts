// Venue request volume vs users. Run from the repo root:
//   npx tsx bench/venue-volume.bench.ts [users=1,100] [windowSeconds=20]
// Every HTTP request to the simulated venues (Polymarket CLOB/Gamma, Kalshi REST, polled without a platform key) goes
// through a counting proxy; WebSocket connections and subscriptions come from the simulator's own stats. All users
// follow the same markets (arb-rich, paper mode). Requests are split into public market data (what should not grow
// with users) and private per-user requests (the manager checking each user's keys once, which must).
import { createLogger, startBotManager } from '@polybot/bot-manager';
import { startVenueSim } from '@polybot/local-stack/venue-sim';
import {
  createTestDatabase,
  createUser,
  managerLoginUrl,
  startCountingProxy,
  venueUrlsOf,
} from '@polybot/bot-manager/testing';
import { runMain } from './run-main.ts';

const sizes = (process.argv[2] ?? '1,100').split(',').map(Number);
const windowMs = Number(process.argv[3] ?? 20) * 1000;

// Authenticated endpoints: Polymarket L1/L2 key checks and balances, Kalshi's portfolio.
const PRIVATE = /^(GET|POST) (\/auth\/|\/balance-allowance|\/trade-api\/v2\/portfolio\/)/;
const isPrivate = (r: string): boolean => PRIVATE.test(r);

async function main(): Promise<void> {
  const [db, sim] = await Promise.all([createTestDatabase(), startVenueSim({ scenario: 'arb-rich', port: 0 })]);
  const proxy = await startCountingProxy(sim.origin);
  const direct = venueUrlsOf(sim);
  const users: string[] = [];
  const results: Array<{ n: number; startup: number; perSec: number; ws: unknown }> = [];
  const kalshiPath = new URL(direct.kalshiApi ?? `${sim.origin}/trade-api/v2`).pathname;
  for (const n of sizes) {
    while (users.length < n) users.push((await createUser(db)).id);
    const ready = new Set<number>();
    const before = proxy.requests.length;
    const running = await startBotManager({
      databaseUrl: await managerLoginUrl(db),
      venueUrls: {
        polymarketClob: proxy.origin,
        polymarketGamma: `${proxy.origin}/gamma`,
        polymarketWs: direct.polymarketWs,
        kalshiApi: `${proxy.origin}${kalshiPath}`,
      },
      logger: createLogger('bench', 'error'),
      logLevel: 'error',
      heartbeatMs: 1000,
      runnerMemoryMb: 128,
      startTimeoutMs: 600_000,
      ipcTap: (e) => {
        if ((e.message as { type: string }).type === 'heartbeat') ready.add(e.pid);
      },
    });
    while (ready.size < n) await new Promise((r) => setTimeout(r, 200));
    const startupAll = proxy.requests.slice(before);
    const startup = startupAll.filter((r) => !isPrivate(r)).length;
    const privateStartup = startupAll.length - startup;
    const w0 = proxy.requests.length;
    await new Promise((r) => setTimeout(r, windowMs));
    const window = proxy.requests.slice(w0);
    const perSec = window.filter((r) => !isPrivate(r)).length / (windowMs / 1000);
    const privatePerSec = window.filter(isPrivate).length / (windowMs / 1000);
    const stats = (await (await fetch(`${sim.origin}/_sim/stats`)).json()) as {
      venues: { polymarket: { connections?: number; totalSubscriptions?: number; messagesSent?: number } };
    };
    const ws = stats.venues.polymarket;
    results.push({ n, startup, perSec, ws });
    console.log(
      `users=${n}: public HTTP requests during start-up ${startup}, steady ${perSec.toFixed(2)}/s; private (key checks) ${privateStartup} at start-up, ${privatePerSec.toFixed(2)}/s steady; Polymarket WS connections ${ws.connections ?? '?'}, book subscriptions ${ws.totalSubscriptions ?? '?'}, WS messages sent so far ${ws.messagesSent ?? '?'}`,
    );
    await running.stop();
  }
  const [a, b] = results;
  if (a && b)
    console.log(
      `ratio ${b.n} users / ${a.n} user: public start-up requests ${(b.startup / Math.max(1, a.startup)).toFixed(2)}x, public steady requests/s ${(b.perSec / Math.max(1e-9, a.perSec)).toFixed(2)}x`,
    );
  await proxy.close();
  await Promise.allSettled([sim.close(), db.stop()]);
}

runMain(main);
