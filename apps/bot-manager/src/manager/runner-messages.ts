// What the manager does with each message of a runner: the init once it is ready, heartbeats to the status row
// (throttled), config acknowledgements, and database requests run for the runner's own user.
import type { EventEmitter } from 'node:events';
import type { VenueId } from '@polybot/schemas';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';
import type { FromRunner, VenueUrls } from '../shared/ipc.ts';
import { runDbOp } from './db-ops.ts';
import type { ManagerEvents } from './events.ts';
import type { MarketFeed } from './market-feed.ts';
import type { Metrics } from './metrics.ts';
import type { RunnerFeeds } from './runner-feeds.ts';
import type { RunnerProcess } from './runner-process.ts';
import { liveOf, running, type LiveState, type Slot } from './slot.ts';
import { writeHeartbeat, writeStatus } from './status.ts';
import type { SupervisionOptions } from './supervision.ts';

export interface MessageContext {
  sql: Sql;
  feed: MarketFeed;
  feeds: RunnerFeeds;
  venueUrls: VenueUrls;
  opts: SupervisionOptions;
  log: Logger;
  metrics: Metrics;
  events: EventEmitter<ManagerEvents>;
  /** The runner met an authentication failure on a venue: its keys for that venue are re-validated now. */
  onKeyRejected?: (userId: string, venue: VenueId, reason: string) => void;
  /** The runner met a new opportunity and its user wants to hear of them (notifications/opportunities.ts). */
  onOpportunity?: (userId: string, msg: Extract<FromRunner, { type: 'opportunity' }>) => void;
  /** A write for `userId` failed: true if the database refused it as a stale owner's (handled: Ownership.checkStale). */
  staleOwner?: (e: unknown, userId: string) => boolean;
}

/** A message of `proc`, the runner of slot `s`; ignored once the slot has moved on to another process (or none). */
export function onRunnerMessage(ctx: MessageContext, s: Slot, proc: RunnerProcess, msg: FromRunner): void {
  const live = liveOf(s.state);
  if (!live || live.proc !== proc) return;
  switch (msg.type) {
    case 'ready':
      return sendInit(ctx, s, proc);
    case 'heartbeat':
      return onHeartbeat(ctx, s, live, msg);
    case 'configAck': {
      finishReload(ctx, live, msg.configVersion);
      void writeStatus(ctx.sql, s.userId, {
        configVersion: msg.configVersion,
        configAppliedAt: new Date(),
        heartbeatAt: new Date(),
      }).catch((e: unknown) => {
        if (!ctx.staleOwner?.(e, s.userId))
          ctx.log.warn({ userId: s.userId, err: coerceError(e).message }, 'status write failed');
      });
      ctx.events.emit('configApplied', { userId: s.userId, pid: proc.pid, configVersion: msg.configVersion });
      return;
    }
    case 'db': {
      runDbOp(ctx.sql, s.userId, msg.request, (mode, n) => ctx.metrics.trades.inc({ mode }, n)).then(
        (value) => proc.send({ type: 'dbResult', id: msg.id, ok: true, value, error: null }),
        (e: unknown) => {
          ctx.staleOwner?.(e, s.userId);
          ctx.log.warn({ userId: s.userId, op: msg.request.op, err: coerceError(e).message }, 'runner db op failed');
          proc.send({ type: 'dbResult', id: msg.id, ok: false, value: null, error: 'database operation failed' });
        },
      );
      return;
    }
    case 'stopped':
      return;
    case 'keyRejected':
      return ctx.onKeyRejected?.(s.userId, msg.venue, msg.reason);
    case 'opportunity':
      return ctx.onOpportunity?.(s.userId, msg);
  }
}

/**
 * The runner is ready: its init goes out (the keys travel now, over this child's own IPC channel, and only to it),
 * once the 'starting' status is written, so its first heartbeat cannot be overwritten by it. Only a starting runner
 * gets one: a runner told to stop before it was ready is not handed keys.
 */
function sendInit(ctx: MessageContext, s: Slot, proc: RunnerProcess): void {
  const st = s.state;
  if (st.kind !== 'starting' || st.proc !== proc) return;
  void st.statusWritten.then(
    () => {
      if (s.state !== st) return;
      s.state = running(st);
      const { state, risk, copiedTxHashes, newsSeenKeys, reconcileKalshi, unresolvedIntents } = st.init;
      proc.send({
        type: 'init',
        userId: s.userId,
        configVersion: state.configVersion,
        config: state.config,
        plan: state.plan,
        keys: state.keys,
        instruments: ctx.feed.instruments,
        fees: ctx.feed.fees,
        links: ctx.feed.links,
        venueUrls: ctx.venueUrls,
        heartbeatMs: ctx.opts.heartbeatMs,
        openInstrumentIds: risk.openInstrumentIds,
        pnlTodayUsd: risk.pnlTodayUsd,
        copiedTxHashes,
        newsSeenKeys,
        reconcileKalshi,
        unresolvedIntents: unresolvedIntents.map(({ error: _e, createdAt: _c, ...intent }) => intent),
        ...(ctx.opts.testHooks ? { testHooks: ctx.opts.testHooks } : {}),
        venueHeartbeatMs: ctx.opts.venueHeartbeatMs,
        leaseUntil: ctx.opts.leaseUntil(),
      });
      ctx.feeds.attach(proc, state);
    },
    () => undefined, // the start failed (and was logged); the silent runner is killed at startTimeoutMs
  );
}

function onHeartbeat(
  ctx: MessageContext,
  s: Slot,
  live: LiveState,
  msg: Extract<FromRunner, { type: 'heartbeat' }>,
): void {
  const { proc } = live;
  const now = Date.now();
  if (now - proc.startedAt.getTime() > ctx.opts.healthyResetMs) live.crashes = 0;
  const first = live.lastStatusWrite === 0;
  if (first && live.pendingReload?.kind === 'restart') finishReload(ctx, live, msg.configVersion);
  if (first) ctx.events.emit('runnerReady', { userId: s.userId, pid: proc.pid, configVersion: msg.configVersion });
  // A new config shows at once (e.g. a news rule the user just fixed leaves the ignored list), not a beat later.
  const newConfig = msg.configVersion !== live.statusConfigVersion;
  // Why the bot cannot trade shows as soon as it changes (blocked.ts keeps clock-driven figures out of the words).
  const newHalt = msg.stats.haltReason !== (live.statusHaltReason ?? null);
  if (first || newConfig || newHalt || now - live.lastStatusWrite >= ctx.opts.statusWriteMs) {
    live.lastStatusWrite = now;
    live.statusConfigVersion = msg.configVersion;
    live.statusHaltReason = msg.stats.haltReason;
    void writeHeartbeat(ctx.sql, s.userId, {
      pid: proc.pid,
      managerId: ctx.opts.managerId,
      configVersion: msg.configVersion,
      stats: msg.stats,
      plan: live.applied.plan,
    }).catch((e: unknown) => {
      if (!ctx.staleOwner?.(e, s.userId))
        ctx.log.warn({ userId: s.userId, err: coerceError(e).message }, 'status write failed');
    });
  }
}

/** The runner shows `version`: a reload waiting for it (or an older one) is done, and its latency observed. */
function finishReload(ctx: MessageContext, live: LiveState, version: number): void {
  const p = live.pendingReload;
  if (!p || version < p.version) return;
  live.pendingReload = null;
  ctx.metrics.reloadLatency.observe({ kind: p.kind }, (Date.now() - p.since) / 1000);
}
