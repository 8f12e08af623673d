// Child process entry (forked by the BotManager). Receives everything — including this user's keys — over IPC after
// start; argv and env carry nothing secret. If the IPC channel closes (the manager died), it stops trading at once,
// cancels the live accounts' resting orders (dead-man.ts, bounded) and exits: no bot ever trades unsupervised.
import { pino } from 'pino';
import { coerceError } from '../shared/errors.ts';
import { FromRunnerSchema, LEASE_EXPIRED_EXIT_CODE, ToRunnerSchema, type FromRunner } from '../shared/ipc.ts';
import { REDACT_PATHS } from '../shared/log.ts';
import { burnCpu } from './cpu-burn.ts';
import { DbRpc } from './db-rpc.ts';
import { PolybotRunner } from './runner.ts';

const base = pino({
  name: 'polybot-runner',
  level: process.argv[2] ?? 'info',
  redact: { paths: REDACT_PATHS, censor: '[redacted]' },
});

function send(msg: FromRunner): void {
  if (!process.connected || !process.send) return;
  // With a callback, a write that fails because the manager just died (EPIPE, before 'disconnect' arrives) is reported
  // here instead of as an unhandled 'error' event, which would kill the runner before its cancel-all (dead-man.ts).
  process.send(FromRunnerSchema.parse(msg), (err: Error | null) => {
    if (err) base.debug({ type: msg.type, err: err.message }, 'message to the manager not delivered');
  });
}

process.on('disconnect', () => {
  // The manager is gone: stop trading now (nothing can be booked any more, so nothing is waited for), cancel the live
  // accounts' resting orders, exit. Exiting drops every in-memory order path with the process.
  if (heartbeatTimer) clearInterval(heartbeatTimer);
  // Whatever hangs (a venue that never answers), a runner without its manager is gone soon: never an orphan.
  setTimeout(() => process.exit(0), ORPHAN_EXIT_MS).unref();
  void (runner?.abandon() ?? Promise.resolve())
    .catch((e: unknown) => log.error({ err: coerceError(e).message }, 'cancel-all after losing the manager failed'))
    .finally(() => process.exit(0));
});

// A terminal's Ctrl-C reaches every process in its foreground group, this runner included: its manager stops it over
// IPC, in order, after the runner's last bookings — the same graceful stop, cancel-all included (and if the manager
// dies, 'disconnect' above ends it).
process.on('SIGINT', () => undefined);
// SIGTERM from anyone else (an operator, a container runtime): the graceful stop the manager's 'stop' runs.
process.on('SIGTERM', () => stop('SIGTERM'));

/** The longest a runner outlives its manager: its cancel-all is bounded well inside this (dead-man.ts). */
const ORPHAN_EXIT_MS = 10_000;

let runner: PolybotRunner | null = null;
/** Bound to the user id once the init names it. */
let log = base;
let heartbeatTimer: NodeJS.Timeout | null = null;
/** Test-only CPU burner (testHooks.burnCpuFor), ended by a stop. */
let stopBurning: () => void = () => undefined;
const db = new DbRpc((msg) => send(msg));

process.on('message', (raw: unknown) => {
  const parsed = ToRunnerSchema.safeParse(raw);
  if (!parsed.success) {
    base.error(
      { issues: parsed.error.issues.map((i) => i.path.join('.') + ': ' + i.message) },
      'invalid IPC message ignored',
    );
    return;
  }
  const msg = parsed.data;
  switch (msg.type) {
    case 'init': {
      if (runner) return;
      log = base.child({ userId: msg.userId });
      runner = new PolybotRunner(msg, db, send, log, leaseExpired);
      heartbeatTimer = setInterval(() => runner?.heartbeat(), msg.heartbeatMs);
      runner.heartbeat();
      if (msg.testHooks?.burnCpuFor?.includes(msg.userId)) stopBurning = burnCpu();
      log.info(
        { configVersion: msg.configVersion, instruments: msg.instruments.length, keyCount: msg.keys.length },
        'runner started',
      );
      return;
    }
    case 'config':
      runner?.onConfig(msg.config, msg.configVersion);
      return;
    case 'book':
      runner?.onBook(msg.book, msg.hubAtMs);
      return;
    case 'links':
      runner?.onLinks(msg.links);
      return;
    case 'walletTrade':
      runner?.onWalletTrade(msg.trade);
      return;
    case 'newsItem':
      runner?.onNewsItem(msg.item);
      return;
    case 'instruments':
      runner?.onInstruments(msg);
      return;
    case 'positionsSettled':
      runner?.onPositionsSettled(msg);
      return;
    case 'dbResult':
      db.settle(msg.id, msg.ok, msg.value, msg.error);
      return;
    case 'stop':
      stop('stop');
      return;
    case 'throttle':
      runner?.throttle(msg.forMs);
      return;
    case 'lease':
      runner?.extendLease(msg.until);
      return;
  }
});

/**
 * The lease deadline passed without an extension: the manager froze, lost the database or lost this user, and once
 * its lease expires another manager may start this user's bot. So this runner ends as if its manager were gone — stop
 * trading (no order leaves past the deadline anyway: order-path.ts), cancel the live venues' resting orders, exit —
 * with LEASE_EXPIRED_EXIT_CODE, which tells the manager (if it still listens) it was not a crash.
 */
function leaseExpired(): void {
  stopping = true;
  stopBurning();
  if (heartbeatTimer) clearInterval(heartbeatTimer);
  log.warn(
    'lease expired: the bot manager did not extend this runner’s deadline (it froze, lost the database or lost this ' +
      'user); stopping trading, cancelling resting orders, exiting',
  );
  setTimeout(() => process.exit(LEASE_EXPIRED_EXIT_CODE), ORPHAN_EXIT_MS).unref();
  void (runner?.abandon('lease expired') ?? Promise.resolve())
    .catch((e: unknown) => log.error({ err: coerceError(e).message }, 'cancel-all after the lease expired failed'))
    .finally(() => process.exit(LEASE_EXPIRED_EXIT_CODE));
}

let stopping = false;
/** Finish the decision in flight, cancel the live accounts' resting orders (runner.stop), say 'stopped', exit. */
function stop(why: string): void {
  if (stopping) return;
  stopping = true;
  stopBurning();
  if (heartbeatTimer) clearInterval(heartbeatTimer);
  if (runner)
    log.info(
      { deciding: runner.deciding, why },
      runner.deciding ? 'stop requested: finishing the decision in flight' : 'stop requested',
    );
  void (runner?.stop(why) ?? Promise.resolve())
    .catch((e: unknown) => log.error({ err: coerceError(e).message }, 'stop failed'))
    .finally(() => {
      // Exit once 'stopped' is flushed to the manager (or at once if the channel is already gone).
      if (process.connected && process.send) process.send({ type: 'stopped' }, () => process.exit(0));
      else process.exit(0);
    });
}

send({ type: 'ready' });
