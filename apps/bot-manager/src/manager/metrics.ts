// Prometheus metrics of one BotManager (its own registry, so tests can run several managers in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    runnersActive: new Gauge({ name: 'polybot_runners_active', help: 'Runner processes alive', registers: [registry] }),
    restarts: new Counter({
      name: 'polybot_runner_restarts_total',
      help: 'Runner restarts by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    reloadLatency: new Histogram({
      name: 'polybot_reload_latency_seconds',
      help: 'Change noticed → runner acknowledged, by kind',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    notifyReconnects: new Counter({
      name: 'polybot_notify_reconnects_total',
      help: 'LISTEN connection re-established',
      registers: [registry],
    }),
    reconcileDuration: new Histogram({
      name: 'polybot_reconcile_duration_seconds',
      help: 'Duration of a reconcile pass',
      labelNames: ['scope'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    newsPolls: new Counter({
      name: 'polybot_news_polls_total',
      help: 'News feed polls, by feed',
      labelNames: ['feed'],
      registers: [registry],
    }),
    newsPollErrors: new Counter({
      name: 'polybot_news_poll_errors_total',
      help: 'Failed news feed polls, by feed',
      labelNames: ['feed'],
      registers: [registry],
    }),
    newsItems: new Counter({
      name: 'polybot_news_items_total',
      help: 'New news items read, by feed',
      labelNames: ['feed'],
      registers: [registry],
    }),
    trades: new Counter({
      name: 'polybot_trades_total',
      help: 'Orders booked, by mode',
      labelNames: ['mode'],
      registers: [registry],
    }),
    feedSilences: new Counter({
      name: 'polybot_feed_silences_total',
      help: 'Market-data sockets found open but silent and resubscribed (FEED_SILENCE_MS), by venue',
      labelNames: ['venue'],
      registers: [registry],
    }),
    runnerCpuSeconds: new Counter({
      name: 'polybot_runner_cpu_seconds_total',
      help: 'CPU time (user + system) used by runners, as the CPU budget watch measured it',
      registers: [registry],
    }),
    cpuThrottles: new Counter({
      name: 'polybot_runner_cpu_throttles_total',
      help: 'Runners over their CPU budget told to skip decisions for a while (RUNNER_CPU_THROTTLE_MS)',
      registers: [registry],
    }),
    cpuStops: new Counter({
      name: 'polybot_runner_cpu_stops_total',
      help: 'Bots stopped for staying over their CPU budget (halt code cpu_budget)',
      registers: [registry],
    }),
    // Readiness (health.ts): 1 while the check passes, 0 while /healthz reports it failing. LISTEN reconnects are
    // counted by polybot_notify_reconnects_total above.
    listenConnected: new Gauge({
      name: 'polybot_listen_connected',
      help: 'The LISTEN connection is up (1) or lost/reconnecting (0)',
      registers: [registry],
    }),
    databaseReachable: new Gauge({
      name: 'polybot_database_reachable',
      help: "The query pool's periodic select 1 succeeds (1) or fails/times out (0)",
      registers: [registry],
    }),
    // Coordination of many managers (coordination/, ARCHITECTURE §7.9).
    leaseShardsOwned: new Gauge({
      name: 'polybot_lease_shards_owned',
      help: 'Shards this manager validly owns',
      registers: [registry],
    }),
    leaseUsersOwned: new Gauge({
      name: 'polybot_lease_users_owned',
      help: 'Users (with a bot to run) in the shards this manager owns, as of its last full pass',
      registers: [registry],
    }),
    leaseRenewals: new Counter({
      name: 'polybot_lease_renewals_total',
      help: 'Lease renewals, by result (ok, failed)',
      labelNames: ['result'],
      registers: [registry],
    }),
    leaseLosses: new Counter({
      name: 'polybot_lease_losses_total',
      help: 'Times this manager fenced itself (lease expired, not renewed in time, or a stale-owner write refused)',
      registers: [registry],
    }),
    leaseFailovers: new Counter({
      name: 'polybot_lease_failovers_total',
      help: 'Shards taken over from a manager whose lease had expired',
      registers: [registry],
    }),
    leaseTakeover: new Histogram({
      name: 'polybot_lease_takeover_seconds',
      help: "Previous owner's lease expiry → this manager's acquisition of the shard",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    leaseShardMoves: new Counter({
      name: 'polybot_lease_shard_moves_total',
      help: 'Shards acquired or released by this manager',
      labelNames: ['direction'],
      registers: [registry],
    }),
    coordinationQueries: new Counter({
      name: 'polybot_coordination_queries_total',
      help: 'Queries on the lease connection (join, renew, acquire, release, leave)',
      registers: [registry],
    }),
    leaseLastRenewal: new Gauge({
      name: 'polybot_lease_last_renewal_timestamp_seconds',
      help: 'When the last lease renewal succeeded (unix seconds)',
      registers: [registry],
    }),
    // The notification worker (notifications/, docs/NOTIFICATIONS.md "Worker").
    notificationDeliveries: new Counter({
      name: 'polybot_notification_deliveries_total',
      help: 'Notification delivery attempts by channel kind and outcome (sent, retrying, dead, skipped)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    notificationDeliverySeconds: new Histogram({
      name: 'polybot_notification_delivery_seconds',
      help: "One delivery attempt's send (render + provider call), by channel kind",
      labelNames: ['channel'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
