// BotManager: reconciles running runners (actual) to list_desired_bots() (desired) and supervises them.
// Per user, reconcile passes are serialized (a chain of promises), so a burst of notifications never races itself.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';
import type { ManagerEvents } from './events.ts';
import type { MarketFeed, UniverseChange } from './market-feed.ts';
import type { Metrics } from './metrics.ts';
import { KeyValidator, loadCheckedState } from './key-validation.ts';
import { KeyRevalidator } from './key-revalidation.ts';
import { runnerEntry } from './runner-entry.ts';
import { RunnerFeeds } from './runner-feeds.ts';
import { onRunnerMessage, type MessageContext } from './runner-messages.ts';
import { listRunners, sendLease, sendLinks, sendPositionsSettled, type RunnerInfo } from './slot-messages.ts';
import { RunnerProcess, type IpcTap } from './runner-process.ts';
import { crashesOf, errored, idle, liveOf, newSlot, sameFingerprint, starting, stopping, type Slot } from './slot.ts';
import { whyNotRunning, writeStatus, writeTakenOut } from './status.ts';
import { onRunnerCrash, watchRunners, type Supervision, type SupervisionOptions } from './supervision.ts';
import { desiredUserIds, loadPendingInit, type InvalidConfig, type UserState } from './user-state.ts';
import type { NewsFeed } from './news-feed.ts';
import type { WalletFeed } from './wallet-feed.ts';
import { LEASE_EXPIRED_EXIT_CODE, type PositionsSettledMessage, type VenueUrls } from '../shared/ipc.ts';
import { mayRun, ownedAmong, stopAllAtOnce, type Ownership } from './coordination/ownership.ts';
import { OpportunityNotifier } from '../notifications/opportunities.ts';
import { asManager, getBotRunDecision, listApprovedMarketLinks } from '@polybot/db/service';

export type { SupervisionOptions } from './supervision.ts';
export type { ManagerEvents } from './events.ts';

