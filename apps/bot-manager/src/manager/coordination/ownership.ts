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
