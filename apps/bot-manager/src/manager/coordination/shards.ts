// Which shards this manager owns, and moving them: after every renewal (and at once on a NOTIFY
// polybot_shards_changed, which triggers a renewal) the live, non-draining members decide by rendezvous which shards
// should be ours; we acquire the desired ones that are free or whose owner's lease expired, and release the ones no
// longer desired — after stopping those users' runners, so a user never runs here and at the new owner at once.
// A desired shard still held by another live lease (a peer that has not released it yet, or a killed predecessor
// whose lease has not expired) is waited for: the database refuses to hand it over before then.
import type { Logger } from 'pino';
import { monotonicMs } from '../../shared/monotonic.ts';
import { desiredShards } from './rendezvous.ts';
import type { AcquiredShard, CoordinationDb, RenewResult } from './types.ts';

export interface ShardHooks {
  /** Newly ours: reconcile their users (start the bots that should run). */
  acquired(shards: number[], taken: AcquiredShard[]): void;
  /** No longer ours (released, or found taken): stop their users' runners; resolves when they are stopped. */
  releasing(shards: number[]): Promise<void>;
}

export interface ShardKeeperOptions {
  managerId: string;
  db: CoordinationDb;
  log: Logger;
  hooks: ShardHooks;
  /** How long a lease lasts (for the "waiting N s for the previous owner's lease" log line). */
  ttlMs: number;
  /** The monotonic clock the views' send times are on (tests pass a fake one). */
  now?: () => number;
}

interface View {
  view: RenewResult;
  token: string;
  shardCount: number;
  draining: boolean;
  sentAt: number;
}

export class ShardKeeper {
  private ownedShards = new Set<number>();
  private token: string | null = null;
  private latest: View | null = null;
  /**
   * When our last acquire or release answered: a view whose renewal was sent before that may predate it (show a shard
   * we just took as free, or one we just released as ours) and is skipped; the next renewal brings a fresh one.
   */
  private lastChange = -Infinity;
  private running: Promise<void> | null = null;
  /** Holders we already said we are waiting for (one log line per holder, not one per renewal). */
  private readonly waitingFor = new Set<string>();

  private readonly now: () => number;

  constructor(private readonly o: ShardKeeperOptions) {
    this.now = o.now ?? monotonicMs;
  }

  /** The shards this manager holds (as of its last view; validity also needs a live lease: Membership.valid). */
  get owned(): ReadonlySet<number> {
    return this.ownedShards;
  }

  /**
   * A renewal's view (`sentAt`: when that renewal was sent, monotonic): rebalance to it (serialized; a burst of views
   * is applied once, the latest).
   */
  apply(view: RenewResult, token: string, shardCount: number, draining: boolean, sentAt: number): Promise<void> {
    this.latest = { view, token, shardCount, draining, sentAt };
    this.running ??= this.drainViews().finally(() => (this.running = null));
    return this.running;
  }

  /** Settles once every view handed in so far is applied. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drainViews(): Promise<void> {
    while (this.latest) {
      const next = this.latest;
      this.latest = null;
      try {
        if (next.token === this.token && next.sentAt < this.lastChange) continue; // predates our own last move
        await this.rebalance(next.view, next.token, next.shardCount, next.draining);
      } catch (e) {
        this.o.log.warn({ err: (e as Error).message }, 'shard rebalance failed: retried after the next renewal');
      }
    }
  }

  /** Fenced or left: nothing is ours any more (the runners were stopped by the caller). */
  forget(): void {
    this.ownedShards = new Set();
    this.token = null;
    this.latest = null;
  }

  private async rebalance(view: RenewResult, token: string, shardCount: number, draining: boolean): Promise<void> {
    if (this.token !== token) {
      this.ownedShards = new Set();
      this.token = token;
    }
    const ownerOf = new Map(view.owners.map((o) => [o.shard, o]));
    const liveTokens = new Set(view.members.map((m) => m.token));
    const ownedNow = new Set(view.owners.filter((o) => o.token === token).map((o) => o.shard));
    // Ours a moment ago, not ours in the database now, and we did not release it: taken after our lease lapsed.
    const lost = [...this.ownedShards].filter((s) => !ownedNow.has(s));
    this.ownedShards = ownedNow;
    if (lost.length > 0) {
      this.o.log.warn({ shards: lost }, 'shards found owned by another manager: stopping their users here');
      await this.o.hooks.releasing(lost);
    }
    // Draining: acquire nothing, release nothing here — the drain stops the runners (writing their status while the
    // shards are still ours) and leave() releases everything at once.
    if (draining) return;
    const members = view.members.filter((m) => !m.draining).map((m) => m.managerId);
    const desired = desiredShards(this.o.managerId, members, shardCount);
    const release = [...ownedNow].filter((s) => !desired.has(s));
    if (release.length > 0) {
      // Not ours from this moment on (no runner starts in them), then their runners stop, then the database hears.
      for (const s of release) this.ownedShards.delete(s);
      await this.o.hooks.releasing(release);
      const n = await this.o.db.release(token, release);
      this.lastChange = this.now();
      this.o.log.info({ shards: release, released: n }, 'shards released to other managers');
    }
    const free: number[] = [];
    const held = new Map<string, number[]>();
    for (const s of desired) {
      if (ownedNow.has(s)) continue;
      const owner = ownerOf.get(s);
      if (!owner || !liveTokens.has(owner.token)) free.push(s);
      else
        held.set(`${owner.managerId} (token ${owner.token})`, [
          ...(held.get(`${owner.managerId} (token ${owner.token})`) ?? []),
          s,
        ]);
    }
    for (const [holder, shards] of held) {
      if (this.waitingFor.has(holder)) continue;
      this.waitingFor.add(holder);
      this.o.log.info(
        { holder, shards },
        `waiting up to ${Math.ceil(this.o.ttlMs / 1000)} s for the previous owner's lease: ${shards.length} shard(s) ` +
          `are still held by ${holder}, which has not released them; they are taken as soon as it releases them ` +
          'or its lease expires',
      );
    }
    if (free.length === 0) return;
    const taken = await this.o.db.acquire(token, free);
    this.lastChange = this.now();
    if (taken.length === 0) return;
    for (const t of taken) this.ownedShards.add(t.shard);
    this.o.log.info({ shards: taken.map((t) => t.shard) }, 'shards acquired');
    this.o.hooks.acquired(
      taken.map((t) => t.shard),
      taken,
    );
  }
}
