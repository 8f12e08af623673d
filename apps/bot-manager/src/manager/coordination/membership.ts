// This manager's lease: join (a new token), renew every LEASE_RENEW_MS on the dedicated lease connection, and fence
// itself the moment it can no longer be sure the lease holds.
//
// The local deadline is the monotonic time at which the last successful renewal was SENT, plus LEASE_TTL_MS, minus
// LEASE_SAFETY_MS. The database set expires_at = its now() + TTL when it ran the renewal, which is after we sent it,
// so the lease cannot expire in the database before send + TTL: the deadline falls at least LEASE_SAFETY_MS earlier.
// Runners get the same deadline (init leaseUntil, then a `lease` message after each renewal) and send no order past
// it. So a manager cut off from the database, frozen, or slow stops trading ≥ LEASE_SAFETY_MS before anyone else can
// take its shards.
//
// Fenced = the renewal said our lease is gone (ok=false), the deadline passed without a renewal, or the database
// refused one of our writes as a stale owner (fence()). Then: every runner stops at once (hooks.fenced), ownership
// is forgotten, and the manager rejoins with a new token; its old token is never used again.
import type { Logger } from 'pino';
import { monotonicMs } from '../../shared/monotonic.ts';
import type { CoordinationDb, LeaseTiming, RenewResult } from './types.ts';

export interface MembershipHooks {
  /** A renewal (sent at `sentAt`, monotonic) succeeded (not awaited: shard work never delays the next renewal). */
  renewed(view: RenewResult, token: string, until: number, sentAt: number): void;
  /** Stop everything now; the rejoin waits for it. */
  fenced(reason: string): Promise<void>;
  /** Every renewal's outcome (metrics). */
  renewal?(ok: boolean): void;
}

export interface MembershipOptions {
  managerId: string;
  db: CoordinationDb;
  timing: LeaseTiming;
  log: Logger;
  hooks: MembershipHooks;
  /** The monotonic clock (tests pass a fake one). */
  now?: () => number;
}

type State = 'new' | 'joined' | 'fenced' | 'left';

export class Membership {
  private state: State = 'new';
  private tokenValue: string | null = null;
  private deadline = 0;
  private draining = false;
  private shardCountValue = 0;
  private renewTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private rejoinTimer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private fencing: Promise<void> | null = null;
  private readonly now: () => number;
  /** When the last renewal succeeded (epoch ms, for the metric and /healthz). */
  lastRenewedAt: number | null = null;

  constructor(private readonly o: MembershipOptions) {
    this.now = o.now ?? monotonicMs;
  }

  /** Our lease token while joined and not fenced; null otherwise (writes then carry no token and are refused). */
  get token(): string | null {
    return this.state === 'joined' ? this.tokenValue : null;
  }

  get shardCount(): number {
    return this.shardCountValue;
  }

  /** The deadline runners get (monotonic ms): no order leaves a runner at or after it. */
  get leaseUntil(): number {
    return this.state === 'joined' ? this.deadline : 0;
  }

  /** Joined, not fenced, and the local deadline not passed: only then may runners trade for us. */
  get valid(): boolean {
    return this.state === 'joined' && this.now() < this.deadline;
  }

  get fenced(): boolean {
    return this.state === 'fenced';
  }

  get expiresInMs(): number {
    return this.valid ? this.deadline - this.now() : 0;
  }

  /** Join and renew once (so the first reconcile sees the shards); a database that refuses the join throws here. */
  async start(): Promise<void> {
    await this.join();
  }

  private async join(): Promise<void> {
    const sent = this.now();
    const { token, shardCount } = await this.o.db.join(this.o.managerId, this.o.timing.ttlMs);
    if (this.state === 'left') {
      await this.o.db.leave(token).catch(() => undefined);
      return;
    }
    this.state = 'joined';
    this.tokenValue = token;
    this.shardCountValue = shardCount;
    this.deadline = sent + this.o.timing.ttlMs - this.o.timing.safetyMs;
    this.armDeadline();
    this.o.log.info({ managerId: this.o.managerId, token, shardCount }, 'joined the managers (lease taken)');
    await this.renewNow();
  }

