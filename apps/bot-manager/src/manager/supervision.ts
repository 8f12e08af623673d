// Supervision of forked runners: a crash is counted and followed by a restart after a doubling, capped backoff; too
// many crashes in a row stop the bot until the user changes something (a crash loop must neither spin the machine
// nor hide from the user); a runner that goes silent, or grows past its memory budget, is killed, and its exit then
// counts as a crash. A runner over its CPU budget is throttled, then stopped (cpu-budget.ts).
import { readFile } from 'node:fs/promises';
import type { BotErrorCode } from '@polybot/schemas';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';
import type { RunnerTestHooks } from '../shared/ipc.ts';
import { checkCpuBudgets, type CpuBudgetOptions, type CpuWatch } from './cpu-budget.ts';
import type { Metrics } from './metrics.ts';
import { errored, idle, liveOf, type LiveState, type Slot, type SlotState } from './slot.ts';
import { writeStatus } from './status.ts';

export interface SupervisionOptions extends CpuBudgetOptions {
  managerId: string;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  startTimeoutMs: number;
  crashBackoffBaseMs: number;
  crashBackoffMaxMs: number;
  maxCrashes: number;
  healthyResetMs: number;
  stopGraceMs: number;
  /** V8 heap cap of a runner (--max-old-space-size). */
  runnerMemoryMb: number;
  /**
   * Resident memory budget of a runner (VmRSS): the heap cap does not bound code, buffers or native allocations, so
   * the manager measures the whole process and kills one that grows past this.
   */
  runnerRssLimitMb: number;
  /** Per-user budgets instead of runnerRssLimitMb (an operator giving one heavy user more room). */
  runnerRssLimitOverridesMb: Readonly<Record<string, number>>;
  /** How often runners' resident memory is read. */
  memoryCheckMs: number;
  statusWriteMs: number;
  logLevel: string;
  /** Fault injection for tests (runner init `testHooks`); only startBotManager's programmatic option sets it. */
  testHooks?: RunnerTestHooks;
  /** How often live Polymarket runners heartbeat the venue (the venue's dead-man switch fires after 10 s). */
  venueHeartbeatMs: number;
  /**
   * The lease deadline (monotonicMs()) handed to a runner in its init: past it the runner stops by itself
   * (runner/lease-guard.ts). The one hook between the manager's coordination and its runners' inits; default
   * `() => NO_LEASE_DEADLINE` (a single manager, no lease).
   */
  leaseUntil: () => number;
}

export interface Supervision {
  sql: Sql;
  opts: SupervisionOptions;
  log: Logger;
  metrics: Metrics;
}

/** Delay before the restart that follows crash number `crashes` (1-based). */
export function crashBackoffMs(opts: SupervisionOptions, crashes: number): number {
  return Math.min(opts.crashBackoffMaxMs, opts.crashBackoffBaseMs * 2 ** (crashes - 1));
}

/**
 * A runner exited without being asked to: the state the slot goes to. Either give up (errored: status 'error', kept
 * until keys, plan or config change) or back off, and then `restart` (its timer leaves the slot idle, counting on from
 * this crash, and asks for a reconcile).
 */
export function onRunnerCrash(
  sup: Supervision,
  s: Slot,
  live: LiveState,
  code: number | null,
  signal: NodeJS.Signals | null,
  restart: () => void,
): SlotState {
  const proc = live.proc;
  const crashes = live.crashes + 1;
  // A kill of our own (silent, over its memory budget) says why; anything else says how the process ended.
  const reason = proc.killReason ?? (signal ? `runner killed by ${signal}` : `runner exited with code ${String(code)}`);
  const reasonCode: BotErrorCode = proc.killCode ?? (signal ? 'runner_killed' : 'runner_exited');
  sup.log.warn({ userId: s.userId, pid: proc.pid, code, signal, crashes }, 'runner crashed');
  sup.metrics.restarts.inc({ reason: 'crash' });
  if (crashes >= sup.opts.maxCrashes) {
    const message = `bot stopped after ${crashes} crashes in a row (last: ${reason}); it restarts when you change your settings or keys`;
    void writeStatus(sup.sql, s.userId, {
      state: 'error',
      pid: null,
      lastError: message,
      errorCode: 'crash_loop',
      restartCount: crashes,
    }).catch(() => undefined);
    return errored(live);
  }
  void writeStatus(sup.sql, s.userId, {
    state: 'starting',
    pid: null,
    lastError: reason,
    errorCode: reasonCode,
    restartCount: crashes,
  }).catch(() => undefined);
  const timer = setTimeout(
    () => {
      if (s.state.kind === 'backingOff' && s.state.timer === timer) s.state = idle(crashes);
      restart();
    },
    crashBackoffMs(sup.opts, crashes),
  );
  return { kind: 'backingOff', crashes, timer };
}

