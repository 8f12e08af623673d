// A user's place in the supervisor, as a state machine: which of the states below their bot is in, with exactly the
// data that state needs. One slot per user the manager has ever reconciled; the BotManager owns them all and moves
// a slot from state to state only through the transitions here, so no combination the lifecycle does not allow (a
// restart timer beside a live process, an errored bot with a runner) can be written down.
//
//   idle ──start──▶ starting ──ready──▶ running ──stop──▶ stopping ──exit──▶ idle
//    ▲ ▲               │                  │
//    │ └───timer─── backingOff ◀──crash───┘  (or errored after too many crashes in a row, left when keys, plan or
//    │                                         config change; or errored from running when it stays over its CPU
//    │                                         budget, cpu-budget.ts)
//    └── refused (invalid config; left when a valid version is saved, or the bot is stopped)
import type { RiskStart } from '@polybot/db/service';
import type { OrderIntentRow } from '@polybot/schemas';
import type { RunnerProcess } from './runner-process.ts';
import type { UserState } from './user-state.ts';

/** What a forked runner is handed with its init once it says 'ready'. */
export interface PendingInit {
  state: UserState;
  risk: RiskStart;
  copiedTxHashes: string[];
  newsSeenKeys: string[];
  /** Live Kalshi settlements to reconcile with the venue (listUnreconciledKalshiMarkets). */
  reconcileKalshi: string[];
  /** Live orders a previous runner never booked, to reconcile with the venue first (loadUnresolvedIntents). */
  unresolvedIntents: OrderIntentRow[];
}

/** A change on its way to a runner: the reload-latency clock runs until the runner shows `version`. */
export interface PendingReload {
  version: number;
  since: number;
  kind: 'config' | 'restart';
}

/** The keys, plan and config a runner gave up on: the bot stays in 'errored' until one of them changes. */
export interface Fingerprint {
  keys: string;
  plan: string;
  config: number;
}

/** What every state with a runner process holds. */
export interface Live {
  proc: RunnerProcess;
  /** The user state the runner was started with, or last reconfigured to. */
  applied: UserState;
  /** Crashes in a row (reset by a healthy stretch): the restart backoff and the give-up count. */
  crashes: number;
  pendingReload: PendingReload | null;
  /** When this runner's heartbeat was last written to the status row (0: not yet), and with which config version. */
  lastStatusWrite: number;
  statusConfigVersion: number | null;
  /** The halt_reason last written: a new one (the bot blocked, unblocked, or blocked otherwise) is written at once. */
  statusHaltReason?: string | null;
}

export type SlotState =
  /**
   * No runner and nothing pending: never started, taken out by policy (status written then), or between a runner and
   * the next (a restart, the end of a crash backoff): `crashes` is what that next runner continues counting from.
   */
  | { kind: 'idle'; crashes: number }
  /** Forked, waiting for its 'ready' before its init (and keys) go out, and not before the 'starting' status is written. */
  | ({ kind: 'starting'; init: PendingInit; statusWritten: Promise<void> } & Live)
  /** Init sent: trading, heartbeating, taking config changes in place. */
  | ({ kind: 'running' } & Live)
  /** Told to stop; still served (its bookings, heartbeats) until it exits. */
  | ({ kind: 'stopping' } & Live)
  /** Crashed; the timer reconciles (and so restarts) it after the backoff. */
  | { kind: 'backingOff'; crashes: number; timer: NodeJS.Timeout }
  /**
   * Crashed too often in a row (status 'error'), or stopped over its CPU budget (status 'stopped', cpu_budget); waits
   * for the user to change keys, plan or config.
   */
  | { kind: 'errored'; fingerprint: Fingerprint }
  /** The config of this version fails the schema (status 'error'); waits for a valid version or a stop. */
  | { kind: 'refused'; configVersion: number };

export type LiveState = Extract<SlotState, Live>;

export interface Slot {
  readonly userId: string;
  state: SlotState;
  /** Reconcile passes of this user, serialized. */
  chain: Promise<void>;
}

export function newSlot(userId: string): Slot {
  return { userId, state: idle(), chain: Promise.resolve() };
}

/** No runner; `crashes` 0 is a fresh start (after a stop, a refusal, or a change that ends an errored state). */
export function idle(crashes = 0): SlotState {
  return { kind: 'idle', crashes };
}

/** The runner process of a state, if it has one. */
export function liveOf(state: SlotState): LiveState | null {
  return state.kind === 'starting' || state.kind === 'running' || state.kind === 'stopping' ? state : null;
}

/** A freshly forked runner, its init waiting for 'ready'. `crashes` carries over from the state it was started from. */
export function starting(
  proc: RunnerProcess,
  init: PendingInit,
  crashes: number,
  statusWritten: Promise<void>,
): SlotState {
  return {
    kind: 'starting',
    proc,
    applied: init.state,
    crashes,
    pendingReload: null,
    lastStatusWrite: 0,
    statusConfigVersion: null,
    init,
    statusWritten,
  };
}

/** The init went out: the runner is running. */
export function running(from: Extract<SlotState, { kind: 'starting' }>): SlotState {
  const { init: _init, statusWritten: _written, kind: _kind, ...live } = from;
  return { kind: 'running', ...live };
}

/** The runner was told to stop: its messages are still served until it exits. */
export function stopping(from: LiveState): SlotState {
  const { proc, applied, crashes, pendingReload, lastStatusWrite, statusConfigVersion, statusHaltReason } = from;
  return {
    kind: 'stopping',
    proc,
    applied,
    crashes,
    pendingReload,
    lastStatusWrite,
    statusConfigVersion,
    statusHaltReason,
  };
}

/** The crash (or CPU stop) that gave up on the runner: what it ran with is what must change before it is tried again. */
export function errored(from: LiveState): SlotState {
  const a = from.applied;
  return {
    kind: 'errored',
    fingerprint: { keys: a.keysFingerprint, plan: a.planFingerprint, config: a.configVersion },
  };
}

/** Whether the user changed nothing the errored runner ran with (so it stays errored). */
export function sameFingerprint(f: Fingerprint, state: UserState): boolean {
  return f.keys === state.keysFingerprint && f.plan === state.planFingerprint && f.config === state.configVersion;
}

/** The crashes in a row a state has seen (0 for errored and refused: leaving them is a fresh attempt). */
export function crashesOf(state: SlotState): number {
  if (state.kind === 'idle' || state.kind === 'backingOff') return state.crashes;
  return liveOf(state)?.crashes ?? 0;
}