  /** Renew now (a NOTIFY that shards or members changed, the timer, a drain); one renewal in flight at most. */
  renewNow(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const p: Promise<void> = this.renew().finally(() => {
      // A renewal that hung past a fence is not the one in flight any more: it schedules nothing.
      if (this.inFlight !== p) return;
      this.inFlight = null;
      this.scheduleRenew();
    });
    this.inFlight = p;
    return p;
  }

  private scheduleRenew(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    if (this.state !== 'joined') return;
    this.renewTimer = setTimeout(() => void this.renewNow(), this.o.timing.renewMs);
  }

  private async renew(): Promise<void> {
    const token = this.token;
    if (token === null) return;
    const sent = this.now();
    let view: RenewResult;
    try {
      view = await this.o.db.renew(token, this.o.timing.ttlMs, this.draining);
    } catch (e) {
      this.o.hooks.renewal?.(false);
      this.o.log.warn({ err: (e as Error).message, expiresInMs: this.expiresInMs }, 'lease renewal failed');
      return;
    }
    if (this.token !== token) return; // fenced meanwhile: this answer is about a token we no longer use
    if (!view.ok) {
      this.o.hooks.renewal?.(false);
      return this.fence('the database says our lease has expired');
    }
    this.o.hooks.renewal?.(true);
    this.lastRenewedAt = Date.now();
    this.deadline = Math.max(this.deadline, sent + this.o.timing.ttlMs - this.o.timing.safetyMs);
    this.armDeadline();
    this.o.hooks.renewed(view, token, this.deadline, sent);
  }

  private armDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(
      () => {
        if (this.state !== 'joined') return;
        if (this.now() < this.deadline) return this.armDeadline();
        void this.fence(
          `no lease renewal succeeded in time (LEASE_TTL_MS ${this.o.timing.ttlMs} − LEASE_SAFETY_MS ` +
            `${this.o.timing.safetyMs} since the last one was sent)`,
        );
      },
      Math.max(0, this.deadline - this.now()),
    );
  }

  /**
   * Stop owning anything, now: runners stop (hooks.fenced), the old token is let go (best effort: it may be
   * unreachable), then a new token is taken. Idempotent while a fence is in progress.
   */
  fence(reason: string): Promise<void> {
    if (this.state !== 'joined') return this.fencing ?? Promise.resolve();
    const old = this.tokenValue;
    this.state = 'fenced';
    this.tokenValue = null;
    this.inFlight = null;
    this.clearTimers();
    this.o.log.error({ reason, token: old }, `lease lost (${reason}): fencing — every runner stops now, then rejoin`);
    this.fencing = (async () => {
      try {
        await this.o.hooks.fenced(reason);
      } catch (e) {
        this.o.log.error({ err: (e as Error).message }, 'stopping runners on fence failed');
      }
      // A connection that hung a renewal would hang the rejoin too: a fresh one (best effort, as is the leave).
      await this.o.db.reset?.().catch(() => undefined);
      if (old !== null) await this.o.db.leave(old).catch(() => undefined);
      // One renewal interval later: a database that keeps refusing us is not asked in a tight loop.
      if (this.state === 'fenced') this.rejoinTimer = setTimeout(() => this.rejoin(), this.o.timing.renewMs);
    })();
    return this.fencing;
  }

  private rejoin(): void {
    if (this.state !== 'fenced') return;
    this.join().then(
      () => {
        this.fencing = null;
      },
      (e: unknown) => {
        this.o.log.warn({ err: (e as Error).message }, 'rejoin failed: retrying');
        this.rejoinTimer = setTimeout(() => this.rejoin(), this.o.timing.renewMs);
      },
    );
  }

  /** SIGTERM: tell the others we are leaving (they stop counting us); our shards stay ours until leave(). */
  async drain(): Promise<void> {
    this.draining = true;
    await this.renewNow();
  }

  /** Release every shard and expire our lease now (others take the shards at once, on the NOTIFY), then stop. */
  async leave(): Promise<void> {
    const token = this.token;
    this.state = 'left';
    this.tokenValue = null;
    this.clearTimers();
    this.inFlight = null;
    if (token !== null) await this.o.db.leave(token);
  }

  private clearTimers(): void {
    for (const t of [this.renewTimer, this.deadlineTimer, this.rejoinTimer]) if (t) clearTimeout(t);
    this.renewTimer = this.deadlineTimer = this.rejoinTimer = null;
  }
}
