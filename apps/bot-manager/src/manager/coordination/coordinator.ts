// One manager's part in the cluster: its lease (membership.ts), its shards (shards.ts), and the questions the
// BotManager asks — may I run this user (their shard is validly ours)? — and /healthz's `lease` block.
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import { Membership } from './membership.ts';
import { ShardKeeper } from './shards.ts';
import type { AcquiredShard, CoordinationDb, LeaseTiming } from './types.ts';

export interface CoordinatorHooks {
  /** Shards became ours: reconcile their users. */
  acquired(shards: number[]): void;
  /** Shards stop being ours: stop their users' runners (no status writes: the new owner writes). */
  releasing(shards: number[]): Promise<void>;
  /** Fenced: stop every runner at once, without writing (the database would refuse the writes). */
  fenced(reason: string): Promise<void>;
  /** A renewal succeeded: `until` is the runners' new deadline. */
  renewed(until: number): void;
}

export interface CoordinatorOptions {
  managerId: string;
  db: CoordinationDb;
  timing: LeaseTiming;
  log: Logger;
  metrics: Metrics;
  hooks: CoordinatorHooks;
  now?: () => number;
}

/** /healthz's lease block. */
export interface LeaseHealth {
  token: string | null;
  managerId: string;
  shards: number;
  expiresInMs: number;
  fenced: boolean;
}

export class Coordinator {
  readonly membership: Membership;
  readonly shards: ShardKeeper;
  private draining = false;

  constructor(private readonly o: CoordinatorOptions) {
    const { metrics, log } = o;
    this.shards = new ShardKeeper({
      ...(o.now ? { now: o.now } : {}),
      managerId: o.managerId,
      db: o.db,
      log,
      ttlMs: o.timing.ttlMs,
      hooks: {
        acquired: (shards, taken) => {
          this.observeTakeovers(taken);
          metrics.leaseShardMoves.inc({ direction: 'acquired' }, shards.length);
          this.updateGauge();
          o.hooks.acquired(shards);
        },
        releasing: async (shards) => {
          metrics.leaseShardMoves.inc({ direction: 'released' }, shards.length);
          await o.hooks.releasing(shards);
          this.updateGauge();
        },
      },
    });
    this.membership = new Membership({
      managerId: o.managerId,
      db: o.db,
      timing: o.timing,
      log,
      ...(o.now ? { now: o.now } : {}),
      hooks: {
        renewal: (ok) => {
          metrics.leaseRenewals.inc({ result: ok ? 'ok' : 'failed' });
          if (ok) metrics.leaseLastRenewal.set(Date.now() / 1000);
        },
        renewed: (view, token, until, sentAt) => {
          o.hooks.renewed(until);
          void this.shards
            .apply(view, token, this.membership.shardCount, this.draining, sentAt)
            .then(() => this.updateGauge());
        },
        fenced: async (reason) => {
          metrics.leaseLosses.inc();
          this.shards.forget();
          this.updateGauge();
          await o.hooks.fenced(reason);
        },
      },
    });
  }

  /** Join, and hold the shards we should (one manager: all of them) before the first reconcile. */
  async start(): Promise<void> {
    await this.membership.start();
    await this.shards.settled();
  }

  /** Our current lease token (null while not joined or fenced). */
  get token(): string | null {
    return this.membership.token;
  }

  /** Whether `shard` is ours right now: held and the lease valid (not fenced, local deadline not passed). */
  ownsShard(shard: number): boolean {
    return this.membership.valid && this.shards.owned.has(shard);
  }

  /** polybot_shards_changed: someone joined, left or moved shards — look now, not a renewal later. */
  shardsChanged(): void {
    void this.membership.renewNow();
  }

  /** A write was refused as a stale owner's: we are not the owner any more, whatever our clock says. */
  staleOwner(detail: string): void {
    void this.membership.fence(`the database refused a write as a stale owner's: ${detail}`);
  }

  /** SIGTERM, step 1: others stop counting us; we acquire nothing more. Our shards stay ours until leave(). */
  async drain(): Promise<void> {
    this.draining = true;
    await this.membership.drain().catch(() => undefined);
    await this.shards.settled();
  }

  /** SIGTERM, last step: every shard released and our lease expired now; others take over on the NOTIFY. */
  async leave(): Promise<void> {
    await this.membership.leave();
    this.shards.forget();
    this.updateGauge();
  }

  health(): LeaseHealth {
    return {
      token: this.membership.token,
      managerId: this.o.managerId,
      shards: this.membership.valid ? this.shards.owned.size : 0,
      expiresInMs: Math.round(this.membership.expiresInMs),
      fenced: this.membership.fenced,
    };
  }

  private updateGauge(): void {
    this.o.metrics.leaseShardsOwned.set(this.membership.valid ? this.shards.owned.size : 0);
  }

  private observeTakeovers(taken: AcquiredShard[]): void {
    for (const t of taken) {
      if (t.previousExpiredAt === null) continue;
      this.o.metrics.leaseFailovers.inc();
      // Both times are wall-clock (the database's expiry, our now): fine for a histogram of seconds.
      this.o.metrics.leaseTakeover.observe(Math.max(0, (Date.now() - t.previousExpiredAt.getTime()) / 1000));
    }
  }
}
