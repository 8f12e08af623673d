// The CPU budget of each runner (SECURITY.md §7.2): one tenant's runner may not take the cores its neighbours need.
// Every cpuWindowMs the manager reads each runner's CPU time (utime + stime from /proc/<pid>/stat) and compares what
// it used in the window with its budget (a share of one core):
//   - over budget: the runner is throttled — told over IPC to skip decisions for cpuThrottleMs (books are still stored,
//     heartbeats, venue heartbeats and reconciliation go on; what changed is priced when the throttle ends);
//   - over budget in cpuStopWindows windows with no unthrottled window under budget between them (a steady overload
//     the throttle does not cure, or a runner that ignores it): the bot is stopped with halt code `cpu_budget`, and it
//     stays stopped until the user changes something (bot-manager.ts).
// Why a message and not SIGSTOP/SIGCONT duty-cycling: a stopped process stops everything, not just the costly part —
// its venue heartbeats (a live Polymarket account's dead-man switch cancels every order after 10 s), its heartbeats to
// the manager (the silence watchdog), an order half sent. A runner's CPU goes to decisions (strategies and news rules
// priced on book updates), which skipping them removes; a runner that burns CPU elsewhere is not helped by the
// throttle and is stopped by the second step, which needs no cooperation (a stuck runner is killed after the grace).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.ts';
import type { RunnerProcess } from './runner-process.ts';
import { liveOf, type Slot } from './slot.ts';

export interface CpuBudgetOptions {
  /** CPU a runner may use, as a share of one core (0.5 = half a core), averaged over a window. */
  runnerCpuBudgetCores: number;
  /** The measurement window: how often each runner's CPU time is read. */
  cpuWindowMs: number;
  /** How long a runner over budget skips decisions. */
  cpuThrottleMs: number;
  /** Windows over budget (with no unthrottled window under budget between them) after which the bot is stopped. */
  cpuStopWindows: number;
}

export interface CpuWatch {
  opts: CpuBudgetOptions;
  log: Logger;
  metrics: Metrics;
  /** Stop this user's bot for good (until they change something), with these words for their status. */
  stop: (s: Slot, proc: RunnerProcess, reason: string) => void;
}

/** What the watch remembers of one runner process (dropped with the process). */
interface Track {
  cpuSeconds: number;
  at: number;
  strikes: number;
  throttledUntil: number;
  stopped: boolean;
}
const tracks = new WeakMap<RunnerProcess, Track>();

let ticksPerSecond: number | null = null;
/** The kernel's clock tick (USER_HZ, the unit of /proc/<pid>/stat's times): 100 on every common Linux; asked once. */
function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      ticksPerSecond = Number.isFinite(n) && n > 0 ? n : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) a process used so far; null where there is no /proc or the process is gone. */
export async function readCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]); // field 14
    const stime = Number(fields[12]); // field 15
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return (utime + stime) / clockTicks();
  } catch {
    return null;
  }
}

/** One measurement of every ready runner: throttle the ones over budget, stop the ones that stay over. */
export async function checkCpuBudgets(w: CpuWatch, slots: Iterable<Slot>, now = performance.now()): Promise<void> {
  const live = [...slots].flatMap((s) => {
    const state = liveOf(s.state);
    const proc = state?.proc;
    return proc && state.kind === 'running' && !proc.exited && !proc.stopRequested ? [{ s, proc }] : [];
  });
  await Promise.all(live.map(({ s, proc }) => checkOne(w, s, proc, now)));
}

async function checkOne(w: CpuWatch, s: Slot, proc: RunnerProcess, now: number): Promise<void> {
  const cpuSeconds = await readCpuSeconds(proc.pid);
  if (cpuSeconds === null || proc.exited || proc.stopRequested) return;
  const last = tracks.get(proc);
  if (!last) {
    // The first sight is the baseline: the start (loading, building its baskets) is not judged.
    tracks.set(proc, { cpuSeconds, at: now, strikes: 0, throttledUntil: 0, stopped: false });
    return;
  }
  const used = Math.max(0, cpuSeconds - last.cpuSeconds);
  const elapsed = (now - last.at) / 1000;
  last.cpuSeconds = cpuSeconds;
  last.at = now;
  w.metrics.runnerCpuSeconds.inc(used);
  if (elapsed <= 0 || last.stopped) return;
  const cores = used / elapsed;
  const budget = w.opts.runnerCpuBudgetCores;
  if (cores <= budget) {
    // Under budget without a throttle: the overload is over. Under budget while throttled proves nothing yet.
    if (now >= last.throttledUntil) last.strikes = 0;
    return;
  }
  last.strikes += 1;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (last.strikes >= w.opts.cpuStopWindows) {
    last.stopped = true;
    w.log.warn(
      { userId: s.userId, pid: proc.pid, cores: Number(cores.toFixed(2)), budget, strikes: last.strikes },
      'runner over its CPU budget for too long: stopping it',
    );
    w.metrics.cpuStops.inc();
    const seconds = Math.round((w.opts.cpuWindowMs * last.strikes) / 1000);
    w.stop(
      s,
      proc,
      `stopped: your bot needed more computing time than its budget (${pct(budget)} of a processor core) for about ` +
        `${seconds} s, even after it was slowed down (last: ${pct(cores)}). Fewer news rules, followed wallets or ` +
        `strategies lower its load; it starts again when you save your settings, or pause and resume it.`,
    );
    return;
  }
  const throttling = now < last.throttledUntil;
  last.throttledUntil = now + w.opts.cpuThrottleMs;
  if (!throttling) {
    w.metrics.cpuThrottles.inc();
    w.log.warn(
      { userId: s.userId, pid: proc.pid, cores: Number(cores.toFixed(2)), budget, strikes: last.strikes },
      'runner over its CPU budget: throttling it',
    );
  }
  proc.send({ type: 'throttle', forMs: w.opts.cpuThrottleMs });
}
