// BotManager: reconciles running runners (actual) to list_desired_bots() (desired) and supervises them.
// Per user, reconcile passes are serialized (a chain of promises), so a burst of notifications never races itself.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';
import type { FromRunner } from '../shared/ipc.ts';
import { runDbOp } from './db-ops.ts';
import type { MarketFeed } from './market-feed.ts';
import type { Metrics } from './metrics.ts';
import { KeyValidator } from './key-validation.ts';
import { runnerBundle } from './runner-bundle.ts';
import { RunnerFeeds } from './runner-feeds.ts';
import { RunnerProcess, type IpcTap } from './runner-process.ts';
import { newSlot, type Slot } from './slot.ts';
import { whyNotRunning, writeHeartbeat, writeStatus } from './status.ts';
import {
  killOverBudgetRunners,
  killSilentRunners,
  onRunnerCrash,
  type Supervision,
  type SupervisionOptions,
} from './supervision.ts';
import {
  desiredUserIds,
  loadCopiedTxHashes,
  loadNewsSeenKeys,
  loadRiskStart,
  loadUserState,
  type InvalidConfig,
  type UserState,
} from './user-state.ts';
import type { NewsFeed } from './news-feed.ts';
import type { WalletFeed } from './wallet-feed.ts';
import type { VenueUrls } from '../shared/ipc.ts';
import { asService, listApprovedMarketLinks } from '@polybot/db/service';

export type { SupervisionOptions } from './supervision.ts';

export class BotManager extends EventEmitter {
  private readonly slots = new Map<string, Slot>();
  private stopping = false;
  private watchdog: NodeJS.Timeout | null = null;
  private memoryWatch: NodeJS.Timeout | null = null;
  private readonly feeds: RunnerFeeds;
  private readonly supervision: Supervision;
  private readonly keyValidator: KeyValidator;

  constructor(
    private readonly sql: Sql,
    private readonly feed: MarketFeed,
    private readonly venueUrls: VenueUrls,
    private readonly metrics: Metrics,
    private readonly opts: SupervisionOptions,
    private readonly log: Logger,
    private readonly tap?: IpcTap,
    /** Followed wallets' trades (copy trading); null when no data-API URL is configured. */
    wallets: WalletFeed | null = null,
    /** News items for news rules; null when no feed is configured. */
    news: NewsFeed | null = null,
  ) {
    super();
    this.feeds = new RunnerFeeds(feed, wallets, news);
    this.supervision = { sql, opts, log, metrics };
    this.keyValidator = new KeyValidator(sql, {
      urls: venueUrls,
      log,
      onRetryDue: (userId) => void this.reconcileUser(userId),
    });
  }

  start(): void {
    this.watchdog = setInterval(
      () => killSilentRunners(this.supervision, this.slots.values()),
      Math.max(100, Math.floor(this.opts.heartbeatMs / 2)),
    );
    let measuring = false;
    this.memoryWatch = setInterval(() => {
      if (measuring) return;
      measuring = true;
      killOverBudgetRunners(this.supervision, this.slots.values())
        .catch((e: unknown) => this.log.error({ err: coerceError(e).message }, 'memory check failed'))
        .finally(() => (measuring = false));
    }, this.opts.memoryCheckMs);
    // Build (or find cached) the compiled runner now, so the first fork does not wait for it; a failure surfaces there.
    runnerBundle().catch(() => undefined);
  }

  runners(): Array<{ userId: string; pid: number; configVersion: number | null }> {
    const out: Array<{ userId: string; pid: number; configVersion: number | null }> = [];
    for (const s of this.slots.values())
      if (s.proc && !s.proc.exited)
        out.push({ userId: s.userId, pid: s.proc.pid, configVersion: s.proc.configVersion });
    return out;
  }

  private slot(userId: string): Slot {
    let s = this.slots.get(userId);
    if (!s) {
      s = newSlot(userId);
      this.slots.set(userId, s);
    }
    return s;
  }

  /** Serialize work per user. */
  private enqueue(userId: string, work: (s: Slot) => Promise<void>): Promise<void> {
    const s = this.slot(userId);
    s.chain = s.chain
      .then(() => (this.stopping ? undefined : work(s)))
      .catch((e: unknown) => {
        this.log.error({ userId, err: coerceError(e).message }, 'reconcile failed');
      });
    return s.chain;
  }

