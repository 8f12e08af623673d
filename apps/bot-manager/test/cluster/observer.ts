// What the cluster tests and the failover bench observe, each from its own source: runner processes (sampled from
// /proc, whatever their parent — an orphan of a killed manager counts too), who forked each (the managers' logs), the
// status rows (the database), and the leases (private.manager_leases, read as the admin).
import { readFileSync, readdirSync } from 'node:fs';
import type { Sql } from 'postgres';
import { winnerOf } from '../../src/manager/coordination/rendezvous.ts';
import { BUNDLE_ROOT } from '../../src/manager/runner-bundle.ts';
import type { Cluster, Fork } from './managers.ts';
import { overlappingRunners, type Overlap, type RunnerSpan } from './overlap.ts';

/** One runner process as sampled: alive (not a zombie) from firstSeen to lastSeen. */
export interface RunnerSeen {
  pid: number;
  /** pid + start time: unique even when a pid is reused. */
  key: string;
  /** When the process started (wall clock, ±10 ms: procStartedAtMs). */
  startedAtMs: number;
  ppid: number;
  firstSeen: number;
  lastSeen: number;
  /** Set once the forking manager's line has been read. */
  fork?: Fork;
}

interface ProcStat {
  state: string;
  ppid: number;
  startTicks: string;
  /** waitpid(2)-style exit status (a zombie's); Linux ≥ 3.5. */
  exitCode: number;
}

/** The wall-clock time of boot (ms): now less /proc/uptime (10 ms resolution; btime in /proc/stat has 1 s). */
let bootMs: number | null = null;
function bootTimeMs(): number {
  bootMs ??= Date.now() - Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
  return bootMs;
}

/** When a process started, wall clock: its start time in /proc/<pid>/stat counts USER_HZ (100) ticks since boot. */
export function procStartedAtMs(startTicks: string): number {
  return bootTimeMs() + Number(startTicks) * 10;
}

export function procStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the last ')' (the command name may contain spaces): state is field 3.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0] ?? '?', ppid: Number(f[1]), startTicks: f[19] ?? '', exitCode: Number(f[49]) };
  } catch {
    return null;
  }
}

/** The exit code of a zombie runner (its frozen manager cannot reap it), or null while it runs or once reaped. */
export function zombieExitCode(pid: number): number | null {
  const s = procStat(pid);
  return s?.state === 'Z' ? (s.exitCode >> 8) & 0xff : null;
}

/**
 * Runner processes of THIS checkout, alive now (zombies have empty command lines: an exited runner trades no more).
 * A runner is node running the bundle as its script; the manager's start-up probe that the runner user can read the
 * bundle (`node -e <probe> <bundle>`, runner-identity.ts) names it too, but is no runner.
 */
export function liveRunnerPids(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.startsWith(`${BUNDLE_ROOT}/`)) && !argv.includes('-e')) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface StatusRow {
  user_id: string;
  manager_id: string | null;
  pid: number | null;
  state: string;
}

export class RunnerObserver {
  readonly runs = new Map<string, RunnerSeen>();
  /** The keys alive in the latest sample. */
  private current = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  samples = 0;

  constructor(private readonly cluster: Cluster) {}

  /** One /proc sample, synchronous (the whole scan is one instant as far as this process is concerned). */
  sample(): void {
    const now = Date.now();
    const seen = new Set<string>();
    for (const pid of liveRunnerPids()) {
      const st = procStat(pid);
      if (!st || st.state === 'Z') continue;
      const key = `${pid}@${st.startTicks}`;
      seen.add(key);
      const r = this.runs.get(key);
      if (r) r.lastSeen = now;
      else
        this.runs.set(key, {
          pid,
          key,
          ppid: st.ppid,
          startedAtMs: procStartedAtMs(st.startTicks),
          firstSeen: now,
          lastSeen: now,
        });
    }
    this.current = seen;
    this.samples++;
  }

