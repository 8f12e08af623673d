// N real bot-manager processes (the CLI, configured by environment as in production) on one database: start, kill -9,
// freeze (SIGSTOP) and thaw, drain (SIGTERM). Each manager's output is read line by line for the two facts the
// observers need: which runner pid it forked for which user (its 'runner forked' line), and its HTTP port.
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VenueUrls } from '../../src/shared/ipc.ts';
import { until } from '../harness.ts';
import { TEST_LEASE_ENV } from '../lease-timing.ts';
import { spawnManagerProcess, type ManagerProcess } from '../manager-process.ts';
import { liveRunnerPids } from './observer.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/**
 * The failover bench's `fast` leases (a frozen owner fenced within ~2.5 s, expired within 3 s): the numbers in
 * PERFORMANCE.md were measured with these. The tests run with TEST_LEASE_ENV (lease-timing.ts).
 */
export const FAST_LEASES = { LEASE_TTL_MS: '3000', LEASE_RENEW_MS: '500', LEASE_SAFETY_MS: '1000' };

/** A runner as its manager reported forking it. */
export interface Fork {
  pid: number;
  userId: string;
  managerId: string;
  /** The manager's clock (pino `time`), the same wall clock as the test's and the database's (one machine). */
  atMs: number;
}

export class ClusterManager {
  readonly forks: Fork[] = [];
  httpPort: number | null = null;
  frozen = false;
  private rest = '';

  /** Where all its output (and its runners') is written, for a post-mortem. */
  readonly logFile: string;

  constructor(
    readonly id: string,
    readonly process: ManagerProcess,
    logDir: string,
  ) {
    this.logFile = join(logDir, `${id}-${process.proc.pid ?? 0}.log`);
    const file = createWriteStream(this.logFile);
    process.proc.stdout?.on('data', (d: Buffer) => {
      file.write(d);
      this.read(d.toString('utf8'));
    });
    process.proc.stderr?.on('data', (d: Buffer) => file.write(d));
    process.proc.on('exit', () => file.end());
  }

  get pid(): number {
    return this.process.proc.pid ?? 0;
  }

  get exited(): boolean {
    return this.process.proc.exitCode !== null || this.process.proc.signalCode !== null;
  }

  metricsUrl(): string | null {
    return this.httpPort === null ? null : `http://127.0.0.1:${this.httpPort}/metrics`;
  }

  healthUrl(): string | null {
    return this.httpPort === null ? null : `http://127.0.0.1:${this.httpPort}/healthz`;
  }

  private read(chunk: string): void {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) {
      // Runners share the manager's stdout, and a write of theirs longer than a pipe's atomic size (4 KiB) can be
      // split around one of the manager's lines: find the manager's lines anywhere, not only at a line start.
      for (const m of line.matchAll(FORKED)) {
        const [, time, userId, pid] = m;
        this.forks.push({ pid: Number(pid), userId: userId ?? '', managerId: this.id, atMs: Number(time) });
      }
      const ready = READY.exec(line);
      if (ready) this.httpPort = Number(ready[1]);
    }
  }
}

// pino's line for log.child({ userId }).info({ pid, configVersion }, 'runner forked') (bot-manager.ts): the base pid
// (the manager's) first, the runner's after the user id.
const FORKED =
  /\{"level":30,"time":(\d+),"pid":\d+,"hostname":"[^"]*","name":"[^"]*","userId":"([0-9a-f-]{36})","pid":(\d+),[^{}]*"msg":"runner forked"\}/g;
const READY = /"httpPort":(\d+),"msg":"bot-manager ready"/;

/** How far a process's start time read from /proc (10 ms ticks, boot time from /proc/uptime) may be after its
 * manager's clock stamped the 'runner forked' line (the line is written right after the fork). */
const START_SLACK_MS = 2000;

/** Cluster.forkAt's rule over a list of forks: the first fork of `pid` logged no earlier than the slack before
 * `startedAtMs`. */
export function forkThatStarted(forks: readonly Fork[], pid: number, startedAtMs: number): Fork | undefined {
  let best: Fork | undefined;
  for (const f of forks)
    if (f.pid === pid && f.atMs >= startedAtMs - START_SLACK_MS && (!best || f.atMs < best.atMs)) best = f;
  return best;
}

export interface ClusterOptions {
  managerUrl: string;
  venueUrls: VenueUrls;
  /** Added to every manager's environment (after TEST_LEASE_ENV and the defaults here). */
  env?: Record<string, string>;
}

