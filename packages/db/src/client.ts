// postgres.js client factory. One place decides pool size, timeouts and type parsing for every server-side caller.
import postgres, { type Options, type Sql } from 'postgres';

export type Db = Sql;

export interface DbOptions {
  /** Pool size; the web app and the manager want a few, a runner wants one or two. */
  max?: number;
  /** Application name shown in pg_stat_activity, so operators can tell connections apart. */
  applicationName?: string;
  /** Statement-level notices are noise in logs unless asked for. */
  onNotice?: (notice: postgres.Notice) => void;
  /**
   * Server-side bounds for every statement, lock wait and open transaction of this connection, and its connect
   * timeout, in ms: a connection whose work must never hang (the manager's lease loop) gets an error instead.
   */
  timeoutMs?: number;
  /**
   * Only this: a transaction left open this long (ms) by a client that stopped talking — a process frozen mid-
   * transaction — is ended by the server, its row locks released, so it cannot hold up everyone else.
   */
  idleInTransactionTimeoutMs?: number;
}

export function createDb(url: string, options: DbOptions = {}): Db {
  const opts: Options<Record<string, postgres.PostgresType>> = {
    max: options.max ?? 5,
    idle_timeout: 30,
    connect_timeout: options.timeoutMs ? Math.max(1, Math.ceil(options.timeoutMs / 1000)) : 10,
    prepare: true,
    onnotice: options.onNotice ?? (() => undefined),
    connection: {
      application_name: options.applicationName ?? 'polybot',
      ...(options.timeoutMs
        ? {
            statement_timeout: options.timeoutMs,
            lock_timeout: options.timeoutMs,
            idle_in_transaction_session_timeout: options.timeoutMs,
          }
        : options.idleInTransactionTimeoutMs
          ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs }
          : {}),
    },
    // bigint ids and counters fit in JS numbers for our volumes; numerics stay strings and are parsed at the boundary.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number | bigint) => x.toString(),
        parse: (x: string) => Number(x),
      },
    },
  };
  return postgres(url, opts);
}
