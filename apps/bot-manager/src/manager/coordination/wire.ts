// How a running manager takes part in the cluster (ARCHITECTURE §7.9): its lease on its own connection, shards by
// rendezvous, every query-pool transaction fenced with its token, and the BotManager told which users are its own.
import { asManager, bindManagerFence, isStaleOwnerError, listUserShards } from '@polybot/db/service';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../../shared/errors.ts';
import type { BotManager } from '../bot-manager.ts';
import type { Metrics } from '../metrics.ts';
import type { SupervisionOptions } from '../supervision.ts';
import { coordinationDb } from './coordination-db.ts';
import { Coordinator } from './coordinator.ts';
import { coordinatorOwnership } from './ownership.ts';
import type { LeaseTiming } from './types.ts';
import { UserShards } from './user-shards.ts';

export interface ManagerCoordination {
  coordinator: Coordinator;
  /** Join and hold our shards; from then on, acquired shards are reconciled at once. */
  start(): Promise<void>;
  /** Closes the lease connection (after leave). */
  end(): Promise<void>;
}

export function wireCoordination(o: {
  databaseUrl: string;
  managerId: string;
  timing: LeaseTiming;
  sql: Sql;
  manager: BotManager;
  opts: SupervisionOptions;
  /** A test's own fixed deadline: then the test, not the lease, extends the runners. */
  testLeaseUntil: boolean;
  log: Logger;
  metrics: Metrics;
}): ManagerCoordination {
  const { manager, log } = o;
  // A lease query may take at most the safety margin: one slower than that could not have helped the deadline anyway.
  const leaseDb = coordinationDb(o.databaseUrl, o.managerId, o.metrics, o.timing.safetyMs);
  let started = false;
  const coordinator = new Coordinator({
    managerId: o.managerId,
    db: leaseDb,
    timing: o.timing,
    log,
    metrics: o.metrics,
    hooks: {
      // At start the first full pass ('start') follows the join anyway.
      acquired: () => {
        if (!started) return;
        void manager
          .reconcileAll('shards')
          .catch((e: unknown) => log.error({ err: coerceError(e).message }, 'reconcile of acquired shards failed'));
      },
      releasing: (shards) => manager.releaseShards(shards),
      fenced: () => manager.fenceAll(),
      renewed: (until) => {
        if (!o.testLeaseUntil) manager.extendLeases(until);
      },
    },
  });
  bindManagerFence(o.sql, () => coordinator.membership.token);
  // Runners' inits carry the lease deadline (a test's fixed one stays).
  if (!o.testLeaseUntil) o.opts.leaseUntil = () => coordinator.membership.leaseUntil;
  const userShards = new UserShards((ids) => asManager(o.sql, (tx) => listUserShards(tx, ids)));
  manager.useOwnership(coordinatorOwnership(coordinator, userShards, isStaleOwnerError));
  return {
    coordinator,
    start: async () => {
      await coordinator.start();
      started = true;
    },
    end: () => leaseDb.end(),
  };
}
