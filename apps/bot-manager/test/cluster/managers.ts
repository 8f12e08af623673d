// N real bot-manager processes (the CLI, configured by environment as in production) on one database: start, kill -9,
// freeze (SIGSTOP) and thaw, drain (SIGTERM). Each manager's output is read line by line for the two facts the
// observers need: which runner pid it forked for which user (its 'runner forked' line), and its HTTP port.
import { fileURLToPath } from 'node:url';
import type { VenueUrls } from '../../src/shared/ipc.ts';
import { spawnManagerProcess, type ManagerProcess } from '../manager-process.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Leases short enough for tests (contract of issue 15): a frozen owner is fenced within ~2.5 s, expired within 3 s. */
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

  constructor(
    readonly id: string,
    readonly process: ManagerProcess,
  ) {
    process.proc.stdout?.on('data', (d: Buffer) => this.read(d.toString('utf8')));
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
      // Only the manager's own lines (runners share its stdout): cheap string tests before parsing.
      if (!line.startsWith('{') || !(line.includes('"runner forked"') || line.includes('"bot-manager ready"')))
        continue;
      let l: Record<string, unknown>;
      try {
        l = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (l.msg === 'runner forked' && typeof l.userId === 'string' && typeof l.pid === 'number')
        // pino writes the manager's own pid first and the logged runner pid after it: JSON.parse keeps the last.
        this.forks.push({ pid: l.pid, userId: l.userId, managerId: this.id, atMs: Number(l.time) });
      if (l.msg === 'bot-manager ready' && typeof l.httpPort === 'number') this.httpPort = l.httpPort;
    }
  }
}

export interface ClusterOptions {
  managerUrl: string;
  venueUrls: VenueUrls;
  /** Added to every manager's environment (after FAST_LEASES and the defaults here). */
  env?: Record<string, string>;
}

export class Cluster {
  /** The current incarnation of each manager id that has not been removed. */
  readonly managers = new Map<string, ClusterManager>();
  /** Every incarnation ever started (old ones keep their fork records: the observers attribute runners by them). */
  readonly incarnations: ClusterManager[] = [];

  constructor(private readonly o: ClusterOptions) {}

  start(id: string): ClusterManager {
    const current = this.managers.get(id);
    if (current && !current.exited) throw new Error(`manager ${id} is already running (pid ${current.pid})`);
    const p = spawnManagerProcess(['--import', 'tsx', MAIN], {
      databaseUrl: this.o.managerUrl,
      venueUrls: this.o.venueUrls,
      // info: the 'runner forked' and 'bot-manager ready' lines are how the observers learn pids and ports.
      env: { BOT_MANAGER_ID: id, LOG_LEVEL: 'info', ...FAST_LEASES, ...this.o.env },
    });
    const m = new ClusterManager(id, p);
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

  /** Every manager still alive is killed (thawed first, so SIGKILL is not queued behind SIGSTOP). */
  async stopAll(): Promise<void> {
    const live = this.incarnations.filter((m) => !m.exited);
    for (const m of live) {
      m.process.proc.kill('SIGCONT');
      m.process.proc.kill('SIGKILL');
    }
    await Promise.all(live.map((m) => m.process.exited));
    this.managers.clear();
  }
}