  async reconcileAll(scope: 'start' | 'periodic' | 'reconnect'): Promise<void> {
    if (this.stopping) return;
    const end = this.metrics.reconcileDuration.startTimer({ scope });
    await this.refreshLinks();
    const desired = await desiredUserIds(this.sql);
    const users = new Set([...desired, ...this.slots.keys()]);
    const list = [...users];
    // Bounded parallelism: a full pass over hundreds of users must not open hundreds of queries at once.
    for (let i = 0; i < list.length; i += 8) {
      await Promise.all(list.slice(i, i + 8).map((u) => this.enqueue(u, (s) => this.reconcileSlot(s, desired.has(u)))));
    }
    end();
  }

  /** Approved market links change rarely (an admin's review): picked up on every full pass and sent to live runners. */
  private async refreshLinks(): Promise<void> {
    if (!this.feed.setLinks(await asService(this.sql, (tx) => listApprovedMarketLinks(tx)))) return;
    this.log.info({ links: this.feed.links.length }, 'approved market links changed');
    for (const s of this.slots.values())
      if (s.proc && !s.proc.exited && s.proc.ready) s.proc.send({ type: 'links', links: this.feed.links });
  }

  /** `noticedAt`: when the notification that prompted this pass arrived (the reload-latency clock's start). */
  reconcileUser(userId: string, noticedAt?: number): Promise<void> {
    return this.enqueue(userId, async (s) => {
      const end = this.metrics.reconcileDuration.startTimer({ scope: 'user' });
      const desired = await desiredUserIds(this.sql);
      await this.reconcileSlot(s, desired.has(userId), noticedAt);
      end();
    });
  }

  private async reconcileSlot(s: Slot, desired: boolean, noticedAt = Date.now()): Promise<void> {
    if (!desired) {
      if (s.proc || s.restartTimer || s.erroredAt || s.invalidConfigVersion !== null) await this.stopSlot(s);
      return;
    }
    let state = await loadUserState(this.sql, s.userId);
    if (!state) return this.stopSlot(s);
    if ('invalid' in state) return this.refuseConfig(s, state);
    // New or rotated keys are checked against the venue first, so the runner starts with their real status.
    if (
      state.keys.some((k) => k.validationStatus === 'pending') &&
      (await this.keyValidator.validatePending(s.userId))
    ) {
      const again = await loadUserState(this.sql, s.userId);
      if (again && 'invalid' in again) return this.refuseConfig(s, again);
      state = again ?? state;
    }
    if (s.invalidConfigVersion !== null) {
      this.log.info({ userId: s.userId, configVersion: state.configVersion }, 'config valid again: starting the bot');
      s.invalidConfigVersion = null;
    }
    if (s.erroredAt) {
      const e = s.erroredAt;
      if (e.keys === state.keysFingerprint && e.plan === state.planFingerprint && e.config === state.configVersion)
        return;
      // Something changed since the runner gave up: the user deserves a fresh attempt.
      s.erroredAt = null;
      s.crashes = 0;
    }
    if (s.restartTimer) return; // backing off after a crash; the timer starts it with fresh state
    if (!s.proc || s.proc.exited) return this.startRunner(s, state);
    const applied = s.applied;
    if (
      !applied ||
      applied.keysFingerprint !== state.keysFingerprint ||
      applied.planFingerprint !== state.planFingerprint
    ) {
      this.log.info(
        { userId: s.userId, keys: applied?.keysFingerprint !== state.keysFingerprint },
        'keys or plan changed: restarting runner',
      );
      this.metrics.restarts.inc({ reason: 'change' });
      const since = noticedAt;
      await this.stopProc(s);
      await this.startRunner(s, state);
      s.pendingReload = { version: state.configVersion, since, kind: 'restart' };
      return;
    }
    if (applied.configVersion !== state.configVersion) {
      s.applied = state;
      s.pendingReload = { version: state.configVersion, since: noticedAt, kind: 'config' };
      s.proc.send({ type: 'config', configVersion: state.configVersion, config: state.config });
      this.feeds.update(s.proc, state);
    }
  }

