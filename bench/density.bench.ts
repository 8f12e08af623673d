// Density: N paper runners on arb-rich. Run from the repo root:
//   npx tsx bench/density.bench.ts [N,N,...=10,50,100,200] [steadySeconds=15]
// Per N: memory per runner (PSS from /proc/<pid>/smaps_rollup, RSS as well), manager CPU over a steady window
// (% of one core), start-up time of all N, and book-update-to-decision p99 as reported by the runners
// (hub receive in the manager → strategy evaluated in the runner, across the IPC hop).
import { readFileSync } from 'node:fs';
import { startBotManager } from '../apps/bot-manager/src/index.ts';
import { createLogger } from '../apps/bot-manager/src/shared/log.ts';
import { createTestDatabase, createUser, startSim, venueUrlsOf } from '../apps/bot-manager/test/harness.ts';

const sizes = (process.argv[2] ?? '10,50,100,200').split(',').map(Number);
const steadyMs = Number(process.argv[3] ?? 15) * 1000;

function smaps(pid: number): { pss: number; rss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { pss: kb('Pss'), rss: kb('Rss') };
  } catch {
    return { pss: 0, rss: 0 };
  }
}
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
};

async function main(): Promise<void> {
  const [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  const users: string[] = [];
  console.log('N    start(s)  PSS/runner(MB)  RSS/runner(MB)  manager CPU(% core)  manager RSS(MB)  decision p99 ms (median / max over runners)  decisions');
  for (const n of sizes) {
    while (users.length < n) users.push((await createUser(db)).id);
    const p99: Map<number, { p99: number | null; decisions: number }> = new Map();
    const t0 = performance.now();
    const running = await startBotManager({
      databaseUrl: db.url, venueUrls: venueUrlsOf(sim), logger: createLogger('bench', 'error'), logLevel: 'error',
      heartbeatMs: 1000, statusWriteMs: 5000, runnerMemoryMb: 128, startTimeoutMs: 600_000,
      ipcTap: (e) => {
        const msg = e.message as { type: string; stats?: { decisionP99Ms: number | null; decisions: number } };
        if (msg.type === 'heartbeat' && msg.stats) p99.set(e.pid, { p99: msg.stats.decisionP99Ms, decisions: msg.stats.decisions });
      },
    });
    while (p99.size < n) await new Promise((r) => setTimeout(r, 200));
    const startS = (performance.now() - t0) / 1000;
    p99.clear();
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, steadyMs));
    const cpu = process.cpuUsage(cpu0);
    const cpuPct = ((cpu.user + cpu.system) / 1000 / (performance.now() - w0)) * 100;
    const mem = running.manager.runners().map((r) => smaps(r.pid));
    const pssMb = mem.reduce((a, b) => a + b.pss, 0) / mem.length / 1024;
    const rssMb = mem.reduce((a, b) => a + b.rss, 0) / mem.length / 1024;
    const p99s = [...p99.values()].map((v) => v.p99).filter((v): v is number => v !== null);
    const decisions = [...p99.values()].reduce((a, b) => a + b.decisions, 0);
    const managerRss = process.memoryUsage().rss / 1024 / 1024;
    console.log(`${String(n).padEnd(5)}${startS.toFixed(1).padEnd(10)}${pssMb.toFixed(1).padEnd(16)}${rssMb.toFixed(1).padEnd(16)}${cpuPct.toFixed(1).padEnd(21)}${managerRss.toFixed(0).padEnd(17)}${pct(p99s, 0.5)} / ${Math.max(...p99s)}`.padEnd(150) + String(decisions));
    await running.stop();
  }
  await Promise.allSettled([sim.close(), db.stop()]);
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
