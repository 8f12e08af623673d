// A user's place in the supervisor: their runner process (if any), what it was started or reloaded with, and the
// crash-loop bookkeeping. One per user the manager has ever reconciled; the BotManager owns them all.
import type { RunnerProcess } from './runner-process.ts';
import type { UserState } from './user-state.ts';

/** What a forked runner is handed with its init once it says 'ready'. */
export interface PendingInit {
  state: UserState;
  risk: { openPositions: number; pnlTodayUsd: number };
  copiedTxHashes: string[];
  newsSeenKeys: string[];
}

export interface Slot {
  userId: string;
  proc: RunnerProcess | null;
  applied: UserState | null;
  crashes: number;
  restartTimer: NodeJS.Timeout | null;
  /** Set after too many crashes; cleared when the user's keys, plan or config change. */
  erroredAt: { keys: string; plan: string; config: number } | null;
  /** The config version refused as invalid (status 'error' written); cleared by a valid version or a stop. */
  invalidConfigVersion: number | null;
  pendingReload: { version: number; since: number; kind: 'config' | 'restart' } | null;
  lastStatusWrite: number;
  /** The config version of the last heartbeat written to the status row. */
  statusConfigVersion: number | null;
  /** Waiting for the forked runner's 'ready' before its init (and keys) go out. */
  pendingInit: PendingInit | null;
  chain: Promise<void>;
}

export function newSlot(userId: string): Slot {
  return {
    userId,
    proc: null,
    applied: null,
    crashes: 0,
    restartTimer: null,
    erroredAt: null,
    invalidConfigVersion: null,
    pendingReload: null,
    lastStatusWrite: 0,
    statusConfigVersion: null,
    pendingInit: null,
    chain: Promise.resolve(),
  };
}