export class Cluster {
  /** The current incarnation of each manager id that has not been removed. */
  readonly managers = new Map<string, ClusterManager>();
  /** Every incarnation ever started (old ones keep their fork records: the observers attribute runners by them). */
  readonly incarnations: ClusterManager[] = [];

  /** Each incarnation's output goes to a file here (printed at start-up: where to look when a run fails). */
  readonly logDir = mkdtempSync(join(tmpdir(), 'polybot-cluster-'));

  constructor(private readonly o: ClusterOptions) {
    console.log(`cluster manager logs: ${this.logDir}`);
  }

  start(id: string): ClusterManager {
    const current = this.managers.get(id);
    if (current && !current.exited) throw new Error(`manager ${id} is already running (pid ${current.pid})`);
    const p = spawnManagerProcess(['--import', 'tsx', MAIN], {
      databaseUrl: this.o.managerUrl,
      venueUrls: this.o.venueUrls,
      // info: the 'runner forked' and 'bot-manager ready' lines are how the observers learn pids and ports.
      env: { BOT_MANAGER_ID: id, LOG_LEVEL: 'info', ...TEST_LEASE_ENV, ...this.o.env },
    });
    const m = new ClusterManager(id, p, this.logDir);
    this.managers.set(id, m);
    this.incarnations.push(m);
    return m;
  }

  get(id: string): ClusterManager {
    const m = this.managers.get(id);
    if (!m) throw new Error(`no manager ${id}`);
    return m;
  }

  /** The ids of the managers running now (not exited; frozen ones included). */
  ids(): string[] {
    return [...this.managers.values()].filter((m) => !m.exited).map((m) => m.id);
  }

  async kill9(id: string): Promise<void> {
    const m = this.get(id);
    m.process.proc.kill('SIGKILL');
    await m.process.exited;
    this.managers.delete(id);
  }

  freeze(id: string): void {
    const m = this.get(id);
    m.process.proc.kill('SIGSTOP');
    m.frozen = true;
  }

  thaw(id: string): void {
    const m = this.get(id);
    m.process.proc.kill('SIGCONT');
    m.frozen = false;
  }

  /** SIGTERM: the graceful hand-over (drain); resolves with the exit code. */
  async drain(id: string): Promise<number | null> {
    const m = this.get(id);
    m.process.proc.kill('SIGTERM');
    const code = await m.process.exited;
    this.managers.delete(id);
    return code;
  }

  /**
   * The fork that made the process `pid` that started at `startedAtMs` (wall clock, from /proc: procStartedAtMs): the
   * first fork of that pid logged no earlier than START_SLACK_MS before it. Never an older process's fork of the same
   * pid (pids are reused: on a long run an earlier runner had this pid, and its line is read long before the new
   * one's), so a runner whose own line is not read yet stays unattributed rather than attributed to another user.
   */
  forkAt(pid: number, startedAtMs: number): Fork | undefined {
    return forkThatStarted(
      this.incarnations.flatMap((m) => m.forks),
      pid,
      startedAtMs,
    );
  }

  /** Who forked `pid` (the latest fork of that pid at or before `seenAtMs`, pids being reused). */
  forkOf(pid: number, seenAtMs = Infinity): Fork | undefined {
    let best: Fork | undefined;
    for (const m of this.incarnations)
      for (const f of m.forks) if (f.pid === pid && f.atMs <= seenAtMs && (!best || f.atMs > best.atMs)) best = f;
    return best;
  }

  pids(): number[] {
    return this.incarnations.filter((m) => !m.exited).map((m) => m.pid);
  }

  /**
   * SIGKILL (after SIGCONT, so it is not queued behind a SIGSTOP) to every incarnation still alive, synchronously:
   * what a signal handler can do before its process exits. Returns the ones signalled.
   */
  killAllNow(): ClusterManager[] {
    const live = this.incarnations.filter((m) => !m.exited);
    for (const m of live) {
      m.process.proc.kill('SIGCONT');
      m.process.proc.kill('SIGKILL');
    }
    return live;
  }

  /** Every manager still alive is killed (thawed first, so SIGKILL is not queued behind SIGSTOP). */
  async stopAll(): Promise<void> {
    const live = this.killAllNow();
    await Promise.all(live.map((m) => m.process.exited));
    this.managers.clear();
    // Their runners exit once they see their manager gone (IPC closed): wait, so the next run sees none of them.
    const forked = new Set(this.incarnations.flatMap((m) => m.forks.map((f) => f.pid)));
    await until(
      () => liveRunnerPids().every((pid) => !forked.has(pid)),
      'runners of the stopped managers gone',
      30_000,
    );
  }
}
