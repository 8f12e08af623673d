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
}

export function createDb(url: string, options: DbOptions = {}): Db {
  const opts: Options<Record<string, postgres.PostgresType>> = {
    max: options.max ?? 5,
    idle_timeout: 30,
    connect_timeout: 10,
    prepare: true,
    onnotice: options.onNotice ?? (() => undefined),
    connection: { application_name: options.applicationName ?? 'polybot' },
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