export class BotManager extends EventEmitter<ManagerEvents> {
  private readonly slots = new Map<string, Slot>();
  private stopping = false;
  /** Stops the silence and memory watch (supervision.ts). */
  private unwatch: () => void = () => undefined;
  private readonly feeds: RunnerFeeds;
  private readonly supervision: Supervision;
  private readonly keyValidator: KeyValidator;
  private readonly messages: MessageContext;
  /** Periodic and on-demand re-validation of valid keys; started by revalidateKeysEvery. */
  private keyRevalidator: KeyRevalidator | null = null;
  /** Which users are ours to run (their shard validly owned, coordination/); null = every user (no coordination). */
  private ownership: Ownership | null = null;

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
    const opportunities = new OpportunityNotifier(sql, log);
    this.messages = {
      sql,
      feed,
      feeds: this.feeds,
      venueUrls,
      opts,
      log,
      metrics,
      events: this,
      onKeyRejected: (userId, venue, reason) => this.keyRevalidator?.keyRejected(userId, venue, reason),
      onOpportunity: (userId, msg) => opportunities.found(userId, msg),
      staleOwner: (e, userId) => this.ownership?.checkStale(e, userId) ?? false,
    };
    this.keyValidator = new KeyValidator(sql, {
      urls: venueUrls,
      log,
      onRetryDue: (userId) => void this.reconcileUser(userId),
    });
  }

  /** From now on only users whose shard is validly ours are run (startBotManager, before the first reconcile). */
  useOwnership(ownership: Ownership): void {
    this.ownership = ownership;
  }

  /** Whether this user may run here now (a synchronous check on the cached shard: re-checked right before a fork). */
  private mayRun(userId: string): boolean {
    return mayRun(this.ownership, userId);
  }

  private ownedAmong(userIds: Iterable<string>): Promise<Set<string>> {
    return ownedAmong(this.ownership, userIds);
  }

  start(): void {
    this.unwatch = watchRunners(
      this.supervision,
      () => this.slots.values(),
      (s, proc, reason) => void this.stopForCpu(s, proc, reason),
    );
    // Find (from sources: build) the compiled runner now, so the first fork does not wait for it; a failure surfaces there.
    runnerEntry().catch(() => undefined);
  }

  /**
   * Keys stay true (key-revalidation.ts): every valid key of the users this manager runs is checked with its venue
   * again once its last check is `intervalMs` old, and at once when their runner reports an authentication failure.
   */
  revalidateKeysEvery(intervalMs: number): void {
    this.keyRevalidator?.close();
    this.keyRevalidator = new KeyRevalidator(this.sql, {
      urls: this.venueUrls,
      log: this.log,
      intervalMs,
      users: () => this.runners().map((r) => r.userId),
    });
    this.keyRevalidator.start();
  }

  /** Live runner processes (slot-messages.ts). */
  runners(): RunnerInfo[] {
    return listRunners(this.slots.values());
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
        if (this.ownership?.checkStale(e, userId)) return;
        this.log.error({ userId, err: coerceError(e).message }, 'reconcile failed');
      });
    return s.chain;
  }

  async reconcileAll(scope: 'start' | 'periodic' | 'reconnect' | 'shards'): Promise<void> {
    if (this.stopping) return;
    const end = this.metrics.reconcileDuration.startTimer({ scope });
    await this.reloadLinks();
    const desired = await desiredUserIds(this.sql);
    const users = new Set([...desired, ...this.slots.keys()]);
    const list = [...users];
    const owned = await this.ownedAmong(list);
    this.metrics.leaseUsersOwned.set([...desired].filter((u) => owned.has(u)).length);
    // Bounded parallelism: a full pass over hundreds of users must not open hundreds of queries at once.
    for (let i = 0; i < list.length; i += 8) {
      await Promise.all(
        list
          .slice(i, i + 8)
          .map((u) => this.enqueue(u, (s) => (owned.has(u) ? this.reconcileSlot(s, desired.has(u)) : this.letGo(s)))),
      );
    }
    end();
  }

  /**
   * The user's shard is not ours (any more): their runner stops here and nothing is written — the status row and
   * everything else of this user belong to the shard's owner, and the database would refuse our writes anyway.
   */
  private async letGo(s: Slot): Promise<void> {
    if (s.state.kind === 'idle') return;
    this.log.info({ userId: s.userId }, "the user's shard is not ours: their runner stops here");
    await this.clearSlot(s);
  }

  /** These shards stop being ours (released to another manager, or found taken): their users' runners stop. */
  async releaseShards(shards: number[]): Promise<void> {
    const set = new Set(shards);
    const users = this.ownership ? this.ownership.shards.inShards(this.slots.keys(), set) : [];
    await Promise.all(users.map((u) => this.enqueue(u, (s) => this.letGo(s))));
  }

  /**
   * Fenced (coordination/membership.ts): every runner is told to stop at once and killed after a short grace — not
   * through the per-user queues, which may be stuck on a database that no longer answers — and nothing is written
   * (the database would refuse it). Pending restarts are dropped.
   */
  fenceAll(): Promise<void> {
    return stopAllAtOnce(this.slots.values(), Math.min(this.opts.stopGraceMs, 3000));
  }

  private linksReload: Promise<void> = Promise.resolve();
  /** Re-read the approved links now (an admin's review was NOTIFYed, or a full pass); serialized: never an older read last. */
  reloadLinks(): Promise<void> {
    const next = this.linksReload.then(() => this.refreshLinks());
    this.linksReload = next.catch(() => undefined);
    return next;
  }

  /** Approved market links change rarely (an admin's review): picked up on every full pass and sent to live runners. */
  private async refreshLinks(): Promise<void> {
    if (!this.feed.setLinks(await asManager(this.sql, (tx) => listApprovedMarketLinks(tx)))) return;
    this.log.info({ links: this.feed.links.length }, 'approved market links changed');
    sendLinks(this.slots.values(), this.feed.links);
  }

  /** The market universe changed (market-lifecycle.ts): every running runner is told, in place, and its books follow. */
  applyUniverse(change: UniverseChange): void {
    this.feeds.applyUniverse(change);
  }

  /** Some of this user's positions were settled (slot-messages.ts). */
  positionsSettled(userId: string, settled: Omit<PositionsSettledMessage, 'type'>): void {
    sendPositionsSettled(this.slots.get(userId), settled);
  }

  /** `noticedAt`: when the notification that prompted this pass arrived (the reload-latency clock's start). */
  reconcileUser(userId: string, noticedAt?: number): Promise<void> {
    return this.enqueue(userId, async (s) => {
      const end = this.metrics.reconcileDuration.startTimer({ scope: 'user' });
      // Another manager's user: nothing to read (the shard is cached after the first time).
      if (!(await this.ownedAmong([userId])).has(userId)) {
        await this.letGo(s);
        end();
        return;
      }
      // Only this user's decision (one row), never the whole desired list: a notification costs the same with 10 users
      // or 100 000 (SECURITY.md §7.3). Full passes (reconcileAll) still read the list once for everyone.
      const decision = await asManager(this.sql, (tx) => getBotRunDecision(tx, userId));
      await this.reconcileSlot(s, decision.should_run, noticedAt);
      end();
    });
  }

  private async reconcileSlot(s: Slot, desired: boolean, noticedAt = Date.now()): Promise<void> {
    if (!desired) {
      if (s.state.kind !== 'idle') await this.stopSlot(s);
      return;
    }
    const state = await loadCheckedState(this.sql, this.keyValidator, s.userId);
    if (!state) return this.stopSlot(s);
    if ('invalid' in state) return this.refuseConfig(s, state);
    const st = s.state;
    switch (st.kind) {
      case 'refused':
        this.log.info({ userId: s.userId, configVersion: state.configVersion }, 'config valid again: starting the bot');
        s.state = idle();
        return this.startRunner(s, state);
      case 'errored':
        if (sameFingerprint(st.fingerprint, state)) return;
        // Something changed since the runner gave up: the user deserves a fresh attempt.
        s.state = idle();
        return this.startRunner(s, state);
      case 'idle':
        return this.startRunner(s, state);
      case 'backingOff': // the timer starts it with fresh state
      case 'stopping': // only while shutting down: nothing is reconciled then
        return;
      case 'starting':
      case 'running':
        break;
    }
    if (st.applied.keysFingerprint !== state.keysFingerprint || st.applied.planFingerprint !== state.planFingerprint) {
      this.log.info(
        { userId: s.userId, keys: st.applied.keysFingerprint !== state.keysFingerprint },
        'keys or plan changed: restarting runner',
      );
      this.metrics.restarts.inc({ reason: 'change' });
      await this.stopRunner(s);
      await this.startRunner(s, state);
      // The new runner (starting, or already running if it was quick) finishes the reload with its first heartbeat.
      const next = liveOf(s.state);
      if (next && next.kind !== 'stopping')
        next.pendingReload = { version: state.configVersion, since: noticedAt, kind: 'restart' };
      return;
    }
    if (st.applied.configVersion !== state.configVersion) {
      st.applied = state;
      st.pendingReload = { version: state.configVersion, since: noticedAt, kind: 'config' };
      // A runner still starting has no config yet and drops a 'config' message: its init carries the new one instead.
      if (st.kind === 'starting') st.init = { ...st.init, state };
      else st.proc.send({ type: 'config', configVersion: state.configVersion, config: state.config });
      this.feeds.update(st.proc, state);
    }
  }

  /**
   * The user's config row fails the schema: their bot stops (or does not start) and their status says why, in words,
   * until they save a valid config (a new version). Only this user is affected: nothing here throws.
   */
  private async refuseConfig(s: Slot, bad: InvalidConfig): Promise<void> {
    if (s.state.kind === 'refused' && s.state.configVersion === bad.configVersion) return; // already said so
    this.log.warn(
      { userId: s.userId, configVersion: bad.configVersion, problem: bad.problem },
      'invalid config: bot stopped until it is fixed',
    );
    await this.clearSlot(s);
    s.state = { kind: 'refused', configVersion: bad.configVersion };
    await writeStatus(this.sql, s.userId, {
      state: 'error',
      pid: null,
      heartbeatAt: null,
      lastError: `invalid configuration (version ${bad.configVersion}), the bot is stopped until it is fixed: ${bad.problem}`,
      errorCode: 'invalid_config',
    });
    this.emit('runnerStopped', { userId: s.userId });
  }

  /** Forks the user's runner from an idle slot; its init goes out when it says 'ready' (runner-messages.ts). */
  private async startRunner(s: Slot, state: UserState): Promise<void> {
    if (this.stopping) return;
    const init = await loadPendingInit(this.sql, s.userId, state);
    const entry = await runnerEntry();
    // The shard may have moved (or the lease lapsed) while the state loaded: no fork for a user that is not ours.
    if (this.stopping || !this.mayRun(s.userId)) return;
    const log = this.log.child({ userId: s.userId });
    const proc: RunnerProcess = new RunnerProcess({
      entry,
      userId: s.userId,
      memoryMb: this.opts.runnerMemoryMb,
      logLevel: this.opts.logLevel,
      log,
      onMessage: (msg) => onRunnerMessage(this.messages, s, proc, msg),
      onExit: (code, signal) => this.onRunnerExit(s, proc, code, signal),
      ...(this.tap ? { tap: this.tap } : {}),
    });
    const crashes = crashesOf(s.state);
    this.metrics.runnersActive.inc();
    log.info({ pid: proc.pid, configVersion: state.configVersion }, 'runner forked');
    const statusWritten = writeStatus(this.sql, s.userId, {
      state: 'starting',
      pid: proc.pid,
      managerId: this.opts.managerId,
      startedAt: proc.startedAt,
      configVersion: state.configVersion,
      // Why it was stopped no longer holds; the runner's heartbeats report any halt of its own from here on.
      restartCount: crashes,
      haltReason: null,
    });
    s.state = starting(proc, init, crashes, statusWritten);
    await statusWritten;
  }

  private onRunnerExit(s: Slot, proc: RunnerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.metrics.runnersActive.dec();
    this.feeds.detach(proc);
    const live = liveOf(s.state);
    if (!live || live.proc !== proc) return;
    if (live.kind === 'stopping' || this.stopping) {
      s.state = idle(live.crashes);
      return;
    }
    if (code === LEASE_EXPIRED_EXIT_CODE && !this.mayRun(s.userId)) {
      // The runner stopped at its lease deadline (runner/lease-guard.ts) because this manager no longer holds the
      // user: not a crash (no backoff, no count, no status write — the row is the new owner's). While we do hold the
      // user, an exit at the deadline is a crash like any other (an extension that came too late) and is retried.
      this.log.warn({ userId: s.userId, pid: proc.pid }, 'runner stopped at its lease deadline');
      s.state = idle(live.crashes);
      return;
    }
    s.state = onRunnerCrash(this.supervision, s, live, code, signal, () => void this.reconcileUser(s.userId));
  }

  /** Asks the slot's runner (if any) to stop and waits for it to exit; the exit leaves the slot idle. */
  private async stopRunner(s: Slot): Promise<void> {
    const live = liveOf(s.state);
    if (!live) return;
    if (live.kind !== 'stopping') s.state = stopping(live);
    await live.proc.stop(this.opts.stopGraceMs);
  }

  /** No runner, no pending restart, no crash or reload bookkeeping: what both ways of taking a bot out start from. */
  private async clearSlot(s: Slot): Promise<void> {
    if (s.state.kind === 'backingOff') clearTimeout(s.state.timer);
    await this.stopRunner(s);
    s.state = idle();
  }

  private async stopSlot(s: Slot): Promise<void> {
    await this.clearSlot(s);
    const why = await whyNotRunning(this.sql, s.userId);
    await writeTakenOut(this.sql, s.userId, why);
    this.emit('runnerStopped', { userId: s.userId });
  }

  /**
   * Over its CPU budget for too long (cpu-budget.ts): the runner is stopped and the bot stays out — 'errored' on what
   * it ran with, so no reconcile restarts it until the user changes keys, plan or config (or pauses and resumes) —
   * and the status row says why (halt code cpu_budget). Only this user is touched.
   */
  private stopForCpu(s: Slot, proc: RunnerProcess, reason: string): Promise<void> {
    return this.enqueue(s.userId, async () => {
      const live = liveOf(s.state);
      if (!live || live.proc !== proc || live.kind === 'stopping') return;
      await this.stopRunner(s);
      s.state = errored(live);
      await writeTakenOut(this.sql, s.userId, { state: 'stopped', reason, code: 'cpu_budget' });
      this.emit('runnerStopped', { userId: s.userId });
    });
  }

  /** SIGTERM path: no more reconciling; every runner asked to stop, bounded wait, then killed. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.keyValidator.close();
    this.keyRevalidator?.close();
    this.unwatch();
    const all = [...this.slots.values()];
    for (const s of all) if (s.state.kind === 'backingOff') clearTimeout(s.state.timer);
    const results = await Promise.allSettled(
      all.map(async (s) => {
        await this.stopRunner(s);
        // Only users still ours get the status: the others' rows belong to their shards' owners now.
        if (!this.mayRun(s.userId)) return;
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

  /** Called after each successful lease renewal: runners learn their new deadline (slot-messages.ts). */
  extendLeases(until: number): void {
    sendLease(this.slots.values(), until);
  }
}
