// The queue's schema comes from our migrations (20261209000100, generated from graphile-worker 0.17.3's own SQL) and
// its grants from 20261209000110. Proves: the committed file is what the generator writes from the installed package;
// the schema equals what graphile-worker's runMigrations installs in an empty database; the worker, connected as the
// manager's login, finds nothing to migrate (so it never needs DDL rights) and can add, fetch, complete and fail jobs.
import { readFile } from 'node:fs/promises';
import { createDb, type Db } from '@polybot/db';
import {
  createQueuePool,
  GRAPHILE_WORKER_MIGRATION_FILE,
  graphileWorkerMigrationSql,
  Logger,
  runMigrations,
  runOnce,
} from '@polybot/db/queue';
import { asManager } from '@polybot/db/service';
import { localLoginUrl, MIGRATIONS_DIR } from '@polybot/local-stack/postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const silent = new Logger(() => () => undefined);

let db: TestDatabase;
let managerUrl: string;
let pool: pg.Pool;
/** The manager's login, for our own queries (asManager). */
let mgr: Db;

beforeAll(async () => {
  db = await createTestDatabase();
  managerUrl = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' });
  pool = createQueuePool({ connectionString: managerUrl, role: 'polybot_manager', max: 2, onError: () => undefined });
  mgr = createDb(managerUrl, { max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await mgr?.end({ timeout: 5 });
  await db?.stop();
});

/** Everything graphile-worker's schema consists of, grants and policies aside (ours, in 20261209000110). */
async function describeSchema(sql: Db): Promise<unknown> {
  const n = 'graphile_worker';
  return {
    columns: await sql`
      select c.relname, c.relkind, c.relrowsecurity, a.attname, format_type(a.atttypid, a.atttypmod) as type,
             a.attnotnull, a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) as def
        from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
       where ns.nspname = ${n} order by 1, 4`,
    constraints: await sql`
      select conrelid::regclass::text as rel, conname, pg_get_constraintdef(oid) as def
        from pg_constraint where connamespace = ${n}::regnamespace order by 1, 2`,
    indexes: await sql`select indexname, indexdef from pg_indexes where schemaname = ${n} order by 1`,
    functions: await sql`
      select proname, pg_get_function_identity_arguments(oid) as args, prosecdef, pg_get_functiondef(oid) as def
        from pg_proc where pronamespace = ${n}::regnamespace order by 1, 2`,
    triggers: await sql`
      select tgname, pg_get_triggerdef(t.oid) as def from pg_trigger t join pg_class c on c.oid = t.tgrelid
       where c.relnamespace = ${n}::regnamespace and not t.tgisinternal order by 1`,
    views: await sql`select viewname, definition from pg_views where schemaname = ${n} order by 1`,
    types: await sql`select typname, typtype from pg_type where typnamespace = ${n}::regnamespace order by 1`,
    migrations: await sql`select id, breaking from graphile_worker.migrations order by id`,
  };
}

describe('graphile_worker is installed by our migrations', () => {
  it('commits exactly what the generator writes from the pinned package', async () => {
    const committed = await readFile(`${MIGRATIONS_DIR}/${GRAPHILE_WORKER_MIGRATION_FILE}`, 'utf8');
    expect(committed).toBe(graphileWorkerMigrationSql());
  });

  it('equals what graphile-worker’s own runMigrations installs', async () => {
    await db.superuser.unsafe('create database graphile_worker_reference owner postgres');
    const referenceUrl = new URL(db.url);
    referenceUrl.pathname = '/graphile_worker_reference';
    await runMigrations({ connectionString: referenceUrl.toString(), logger: silent });
    const reference = createDb(referenceUrl.toString(), { max: 1 });
    try {
      const ours = await describeSchema(db.sql);
      expect(ours).toEqual(await describeSchema(reference));
      expect((ours as { migrations: unknown[] }).migrations.length).toBeGreaterThanOrEqual(19);
    } finally {
      await reference.end({ timeout: 5 });
    }
  });

  it('leaves the worker nothing to migrate: started as the manager, it runs no DDL', async () => {
    const before = await db.sql`select id, ts from graphile_worker.migrations order by id`;
    await runMigrations({ pgPool: pool, logger: silent });
    expect(await db.sql`select id, ts from graphile_worker.migrations order by id`).toEqual(before);
  });
});

describe('polybot_manager runs the queue', () => {
  it('adds a job, and the real worker fetches and completes it', async () => {
    await asManager(mgr, (tx) => tx`select graphile_worker.add_job('gw_test_ok', json_build_object('n', 1))`);
    const seen: unknown[] = [];
    await runOnce({
      pgPool: pool,
      logger: silent,
      taskList: {
        gw_test_ok: async (payload) => {
          seen.push(payload);
        },
      },
    });
    expect(seen).toEqual([{ n: 1 }]);
    expect(await db.sql`select id from graphile_worker.jobs where task_identifier = 'gw_test_ok'`).toEqual([]);
  });

  it('fails a job back into the queue with its error and a later run_at', async () => {
    await asManager(
      mgr,
      (tx) => tx`select graphile_worker.add_job('gw_test_fail', '{}'::json, max_attempts => 3, job_key => 'k1')`,
    );
    await runOnce({
      pgPool: pool,
      logger: silent,
      taskList: {
        gw_test_fail: () => Promise.reject(new Error('smtp said no')),
      },
    });
    const failed = () => db.sql<{ attempts: number; last_error: string; later: boolean; locked_by: string | null }[]>`
      select attempts, last_error, run_at > now() as later, locked_by
        from graphile_worker.jobs where task_identifier = 'gw_test_fail'`;
    // runOnce can resolve before the worker's fail_jobs write lands (seen in CI): wait for the job to be released.
    await expect.poll(async () => (await failed())[0]?.locked_by, { timeout: 15_000 }).toBeNull();
    const [job] = await failed();
    expect(job).toMatchObject({ attempts: 1, later: true, locked_by: null });
    expect(job?.last_error).toContain('smtp said no');
  });

  it('cannot change the schema or call the operators’ functions', async () => {
    const codeOf = async (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? 'unknown',
      );
    {
      const asRole = (q: string) => asManager(mgr, (tx) => tx.unsafe(q));
      expect(await codeOf(asRole('create table graphile_worker.x (id int)'))).toBe('42501');
      expect(await codeOf(asRole("select graphile_worker.remove_job('k1')"))).toBe('42501');
      expect(await codeOf(asRole('delete from graphile_worker._private_tasks'))).toBe('42501');
      expect(await codeOf(asRole('drop table graphile_worker._private_jobs'))).toBe('42501');
    }
  });
});