  /**
   * The user's config row fails the schema: their bot stops (or does not start) and their status says why, in words,
   * until they save a valid config (a new version). Only this user is affected: nothing here throws.
   */
  private async refuseConfig(s: Slot, bad: InvalidConfig): Promise<void> {
    if (s.invalidConfigVersion === bad.configVersion && !s.proc && !s.restartTimer) return; // already said so
    this.log.warn(
      { userId: s.userId, configVersion: bad.configVersion, problem: bad.problem },
      'invalid config: bot stopped until it is fixed',
    );
    await this.clearSlot(s);
    s.invalidConfigVersion = bad.configVersion;
    await writeStatus(this.sql, s.userId, {
      state: 'error',
      pid: null,
      heartbeatAt: null,
      lastError: `invalid configuration (version ${bad.configVersion}), the bot is stopped until it is fixed: ${bad.problem}`,
      errorCode: 'invalid_config',
    });
    this.emit('runnerStopped', { userId: s.userId });
  }

  private async startRunner(s: Slot, state: UserState): Promise<void> {
    if (this.stopping) return;
    const [risk, copiedTxHashes, newsSeenKeys] = await Promise.all([
      loadRiskStart(this.sql, s.userId),
      loadCopiedTxHashes(this.sql, s.userId),
      loadNewsSeenKeys(this.sql, s.userId),
    ]);
    const entry = await runnerBundle();
    if (this.stopping) return;
    const log = this.log.child({ userId: s.userId });
    const proc = new RunnerProcess({
      entry,
      userId: s.userId,
      memoryMb: this.opts.runnerMemoryMb,
      logLevel: this.opts.logLevel,
      log,
      onMessage: (msg) => this.onRunnerMessage(s, proc, msg),
      onExit: (code, signal) => this.onRunnerExit(s, proc, code, signal),
      ...(this.tap ? { tap: this.tap } : {}),
    });
    s.proc = proc;
    s.applied = state;
    this.metrics.runnersActive.inc();
    log.info({ pid: proc.pid, configVersion: state.configVersion }, 'runner forked');
    await writeStatus(this.sql, s.userId, {
      state: 'starting',
      pid: proc.pid,
      managerId: this.opts.managerId,
      startedAt: proc.startedAt,
      configVersion: state.configVersion,
      // Why it was stopped no longer holds; the runner's heartbeats report any halt of its own from here on.
      restartCount: s.crashes,
      haltReason: null,
    });
    s.pendingInit = { state, risk, copiedTxHashes, newsSeenKeys };
  }

