// The pg pool graphile-worker runs on. Service logins are NOINHERIT members of their group role (local-stack's
// localLoginUrl; docs/SECURITY.md §1): our own queries `set local role` per transaction (asManager), but
// graphile-worker runs its own statements, so every connection of its pool switches to the role once, first thing.
import pg from 'pg';

export interface QueuePoolOptions {
  connectionString: string;
  /** The group role the worker's statements run as (polybot_manager). */
  role: string;
  max?: number;
  /** application_name of its connections (an operator finds one manager's connections by name). */
  applicationName?: string;
  /** An idle connection's error (the server restarted, the network dropped): log it; the pool replaces it. */
  onError: (error: Error) => void;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;

export function createQueuePool(options: QueuePoolOptions): pg.Pool {
  if (!ROLE_NAME.test(options.role)) throw new Error(`not a role name: ${options.role}`);
  // `-c role=…` is a startup parameter: the server applies it before the first statement (no race with a query).
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    options: `-c role=${options.role}`,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  pool.on('error', options.onError);
  // A checked-out client's error (graphile-worker holds one for LISTEN) goes to the same place.
  pool.on('connect', (client) => client.on('error', options.onError));
  return pool;
}
