// startBotManager: wires database, LISTEN, market-data hub, supervisor, timers and the HTTP endpoints together.
import { hostname } from 'node:os';
import { createDb } from '@polybot/db';
import { asManager, listOpenPositionMarkets } from '@polybot/db/service';
import type { Logger } from 'pino';
import { BotManager } from './manager/bot-manager.ts';
import type { SupervisionOptions } from './manager/supervision.ts';
import { DatabaseProbe, readiness } from './manager/health.ts';
import { startHttp } from './manager/http.ts';
import { NotifyListener } from './manager/listener.ts';
import { LinkProposer } from './manager/link-proposals.ts';
import { MarketFeed, type KalshiFeedOptions } from './manager/market-feed.ts';
import { MarketLifecycle } from './manager/market-lifecycle.ts';
import { settleDecidedMarket } from './manager/settle-markets.ts';
import { MarkWriter } from './manager/mark-writer.ts';
import { runnerEntry } from './manager/runner-entry.ts';
import { setUpRunnerIdentity } from './manager/runner-identity.ts';
import { createMetrics, type Metrics } from './manager/metrics.ts';
import { NewsFeed } from './manager/news-feed.ts';
import { WalletFeed } from './manager/wallet-feed.ts';
import type { IpcTap } from './manager/runner-process.ts';
import { listenApplicationName, managerApplicationName } from './manager/coordination/coordination-db.ts';
import { checkLeaseTiming } from './manager/coordination/types.ts';
import { wireCoordination } from './manager/coordination/wire.ts';
import { coerceError } from './shared/errors.ts';
import { NO_LEASE_DEADLINE, type RunnerTestHooks, type VenueUrls } from './shared/ipc.ts';
import { createLogger } from './shared/log.ts';
import type { NotificationWorkerConfig } from './notifications/config.ts';
import { startNotificationWorker, type NotificationWorker } from './notifications/worker.ts';

export type { IpcTap } from './manager/runner-process.ts';
export type { VenueUrls } from './shared/ipc.ts';
export { BotManager } from './manager/bot-manager.ts';
export type { ManagerEvents, RunnerEvent } from './manager/events.ts';
export { createLogger } from './shared/log.ts';
export { LATENCY_WINDOW_MS } from './runner/decision-latency.ts';
export type { NotificationWorkerConfig } from './notifications/config.ts';
export { startNotificationWorker, type NotificationWorker } from './notifications/worker.ts';

export interface BotManagerOptions extends Partial<SupervisionOptions> {
  databaseUrl: string;
  venueUrls: VenueUrls;
  /** Kalshi market data: the platform market-data key (stream) or nothing (REST polling). Never sent to runners. */
  kalshiMarketData?: KalshiFeedOptions;
  /** How often each followed wallet is polled on the data-API (`venueUrls.polymarketDataApi`), default 2000 ms. */
  walletPollIntervalMs?: number;
  /** Most data-API polls per wallet round, followers taking turns (wallet-poll-order.ts), default 100. */
  walletPollBudget?: number;
  /** News feeds for news rules: feed name → RSS 2.0 URL (rules name the feed). Empty or absent = no news feed. */
  newsFeeds?: Readonly<Record<string, string>>;
  /** How often each news feed some runner reads is polled, default 5000 ms. */
  newsPollIntervalMs?: number;
  /** Longest wait between attempts on a failing news feed, default 60 000 ms. */
  newsMaxBackoffMs?: number;
  httpHost?: string;
  httpPort?: number;
  reconcileIntervalMs?: number;
  /** How often the link matcher proposes cross-venue links from the current markets, default 300 000 ms; 0 = never. */
  linkProposalIntervalMs?: number;
  /** Market universe refresh and resolution checks (market-lifecycle.ts), default 30 000 ms. */
  marketRefreshMs?: number;
  notifyDebounceMs?: number;
  listenBackoffBaseMs?: number;
  /** Longest wait between LISTEN reconnect attempts, default 15 000 ms. */
  listenBackoffMaxMs?: number;
  /** How often the LISTEN connection pings itself (a failed re-listen is noticed within ping + 5 s), default 2000 ms. */
  listenPingMs?: number;
  /** How often the query pool is probed with `select 1` for /healthz (DB_PROBE_INTERVAL_MS), default 5000 ms. */
  dbProbeIntervalMs?: number;
  /** A probe unanswered this long marks the database unreachable (DB_PROBE_TIMEOUT_MS), default 2000 ms. */
  dbProbeTimeoutMs?: number;
  logger?: Logger;
  ipcTap?: IpcTap;
  /** How often open positions' marks (best bids from the hubs) are written to polybot_positions, default 5000 ms. */
  markIntervalMs?: number;
  /** Fault injection for tests only (e.g. `{ crashAfterSend: true }`): passed to runners' init; never read from env. */
  testHooks?: RunnerTestHooks;
  /** Keys stay true: a valid key is checked with its venue again once its last check is this old (default 1 h). */
  keyRevalidateMs?: number;
  /** Inbound silence on a market-data socket after which it resubscribes/reconnects (FEED_SILENCE_MS), default 20 000 ms. */
  feedSilenceMs?: number;
  /** The OS user runners run as when the manager is root (RUNNER_USER): a name or uid, default `nobody`; never root. */
  runnerUser?: string;
  /** Their group (RUNNER_GROUP), default the user's primary group. */
  runnerGroup?: string;
  /**
   * The lease deadline each runner's init carries (monotonicMs(); see SupervisionOptions.leaseUntil). Default: no
   * lease (NO_LEASE_DEADLINE). Tests pass a fixed deadline to see a runner stop by itself.
   */
  leaseUntil?: () => number;
  /** How long a lease lasts unrenewed (LEASE_TTL_MS), default 15 000 ms (ARCHITECTURE §7.9). */
  leaseTtlMs?: number;
  /** How often the lease is renewed (LEASE_RENEW_MS), default 3000 ms. */
  leaseRenewMs?: number;
  /** How long before the lease could expire the manager stops its runners (LEASE_SAFETY_MS), default 5000 ms. */
  leaseSafetyMs?: number;
  /** The notification worker (NOTIFY_WORKER on: notificationConfigFromEnv); absent or null = this manager runs none. */
  notifications?: NotificationWorkerConfig | null;
}