  /** Samples every `ms` until stop(). */
  start(ms = 100): void {
    this.timer ??= setInterval(() => this.sample(), ms);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private resolve(r: RunnerSeen): Fork | undefined {
    // By the process's start time, not "the latest fork of this pid": until the manager's line for this process is
    // read, an older process's line for the same pid would otherwise be taken (and kept) — a runner counted for
    // another user, which stalled the failover bench after a dozen cycles (pids wrapped).
    r.fork ??= this.cluster.forkAt(r.pid, r.startedAtMs);
    return r.fork;
  }

  /** The runners alive in the latest sample (their fork resolved where known). */
  alive(): RunnerSeen[] {
    const out: RunnerSeen[] = [];
    for (const k of this.current) {
      const r = this.runs.get(k);
      if (r) {
        this.resolve(r);
        out.push(r);
      }
    }
    return out;
  }

  /** Every runner ever seen as a span per user (runners whose fork line is not read yet are left out). */
  spans(): RunnerSpan[] {
    const out: RunnerSpan[] = [];
    for (const r of this.runs.values()) {
      const f = this.resolve(r);
      if (f) out.push({ userId: f.userId, runner: r.key, from: r.firstSeen, to: r.lastSeen });
    }
    return out;
  }

  /** Two runners of one user alive in one sample, ever. */
  overlaps(): Overlap[] {
    return overlappingRunners(this.spans());
  }

  /** Children of our managers whose 'runner forked' line was never read (should be none). Orphans of another run's
   * managers, still exiting, are not ours and not counted. */
  unattributed(): RunnerSeen[] {
    const ours = new Set(this.cluster.incarnations.map((m) => m.pid));
    return [...this.runs.values()].filter((r) => !this.resolve(r) && ours.has(r.ppid));
  }
}

export function statusRows(sql: Sql): Promise<StatusRow[]> {
  return sql<StatusRow[]>`select user_id, manager_id, pid, state from public.polybot_bot_status`;
}

/** Each user's shard, as the database computes it (public.user_shard: the one home of that rule). */
export async function userShards(sql: Sql, users: readonly string[]): Promise<Map<string, number>> {
  const rows = await sql<{ id: string; shard: number }[]>`
    select id::text, public.user_shard(id) as shard from unnest(${users}::uuid[]) as id`;
  return new Map(rows.map((r) => [r.id, r.shard]));
}

/** Where `managers` put each user: its shard's rendezvous winner (the manager's own pure rule, not a copy). */
export function expectedAssignment(
  shards: ReadonlyMap<string, number>,
  managers: readonly string[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [u, shard] of shards) out.set(u, winnerOf(shard, managers) ?? '');
  return out;
}

/**
 * Each user → the manager running it, once the cluster has converged on `managers`: every user has exactly one live
 * runner, forked by the manager that wins its shard among `managers`, and its status row says running with that pid
 * and that manager. Otherwise why not (for the timeout message).
 */
export async function converged(
  observer: RunnerObserver,
  sql: Sql,
  expected: ReadonlyMap<string, string>,
): Promise<{ assignment: Map<string, string> } | { why: string }> {
  const users = [...expected.keys()];
  observer.sample();
  const byUser = new Map<string, RunnerSeen[]>();
  for (const r of observer.alive()) {
    if (!r.fork) return { why: `runner ${r.pid} not attributed yet` };
    byUser.set(r.fork.userId, [...(byUser.get(r.fork.userId) ?? []), r]);
  }
  const status = new Map((await statusRows(sql)).map((s) => [s.user_id, s]));
  const assignment = new Map<string, string>();
  for (const u of users) {
    const rs = byUser.get(u) ?? [];
    if (rs.length !== 1) return { why: `user ${u} has ${rs.length} runners` };
    const r = rs[0];
    const s = status.get(u);
    if (!r?.fork || r.fork.managerId !== expected.get(u))
      return { why: `user ${u}'s runner is from ${r?.fork?.managerId}, not ${expected.get(u)}` };
    if (s?.state !== 'running' || s.pid !== r.pid || s.manager_id !== r.fork.managerId)
      return { why: `user ${u}: status ${JSON.stringify(s)} vs runner ${r.pid} of ${r.fork.managerId}` };
    assignment.set(u, r.fork.managerId);
  }
  return { assignment };
}

export interface LeaseRow {
  token: string;
  expiresAt: Date;
}

/** Manager `id`'s newest lease (its current incarnation), as the database sees it; null without one. Ordered by the
 * bigint column, not the text alias ('9' > '10'). */
export async function currentLease(sql: Sql, id: string): Promise<LeaseRow | null> {
  const [r] = await sql<{ token: string; expires_at: Date }[]>`
    select l.token::text as token, l.expires_at from private.manager_leases l
     where l.manager_id = ${id} order by l.token desc limit 1`;
  return r ? { token: r.token, expiresAt: r.expires_at } : null;
}

/** The lease with `token` (an incarnation's, renewed no more once it is frozen, cut off or dead). */
export async function leaseOf(sql: Sql, token: string): Promise<LeaseRow | null> {
  const [r] = await sql<{ token: string; expires_at: Date }[]>`
    select token::text as token, expires_at from private.manager_leases where token = ${token}::bigint`;
  return r ? { token: r.token, expiresAt: r.expires_at } : null;
}