  private onRunnerMessage(s: Slot, proc: RunnerProcess, msg: FromRunner): void {
    if (s.proc !== proc) return;
    switch (msg.type) {
      case 'ready': {
        const init = s.pendingInit;
        if (!init) return;
        s.pendingInit = null;
        const { state, risk, copiedTxHashes, newsSeenKeys } = init;
        // The keys travel now, over this child's own IPC channel, and only to it.
        proc.send({
          type: 'init',
          userId: s.userId,
          configVersion: state.configVersion,
          config: state.config,
          plan: state.plan,
          keys: state.keys,
          instruments: this.feed.instruments,
          fees: this.feed.fees,
          links: this.feed.links,
          venueUrls: this.venueUrls,
          heartbeatMs: this.opts.heartbeatMs,
          openPositions: risk.openPositions,
          pnlTodayUsd: risk.pnlTodayUsd,
          copiedTxHashes,
          newsSeenKeys,
        });
        this.feeds.attach(proc, state);
        return;
      }
      case 'heartbeat': {
        const now = Date.now();
        if (now - proc.startedAt.getTime() > this.opts.healthyResetMs) s.crashes = 0;
        const first = !s.lastStatusWrite || s.lastStatusWrite < proc.startedAt.getTime();
        if (first && s.pendingReload?.kind === 'restart') this.finishReload(s, msg.configVersion);
        if (first) this.emit('runnerReady', { userId: s.userId, pid: proc.pid, configVersion: msg.configVersion });
        // A new config shows at once (e.g. a news rule the user just fixed leaves the ignored list), not a beat later.
        const newConfig = msg.configVersion !== s.statusConfigVersion;
        if (first || newConfig || now - s.lastStatusWrite >= this.opts.statusWriteMs || msg.stats.haltReason !== null) {
          s.lastStatusWrite = now;
          s.statusConfigVersion = msg.configVersion;
          void writeHeartbeat(this.sql, s.userId, {
            pid: proc.pid,
            managerId: this.opts.managerId,
            configVersion: msg.configVersion,
            stats: msg.stats,
            plan: s.applied?.plan ?? null,
          }).catch((e: unknown) =>
            this.log.warn({ userId: s.userId, err: coerceError(e).message }, 'status write failed'),
          );
        }
        return;
      }
      case 'configAck': {
        this.finishReload(s, msg.configVersion);
        void writeStatus(this.sql, s.userId, {
          configVersion: msg.configVersion,
          configAppliedAt: new Date(),
          heartbeatAt: new Date(),
        }).catch((e: unknown) =>
          this.log.warn({ userId: s.userId, err: coerceError(e).message }, 'status write failed'),
        );
        this.emit('configApplied', { userId: s.userId, pid: proc.pid, configVersion: msg.configVersion });
        return;
      }
      case 'db': {
        runDbOp(this.sql, s.userId, msg.request, (mode, n) => this.metrics.trades.inc({ mode }, n)).then(
          (value) => proc.send({ type: 'dbResult', id: msg.id, ok: true, value, error: null }),
          (e: unknown) => {
            this.log.warn({ userId: s.userId, op: msg.request.op, err: coerceError(e).message }, 'runner db op failed');
            proc.send({ type: 'dbResult', id: msg.id, ok: false, value: null, error: 'database operation failed' });
          },
        );
        return;
      }
      case 'stopped':
        return;
    }
  }

  private finishReload(s: Slot, version: number): void {
    const p = s.pendingReload;
    if (!p || version < p.version) return;
    s.pendingReload = null;
    this.metrics.reloadLatency.observe({ kind: p.kind }, (Date.now() - p.since) / 1000);
  }

  private onRunnerExit(s: Slot, proc: RunnerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.metrics.runnersActive.dec();
    this.feeds.detach(proc);
    if (s.proc !== proc) return;
    s.proc = null;
    if (proc.stopRequested || this.stopping) return;
    onRunnerCrash(this.supervision, s, proc, code, signal, () => void this.reconcileUser(s.userId));
  }

  private async stopProc(s: Slot): Promise<void> {
    const p = s.proc;
    if (!p) return;
    await p.stop(this.opts.stopGraceMs);
  }

  /** No runner, no pending restart, no crash or reload bookkeeping: what both ways of taking a bot out start from. */
  private async clearSlot(s: Slot): Promise<void> {
    if (s.restartTimer) clearTimeout(s.restartTimer);
    s.restartTimer = null;
    await this.stopProc(s);
    s.applied = null;
    s.erroredAt = null;
    s.crashes = 0;
    s.pendingReload = null;
    s.invalidConfigVersion = null;
  }

  private async stopSlot(s: Slot): Promise<void> {
    await this.clearSlot(s);
    const why = await whyNotRunning(this.sql, s.userId);
    await writeStatus(this.sql, s.userId, {
      state: why.state,
      pid: null,
      heartbeatAt: null,
      haltReason: why.reason,
      haltCode: why.code,
      tradingHaltedUntil: null,
    });
    this.emit('runnerStopped', { userId: s.userId });
  }

  /** SIGTERM path: no more reconciling; every runner asked to stop, bounded wait, then killed. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.keyValidator.close();
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.memoryWatch) clearInterval(this.memoryWatch);
    const all = [...this.slots.values()];
    for (const s of all) if (s.restartTimer) clearTimeout(s.restartTimer);
    const results = await Promise.allSettled(
      all.map(async (s) => {
        await this.stopProc(s);
        await writeStatus(this.sql, s.userId, {
          state: 'stopped',
          pid: null,
          haltReason: 'the bot service is restarting; your bot resumes when it is back',
          haltCode: 'service_restarting',
        });
      }),
    );
    for (const r of results)
      if (r.status === 'rejected') this.log.error({ err: coerceError(r.reason).message }, 'runner stop failed');
  }
}
