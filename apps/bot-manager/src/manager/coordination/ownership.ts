// What the BotManager asks before it runs a user: is the user's shard validly ours? (coordinator.ts + the cached
// user → shard answers of the database). Without an Ownership (a BotManager built outside startBotManager) it owns all.
// And what it does when fenced: stop every runner at once.
import { idle, liveOf, stopping, type Slot } from '../slot.ts';
import type { Coordinator } from './coordinator.ts';
import type { UserShards } from './user-shards.ts';

export interface Ownership {
  /** Each user's shard (cached). */
  shards: UserShards;
  ownsShard(shard: number): boolean;
  /**
   * Whether `e` is the database refusing a write as a stale owner's (then it is handled: true). The manager fences
   * itself only when the refusal contradicts what it believes now — the write carried its current token for a user
   * it still thinks it owns. A refused write for a user it already let go, or one that carried an older token or
   * none (begun before a fence or a rejoin), is the fence working, not news: fencing again for it would stop every
   * runner for nothing, and their own last writes would then trigger the next fence (a churn seen at 3 × 100 users).
   */
  checkStale(e: unknown, userId?: string): boolean;
}

export function coordinatorOwnership(
  coordinator: Pick<Coordinator, 'token' | 'ownsShard' | 'staleOwner'>,
  shards: UserShards,
  isStaleOwnerError: (e: unknown) => e is { message: string; fenceToken?: string },
): Ownership {
  const ownership: Ownership = {
    shards,
    ownsShard: (shard) => coordinator.ownsShard(shard),
    checkStale: (e, userId) => {
      if (!isStaleOwnerError(e)) return false;
      if (userId !== undefined && !mayRun(ownership, userId)) return true;
      if (e.fenceToken !== undefined && e.fenceToken !== coordinator.token) return true;
      coordinator.staleOwner(e.message);
      return true;
    },
  };
  return ownership;
}

/** Whether `userId` may run here now: the cached shard validly ours (everyone, without an Ownership). */
export function mayRun(ownership: Ownership | null, userId: string): boolean {
  if (!ownership) return true;
  const shard = ownership.shards.cached(userId);
  return shard !== undefined && ownership.ownsShard(shard);
}

/** The users among `userIds` that are ours to run (one shard lookup for the ones never seen). */
export async function ownedAmong(ownership: Ownership | null, userIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...userIds];
  if (!ownership) return new Set(ids);
  await ownership.shards.of(ids);
  return new Set(ids.filter((u) => mayRun(ownership, u)));
}

/**
 * Fenced: every runner of `slots` is told to stop at once and killed after `graceMs` — not through the per-user
 * queues, which may be stuck on a database that no longer answers — and nothing is written (the database would refuse
 * it). Pending restarts are dropped. Each slot ends idle when its runner exits (BotManager.onRunnerExit).
 */
export async function stopAllAtOnce(slots: Iterable<Slot>, graceMs: number): Promise<void> {
  await Promise.allSettled(
    [...slots].map(async (s) => {
      if (s.state.kind === 'backingOff') {
        clearTimeout(s.state.timer);
        s.state = idle(s.state.crashes);
      }
      const live = liveOf(s.state);
      if (!live) return;
      if (live.kind !== 'stopping') s.state = stopping(live);
      await live.proc.stop(graceMs);
    }),
  );
}