/**
 * Starts the watch over `slots`' runners: silence (every half heartbeat), resident memory (every memoryCheckMs, one
 * measurement at a time) and CPU (every cpuWindowMs; `stopForCpu` takes a bot out for good). Returns what stops it.
 */
export function watchRunners(
  sup: Supervision,
  slots: () => Iterable<Slot>,
  stopForCpu: CpuWatch['stop'] = () => undefined,
): () => void {
  const watchdog = setInterval(
    () => killSilentRunners(sup, slots()),
    Math.max(100, Math.floor(sup.opts.heartbeatMs / 2)),
  );
  let measuring = false;
  const memoryWatch = setInterval(() => {
    if (measuring) return;
    measuring = true;
    killOverBudgetRunners(sup, slots())
      .catch((e: unknown) => sup.log.error({ err: coerceError(e).message }, 'memory check failed'))
      .finally(() => (measuring = false));
  }, sup.opts.memoryCheckMs);
  const cpu: CpuWatch = { opts: sup.opts, log: sup.log, metrics: sup.metrics, stop: stopForCpu };
  let cpuMeasuring = false;
  const cpuWatch = setInterval(() => {
    if (cpuMeasuring) return;
    cpuMeasuring = true;
    checkCpuBudgets(cpu, slots())
      .catch((e: unknown) => sup.log.error({ err: coerceError(e).message }, 'CPU check failed'))
      .finally(() => (cpuMeasuring = false));
  }, sup.opts.cpuWindowMs);
  return () => {
    clearInterval(watchdog);
    clearInterval(memoryWatch);
    clearInterval(cpuWatch);
  };
}

/** Runners that sent nothing for too long are killed. */
export function killSilentRunners(sup: Supervision, slots: Iterable<Slot>, now = Date.now()): void {
  for (const s of slots) {
    const p = liveOf(s.state)?.proc;
    if (!p || p.exited || p.stopRequested) continue;
    // Before 'ready' the child is still loading: a separate, generous bound applies.
    const limit = p.ready ? sup.opts.heartbeatTimeoutMs : sup.opts.startTimeoutMs;
    if (now - p.lastHeartbeat > limit) {
      sup.log.warn({ userId: s.userId, pid: p.pid }, 'runner silent: killing it');
      sup.metrics.restarts.inc({ reason: 'silent' });
      p.kill(`runner killed: no heartbeat for ${Math.round(limit / 1000)} s`, 'runner_silent');
    }
  }
}

/** Resident memory of a process in MB (VmRSS from /proc/<pid>/status); null where there is no /proc or it is gone. */
export async function readRssMb(pid: number): Promise<number | null> {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function rssLimitMbOf(opts: SupervisionOptions, userId: string): number {
  return opts.runnerRssLimitOverridesMb[userId] ?? opts.runnerRssLimitMb;
}

/**
 * Runners whose resident memory is over their budget are killed (SIGKILL: a runaway may not get to finish anything),
 * logged and counted (polybot_runner_restarts_total{reason="memory"}); the exit is a crash like any other, so repeated
 * breaches back off and end in status 'error' with the reason.
 */
export async function killOverBudgetRunners(sup: Supervision, slots: Iterable<Slot>): Promise<void> {
  const procOf = (s: Slot) => liveOf(s.state)?.proc;
  const live = [...slots].filter((s) => {
    const p = procOf(s);
    return p && !p.exited && !p.stopRequested;
  });
  await Promise.all(
    live.map(async (s) => {
      const p = procOf(s);
      if (!p) return;
      const rssMb = await readRssMb(p.pid);
      const limitMb = rssLimitMbOf(sup.opts, s.userId);
      if (rssMb === null || rssMb <= limitMb || p.exited || p.stopRequested || procOf(s) !== p) return;
      sup.log.warn(
        { userId: s.userId, pid: p.pid, rssMb: Math.round(rssMb), limitMb },
        'runner over its memory budget: killing it',
      );
      sup.metrics.restarts.inc({ reason: 'memory' });
      p.kill(
        `runner killed: it used ${Math.round(rssMb)} MB of memory, over its ${limitMb} MB budget`,
        'runner_memory',
      );
    }),
  );
}
