// The CoordinationDb of a running manager: @polybot/db/service's lease functions on the manager's own lease connection
// (one connection, max 1: a busy query pool never delays a renewal), each query counted.
import { createDb, type Db } from '@polybot/db';
import { acquireShards, joinManager, leaveManager, releaseShards, renewLease } from '@polybot/db/service';
import type { Metrics } from '../metrics.ts';
import type { CoordinationDb } from './types.ts';

/** application_name of the query pool and lease connections of manager `managerId`: operators find them by it. */
export function managerApplicationName(managerId: string): string {
  return truncateUtf8(`polybot-bot-manager/${managerId}`);
}

/** Postgres keeps 63 bytes of an application_name; a multi-byte character cut in half is dropped. */
function truncateUtf8(name: string): string {
  return Buffer.from(name)
    .subarray(0, 63)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/**
 * The LISTEN connection's: the same name plus `/listen`, so an operator can cut every connection of one manager
 * (`like 'polybot-bot-manager/<id>%'`) or its LISTEN alone (what the LISTEN-loss tests do).
 */
export function listenApplicationName(managerId: string): string {
  return truncateUtf8(`polybot-bot-manager/${managerId}/listen`);
}

/**
 * One connection, every statement, lock wait and transaction on it bounded by `timeoutMs` (and its connect): a lease
 * query stuck behind a lock or a half-dead connection fails, and the loop retries or rejoins, instead of holding the
 * manager out of the cluster (a fence waits for the old token's leave before it rejoins).
 */
export function leaseConnection(databaseUrl: string, managerId: string, timeoutMs: number): Db {
  return createDb(databaseUrl, { max: 1, applicationName: managerApplicationName(managerId), timeoutMs });
}

/** The lease functions on a dedicated connection, replaced by reset() (after a fence); end() closes it. */
export function coordinationDb(
  databaseUrl: string,
  managerId: string,
  metrics: Metrics,
  timeoutMs: number,
): CoordinationDb & { end(): Promise<void> } {
  let sql = leaseConnection(databaseUrl, managerId, timeoutMs);
  const counted = <T>(q: Promise<T>): Promise<T> => {
    metrics.coordinationQueries.inc();
    return q;
  };
  return {
    join: (id, ttlMs) => counted(joinManager(sql, id, ttlMs)),
    renew: (token, ttlMs, draining) => counted(renewLease(sql, token, ttlMs, draining)),
    acquire: (token, shards) => counted(acquireShards(sql, token, shards)),
    release: (token, shards) => counted(releaseShards(sql, token, shards)),
    leave: (token) => counted(leaveManager(sql, token)),
    reset: () => {
      const old = sql;
      sql = leaseConnection(databaseUrl, managerId, timeoutMs);
      // Not awaited, and not torn down at once: a query may still be queued on it (a hung renewal), which then fails.
      void old.end({ timeout: 5 }).catch(() => undefined);
      return Promise.resolve();
    },
    end: () => sql.end({ timeout: 2 }),
  };
}
