// What the BotManager asks before it runs a user: is the user's shard validly ours? (coordinator.ts + the cached
// user → shard answers of the database). Without an Ownership (a BotManager built outside startBotManager) it owns all.
import type { Coordinator } from './coordinator.ts';
import type { UserShards } from './user-shards.ts';

export interface Ownership {
  /** Each user's shard (cached). */
  shards: UserShards;
  ownsShard(shard: number): boolean;
  /** Whether `e` is the database refusing a stale owner's write; if so the manager fences itself now. */
  checkStale(e: unknown): boolean;
}

export function coordinatorOwnership(
  coordinator: Coordinator,
  shards: UserShards,
  isStaleOwnerError: (e: unknown) => boolean,
): Ownership {
  return {
    shards,
    ownsShard: (shard) => coordinator.ownsShard(shard),
    checkStale: (e) => {
      if (!isStaleOwnerError(e)) return false;
      coordinator.staleOwner(e instanceof Error ? e.message : String(e));
      return true;
    },
  };
}