export interface RunningBotManager {
  manager: BotManager;
  metrics: Metrics;
  /** Followed wallets' trades (copy trading); null without a data-API URL. */
  walletFeed: WalletFeed | null;
  /** News items for news rules; null without configured feeds. */
  newsFeed: NewsFeed | null;
  /** The market-lifecycle watcher (listings, closes, resolutions → settlement). */
  lifecycle: MarketLifecycle;
  httpPort: number;
  stop(): Promise<void>;
}

export async function startBotManager(o: BotManagerOptions): Promise<RunningBotManager> {
  const log = o.logger ?? createLogger('polybot-bot-manager', o.logLevel ?? 'info');
  // First: a runner user that does not exist, is root, or cannot read the runner stops the manager here, loudly.
  await setUpRunnerIdentity({ user: o.runnerUser, group: o.runnerGroup }, log, runnerEntry);
  const managerId = o.managerId ?? `${hostname()}:${process.pid}`;
  const timing = { ttlMs: o.leaseTtlMs ?? 15_000, renewMs: o.leaseRenewMs ?? 3000, safetyMs: o.leaseSafetyMs ?? 5000 };
  checkLeaseTiming(timing);
  // Every connection of this manager is named after it: an operator (or a test) can find and terminate them.
  const applicationName = managerApplicationName(managerId);
  // A manager frozen mid-transaction (SIGSTOP, a stalled host) must not hold row locks its successor needs: the server
  // ends such a transaction after the safety margin (ARCHITECTURE §7.9); the lease connection is bounded the same way.
  const sql = createDb(o.databaseUrl, { max: 10, applicationName, idleInTransactionTimeoutMs: timing.safetyMs });
  const metrics = createMetrics();
  const feed = new MarketFeed(o.venueUrls, log, o.kalshiMarketData, o.feedSilenceMs);
  feed.onSilence = (venue) => metrics.feedSilences.inc({ venue });
  await feed.discover();
  const opts: SupervisionOptions = {
    managerId,
    heartbeatMs: o.heartbeatMs ?? 1000,
    heartbeatTimeoutMs: o.heartbeatTimeoutMs ?? 10_000,
    startTimeoutMs: o.startTimeoutMs ?? 60_000,
    crashBackoffBaseMs: o.crashBackoffBaseMs ?? 500,
    crashBackoffMaxMs: o.crashBackoffMaxMs ?? 60_000,
    maxCrashes: o.maxCrashes ?? 5,
    healthyResetMs: o.healthyResetMs ?? 60_000,
    // A stopping runner finishes the decision in flight, then cancels resting orders (≤ 3 s, runner/dead-man.ts).
    stopGraceMs: o.stopGraceMs ?? 10_000,
    runnerMemoryMb: o.runnerMemoryMb ?? 256,
    // RSS counts what the heap cap does not: code, the young generation, buffers and native allocations.
    runnerRssLimitMb: o.runnerRssLimitMb ?? 2 * (o.runnerMemoryMb ?? 256),
    runnerRssLimitOverridesMb: o.runnerRssLimitOverridesMb ?? {},
    memoryCheckMs: o.memoryCheckMs ?? 5000,
    // Half a core per runner, over 10 s windows; throttled 30 s at a time; stopped after 6 windows over (a minute or
    // more of a steady overload). One default for every plan: see SECURITY.md §7.2.
    runnerCpuBudgetCores: o.runnerCpuBudgetCores ?? 0.5,
    cpuWindowMs: o.cpuWindowMs ?? 10_000,
    cpuThrottleMs: o.cpuThrottleMs ?? 30_000,
    cpuStopWindows: o.cpuStopWindows ?? 6,
    statusWriteMs: o.statusWriteMs ?? 5000,
    logLevel: o.logLevel ?? 'info',
    ...(o.testHooks ? { testHooks: o.testHooks } : {}),
    venueHeartbeatMs: o.venueHeartbeatMs ?? 5000,
    // Replaced by the lease's deadline (wireCoordination) unless a test gives its own.
    leaseUntil: o.leaseUntil ?? (() => NO_LEASE_DEADLINE),
  };
  const dataApiUrl = o.venueUrls.polymarketDataApi;
  const walletFeed = dataApiUrl
    ? new WalletFeed({
        dataApiUrl,
        intervalMs: o.walletPollIntervalMs ?? 2000,
        log,
        ...(o.walletPollBudget ? { pollBudget: o.walletPollBudget } : {}),
      })
    : null;
  if (!walletFeed) log.info('no Polymarket data-API URL: copy trading has no wallet feed');
  const newsFeeds = o.newsFeeds ?? {};
  const newsFeed =
    Object.keys(newsFeeds).length > 0
      ? new NewsFeed({
          feeds: newsFeeds,
          intervalMs: o.newsPollIntervalMs ?? 5000,
          log,
          metrics,
          ...(o.newsMaxBackoffMs ? { maxBackoffMs: o.newsMaxBackoffMs } : {}),
        })
      : null;
  if (!newsFeed) log.info('no news feeds configured: news rules get no items');
  const manager = new BotManager(sql, feed, o.venueUrls, metrics, opts, log, o.ipcTap, walletFeed, newsFeed);
  // Many managers (ARCHITECTURE §7.9): a lease on its own connection, shards by rendezvous, fenced writes.
  const coordination = wireCoordination({
    databaseUrl: o.databaseUrl,
    managerId,
    timing,
    sql,
    manager,
    opts,
    testLeaseUntil: o.leaseUntil !== undefined,
    log,
    metrics,
  });
  const { coordinator } = coordination;
  manager.start();
  manager.revalidateKeysEvery(o.keyRevalidateMs ?? 3_600_000);
  const marks = new MarkWriter(sql, feed, { intervalMs: o.markIntervalMs ?? 5000, log });
  marks.start();

  let listening = false;
  const listener = new NotifyListener({
    databaseUrl: o.databaseUrl,
    log,
    ...(o.notifyDebounceMs !== undefined ? { debounceMs: o.notifyDebounceMs } : {}),
    baseDelayMs: o.listenBackoffBaseMs ?? 200,
    ...(o.listenBackoffMaxMs ? { maxDelayMs: o.listenBackoffMaxMs } : {}),
    ...(o.listenPingMs ? { pingMs: o.listenPingMs } : {}),
    applicationName: listenApplicationName(managerId),
  });
  listener.on('userChanged', (userId, noticedAt) => void manager.reconcileUser(userId, noticedAt));
  listener.on('linksChanged', () => {
    if (!listening) return; // stopping: the database connection is about to close
    void manager.reloadLinks().catch((e: unknown) => log.error({ err: coerceError(e).message }, 'links reload failed'));
  });
  listener.on('health', (s) => metrics.listenConnected.set(s.ok ? 1 : 0));
  listener.on('shardsChanged', () => coordinator.shardsChanged());
  listener.on('reconnected', () => {
    metrics.notifyReconnects.inc();
    coordinator.shardsChanged();
    void manager
      .reconcileAll('reconnect')
      .catch((e: unknown) => log.error({ err: coerceError(e).message }, 'reconcile after reconnect failed'));
  });
  await listener.start();
  metrics.listenConnected.set(listener.state.ok ? 1 : 0);
  listening = true;
  const dbProbe = new DatabaseProbe({
    sql,
    intervalMs: o.dbProbeIntervalMs ?? 5000,
    timeoutMs: o.dbProbeTimeoutMs ?? 2000,
    log,
    onChange: (s) => metrics.databaseReachable.set(s.ok ? 1 : 0),
  });
  await dbProbe.start();
  metrics.databaseReachable.set(dbProbe.state.ok ? 1 : 0);
  // Join (and hold our shards: one manager holds all 64) before the first reconcile runs anyone.
  await coordination.start();
  // The notification queue's worker (notifications/): any manager takes any job, whoever owns the user.
  const notifier: NotificationWorker | null = o.notifications
    ? await startNotificationWorker({
        databaseUrl: o.databaseUrl,
        config: o.notifications,
        logger: log,
        metrics: { deliveries: metrics.notificationDeliveries, seconds: metrics.notificationDeliverySeconds },
        name: `${applicationName.slice(0, 50)}/notify`,
      })
    : null;
  await manager.reconcileAll('start');
  const lifecycle = new MarketLifecycle(feed, {
    refreshMs: o.marketRefreshMs ?? 30_000,
    log,
    onUniverse: (change) => manager.applyUniverse(change),
    onDecided: async (market) => {
      await settleDecidedMarket({ sql, log, manager }, market);
    },
    openMarkets: () => asManager(sql, (tx) => listOpenPositionMarkets(tx)),
  });
  lifecycle.start();
  // Positions left open in markets that resolved while no manager ran are settled now, not a refresh later.
  void lifecycle.poke();
  const periodic = setInterval(() => {
    void manager
      .reconcileAll('periodic')
      .catch((e: unknown) => log.error({ err: coerceError(e).message }, 'periodic reconcile failed'));
  }, o.reconcileIntervalMs ?? 60_000);
  const linkInterval = o.linkProposalIntervalMs ?? 300_000;
  const proposer = linkInterval > 0 ? new LinkProposer({ sql, universe: feed, log, intervalMs: linkInterval }) : null;
  proposer?.start();

  const http = await startHttp({
    host: o.httpHost ?? '127.0.0.1',
    port: o.httpPort ?? 0,
    registry: metrics.registry,
    health: () => ({
      ...readiness(listener.state, dbProbe.state, !listening, coordinator.health()),
      lease: coordinator.health(),
      runners: manager.runners().length,
      hub: feed.stats(),
      wallets: walletFeed?.stats() ?? null,
      news: newsFeed?.stats() ?? null,
      lifecycle: lifecycle.stats,
    }),
  });
  log.info({ httpPort: http.port, runners: manager.runners().length }, 'bot manager started');

  let stopped: Promise<void> | null = null;
  return {
    manager,
    metrics,
    walletFeed,
    newsFeed,
    lifecycle,
    httpPort: http.port,
    stop: () => {
      stopped ??= (async () => {
        clearInterval(periodic);
        dbProbe.stop();
        // First: no new deliveries; the ones running finish (their jobs would otherwise wait for the lock to expire),
        // within a bound: a provider that hangs must not hold the drain up (its job runs again after the lock expires).
        if (notifier)
          await withTimeout(notifier.stop(), 10_000, 'stopping the notification worker').catch((e: unknown) =>
            log.error({ err: coerceError(e).message }, 'notification worker stop failed'),
          );
        await proposer?.stop();
        listening = false;
        await lifecycle
          .close()
          .catch((e: unknown) => log.error({ err: coerceError(e).message }, 'lifecycle stop failed'));
        // Drain: the others stop counting us, our runners stop (their status written while their shards are still
        // ours), then every shard is released at once and the others take them on the NOTIFY.
        await coordinator.drain();
        const results = await Promise.allSettled([listener.stop(), manager.shutdown(), marks.close()]);
        const left = await Promise.allSettled([withTimeout(coordinator.leave(), 5000, 'leaving the managers')]);
        const more = await Promise.allSettled([
          coordination.end(),
          feed.close(),
          walletFeed?.close(),
          newsFeed?.close(),
          new Promise<void>((r) => http.server.close(() => r())),
          sql.end({ timeout: 5 }),
        ]);
        for (const r of [...results, ...left, ...more])
          if (r.status === 'rejected') log.error({ err: coerceError(r.reason).message }, 'shutdown step failed');
        log.info('bot manager stopped');
      })();
      return stopped;
    },
  };
}

/** `p`, or a rejection naming `what` after `ms` (a hung connection must not hang a shutdown). */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
