// CLI: `tsx apps/bot-manager/src/main.ts` with the environment described in env.ts. First SIGTERM/SIGINT = graceful
// stop (bounded); a second one, or the bound passing, exits forcefully.
import { parseEnv, unescapePem } from './env.ts';
import { startBotManager } from './index.ts';
import { notificationConfigFromEnv } from './notifications/config.ts';
import { driverRejectionHandler } from './shared/driver-rejections.ts';
import { coerceError } from './shared/errors.ts';
import { createLogger } from './shared/log.ts';

const env = parseEnv();
const log = createLogger('polybot-bot-manager', env.LOG_LEVEL);
// A database error postgres.js dropped must not end the manager in the middle of a database incident.
process.on('unhandledRejection', driverRejectionHandler(log));
const running = await startBotManager({
  databaseUrl: env.DATABASE_URL,
  venueUrls: {
    polymarketClob: env.POLYMARKET_CLOB_URL,
    polymarketGamma: env.POLYMARKET_GAMMA_URL,
    polymarketWs: env.POLYMARKET_WS_URL,
    ...(env.POLYMARKET_DATA_API_URL ? { polymarketDataApi: env.POLYMARKET_DATA_API_URL } : {}),
    ...(env.KALSHI_API_URL ? { kalshiApi: env.KALSHI_API_URL } : {}),
    ...(env.KALSHI_WS_URL ? { kalshiWs: env.KALSHI_WS_URL } : {}),
    ...(env.KALSHI_DEMO_API_URL ? { kalshiDemoApi: env.KALSHI_DEMO_API_URL } : {}),
  },
  kalshiMarketData: {
    pollIntervalMs: env.KALSHI_POLL_INTERVAL_MS,
    ...(env.KALSHI_MARKET_DATA_KEY_ID && env.KALSHI_MARKET_DATA_PRIVATE_KEY_PEM
      ? {
          credentials: {
            keyId: env.KALSHI_MARKET_DATA_KEY_ID,
            privateKeyPem: unescapePem(env.KALSHI_MARKET_DATA_PRIVATE_KEY_PEM),
          },
        }
      : {}),
  },
  walletPollIntervalMs: env.WALLET_POLL_INTERVAL_MS,
  walletPollBudget: env.WALLET_POLL_BUDGET,
  newsFeeds: env.NEWS_FEEDS,
  newsPollIntervalMs: env.NEWS_POLL_INTERVAL_MS,
  httpHost: env.BOT_MANAGER_HTTP_HOST,
  httpPort: env.BOT_MANAGER_HTTP_PORT,
  runnerMemoryMb: env.RUNNER_MEMORY_MB,
  ...(env.RUNNER_RSS_LIMIT_MB ? { runnerRssLimitMb: env.RUNNER_RSS_LIMIT_MB } : {}),
  memoryCheckMs: env.MEMORY_CHECK_MS,
  runnerCpuBudgetCores: env.RUNNER_CPU_BUDGET_CORES,
  cpuWindowMs: env.RUNNER_CPU_WINDOW_MS,
  cpuThrottleMs: env.RUNNER_CPU_THROTTLE_MS,
  cpuStopWindows: env.RUNNER_CPU_STOP_WINDOWS,
  heartbeatMs: env.HEARTBEAT_MS,
  heartbeatTimeoutMs: env.HEARTBEAT_TIMEOUT_MS,
  crashBackoffBaseMs: env.CRASH_BACKOFF_BASE_MS,
  stopGraceMs: env.STOP_GRACE_MS,
  maxCrashes: env.MAX_CRASHES,
  reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
  dbProbeIntervalMs: env.DB_PROBE_INTERVAL_MS,
  dbProbeTimeoutMs: env.DB_PROBE_TIMEOUT_MS,
  linkProposalIntervalMs: env.LINK_PROPOSAL_INTERVAL_MS,
  marketRefreshMs: env.MARKET_REFRESH_MS,
  feedSilenceMs: env.FEED_SILENCE_MS,
  statusWriteMs: env.STATUS_WRITE_MS,
  keyRevalidateMs: env.KEY_REVALIDATE_MS,
  logLevel: env.LOG_LEVEL,
  logger: log,
  ...(env.BOT_MANAGER_ID ? { managerId: env.BOT_MANAGER_ID } : {}),
  leaseTtlMs: env.LEASE_TTL_MS,
  leaseRenewMs: env.LEASE_RENEW_MS,
  leaseSafetyMs: env.LEASE_SAFETY_MS,
  ...(env.RUNNER_USER ? { runnerUser: env.RUNNER_USER } : {}),
  ...(env.RUNNER_GROUP ? { runnerGroup: env.RUNNER_GROUP } : {}),
  notifications: notificationConfigFromEnv(env),
}).catch((e: unknown) => {
  log.fatal({ err: coerceError(e).message }, 'bot manager failed to start');
  process.exit(1);
});
log.info({ httpPort: running.httpPort }, 'bot-manager ready');

let signals = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  signals++;
  if (signals > 1) {
    log.warn({ signal }, 'second signal: exiting now');
    process.exit(1);
  }
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    log.error('shutdown took too long: exiting');
    process.exit(1);
  }, 30_000);
  force.unref();
  running.stop().then(
    () => process.exit(0),
    (e: unknown) => {
      log.error({ err: coerceError(e).message }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
