// What coordination needs from the database (packages/db/src/service/manager-leases.ts, through the dedicated lease
// connection; coordination-db.ts adapts it), as an interface so the lease and shard logic is tested with a fake clock
// and a fake database.

/** A live lease: one manager incarnation (a restarted manager is a new token under the same id). */
export interface LeaseMember {
  managerId: string;
  token: string;
  draining: boolean;
}

/** Who holds a shard (the holder's lease may have expired: then the shard is free to take). */
export interface ShardOwner {
  shard: number;
  token: string;
  managerId: string;
}

export interface RenewResult {
  /** false: our lease already expired or is gone; it is never revived, the manager must rejoin. */
  ok: boolean;
  /** Live leases only. */
  members: LeaseMember[];
  owners: ShardOwner[];
}

export interface AcquiredShard {
  shard: number;
  previousToken: string | null;
  /** When the previous owner's lease expired (null: the shard was free). */
  previousExpiredAt: Date | null;
}

export interface CoordinationDb {
  join(managerId: string, ttlMs: number): Promise<{ token: string; shardCount: number }>;
  renew(token: string, ttlMs: number, draining: boolean): Promise<RenewResult>;
  acquire(token: string, shards: number[]): Promise<AcquiredShard[]>;
  release(token: string, shards: number[]): Promise<number>;
  leave(token: string): Promise<void>;
  /** Replace the connection (after a fence: the old one may be hung). */
  reset?(): Promise<void>;
}

/** Lease timing (env LEASE_TTL_MS, LEASE_RENEW_MS, LEASE_SAFETY_MS; validated: safety < ttl − renew). */
export interface LeaseTiming {
  ttlMs: number;
  renewMs: number;
  safetyMs: number;
}

/** Throws, in words, when the timing gives no safety margin (the one home of that rule; env.ts calls it too). */
export function checkLeaseTiming(t: LeaseTiming): void {
  if (!(t.renewMs > 0 && t.safetyMs > 0 && t.ttlMs > 0))
    throw new Error('LEASE_TTL_MS, LEASE_RENEW_MS and LEASE_SAFETY_MS must be positive');
  if (t.safetyMs >= t.ttlMs - t.renewMs)
    throw new Error(
      `LEASE_SAFETY_MS (${t.safetyMs}) must be less than LEASE_TTL_MS − LEASE_RENEW_MS (${t.ttlMs} − ${t.renewMs}): ` +
        'otherwise a manager would fence itself between two on-time renewals',
    );
}
