// Density: N paper runners on arb-rich. Run from the repo root:
//   npx tsx bench/density.bench.ts [N,N,...=10,50,100,200] [steadySeconds=15] [bookChangesPerSecond=10]
// Per N: memory per runner (PSS from /proc/<pid>/smaps_rollup, RSS as well), start-up time of all N, manager CPU
// over a steady window (% of one core), and book-update-to-decision p99 as reported by the runners (hub receive in
// the manager → strategy evaluated in the runner, across the IPC hop), twice:
// - start-up burst: read right after all N are up, when the runners' 60 s window holds their snapshot burst;
// - steady state: arb-rich sends almost no book changes once its snapshots are out, so the bench drives
//   `bookChangesPerSecond` changes itself (a deep bid level at 0.001, which moves no opportunity, toggled through the
//   simulator's set-level control, round-robin over ten instruments), waits until the runners' window no longer
//   reaches back to start-up, then measures over `steadySeconds`; each runner's p99 then covers only driven
//   steady-state decisions.
import { readFileSync } from 'node:fs';
import { createLogger, LATENCY_WINDOW_MS, startBotManager } from '@polybot/bot-manager';
import {
  createTestDatabase,
  createUser,
  managerLoginUrl,
  startSim,
  venueUrlsOf,
  type VenueSim,
} from '@polybot/bot-manager/testing';
import { runMain } from './run-main.ts';
import { pct } from './stats.ts';

const sizes = (process.argv[2] ?? '10,50,100,200').split(',').map(Number);
const steadyMs = Number(process.argv[3] ?? 15) * 1000;
const changesPerSecond = Number(process.argv[4] ?? 10);

function smaps(pid: number): { pss: number; rss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { pss: kb('Pss'), rss: kb('Rss') };
  } catch {
    return { pss: 0, rss: 0 };
  }
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Beat {
  p99: number | null;
  decisions: number;
}

/** "median / max" of the runners' p99s, and how many runners had no decision in their window. */
function p99Summary(beats: Iterable<Beat>): string {
  const all = [...beats];
  const p99s = all.map((b) => b.p99).filter((v): v is number => v !== null);
  const none = all.length - p99s.length;
  return `${pct(p99s, 0.5)} / ${Math.max(...p99s)}${none > 0 ? ` (${none} without decisions)` : ''}`;
}

/** Book changes at a steady rate: a deep bid level toggled between two sizes, never the top of any book. */
function driveBookChanges(sim: VenueSim, tokens: string[], perSecond: number): () => void {
  let k = 0;
  const timer = setInterval(() => {
    const tokenId = tokens[k % tokens.length] ?? '';
    const size = 1 + (Math.floor(k / tokens.length) % 2);
    k++;
    void fetch(`${sim.origin}/_sim/polymarket/set-level`, {
      method: 'POST',
      body: JSON.stringify({ tokenId, side: 'bid', price: 0.001, size }),
    }).then((r) => r.arrayBuffer());
  }, 1000 / perSecond);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  const [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  const users: string[] = [];
  console.log(
    `steady: ${changesPerSecond} book changes/s, window ${steadyMs / 1000} s after ${LATENCY_WINDOW_MS / 1000} s of warm-up`,
  );
  console.log(
    'N    start(s)  PSS/runner(MB)  RSS/runner(MB)  manager CPU(% core)  manager RSS(MB)  p99 start-up burst (median / max)  p99 steady (median / max)  steady decisions/s',
  );
  for (const n of sizes) {
    while (users.length < n) users.push((await createUser(db)).id);
    const beats = new Map<number, Beat>();
    let tokens: string[] = [];
    const t0 = performance.now();
    const running = await startBotManager({
      databaseUrl: await managerLoginUrl(db),
      venueUrls: venueUrlsOf(sim),
      logger: createLogger('bench', 'error'),
      logLevel: 'error',
      heartbeatMs: 1000,
      statusWriteMs: 5000,
      runnerMemoryMb: 128,
      startTimeoutMs: 600_000,
      ipcTap: (e) => {
        const msg = e.message as {
          type: string;
          stats?: { decisionP99Ms: number | null; decisions: number };
          instruments?: Array<{ venue: string; instrumentId: string }>;
        };
        if (msg.type === 'heartbeat' && msg.stats)
          beats.set(e.pid, { p99: msg.stats.decisionP99Ms, decisions: msg.stats.decisions });
        if (msg.type === 'init' && tokens.length === 0)
          tokens = (msg.instruments ?? [])
            .filter((i) => i.venue === 'polymarket')
            .slice(0, 10)
            .map((i) => i.instrumentId);
      },
    });
    while (beats.size < n) await sleep(200);
    const allUp = performance.now();
    const startS = (allUp - t0) / 1000;
    // Two heartbeats later every runner has reported its snapshot burst.
    await sleep(2000);
    const burst = p99Summary(beats.values());

    const stopDriving = driveBookChanges(sim, tokens, changesPerSecond);
    await sleep(Math.max(0, allUp + LATENCY_WINDOW_MS + 5000 - performance.now()));
    const decisions0 = [...beats.values()].reduce((a, b) => a + b.decisions, 0);
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await sleep(steadyMs);
    const cpu = process.cpuUsage(cpu0);
    const windowMs = performance.now() - w0;
    const cpuPct = ((cpu.user + cpu.system) / 1000 / windowMs) * 100;
    const steady = p99Summary(beats.values());
    const decisionsPerS = ([...beats.values()].reduce((a, b) => a + b.decisions, 0) - decisions0) / (windowMs / 1000);
    stopDriving();

    const mem = running.manager.runners().map((r) => smaps(r.pid));
    const pssMb = mem.reduce((a, b) => a + b.pss, 0) / mem.length / 1024;
    const rssMb = mem.reduce((a, b) => a + b.rss, 0) / mem.length / 1024;
    const managerRss = process.memoryUsage().rss / 1024 / 1024;
    console.log(
      `${String(n).padEnd(5)}${startS.toFixed(1).padEnd(10)}${pssMb.toFixed(1).padEnd(16)}${rssMb.toFixed(1).padEnd(16)}${cpuPct.toFixed(1).padEnd(21)}` +
        `${managerRss.toFixed(0).padEnd(17)}${burst.padEnd(35)}${steady.padEnd(27)}${decisionsPerS.toFixed(0)}`,
    );
    await running.stop();
  }
  await Promise.allSettled([sim.close(), db.stop()]);
}

runMain(main);
