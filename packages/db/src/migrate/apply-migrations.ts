// Applies pending migrations and records them exactly as the Supabase CLI does, so a database migrated here and
// one migrated by `supabase db push` agree on what has been applied.
import type { Sql } from 'postgres';
import { readMigrationFiles, type MigrationFile } from './migration-files.ts';

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly statementIndex: number,
    readonly statement: string,
    readonly line: number,
    readonly postgresMessage: string,
    readonly code: string | undefined,
  ) {
    super(
      `migration ${file} failed at statement ${statementIndex + 1} (line ${line}): ${postgresMessage}` +
        `${code ? ` [${code}]` : ''}\n  statement: ${excerpt(statement)}\n  nothing from this file was applied.`,
    );
    this.name = 'MigrationError';
  }
}

export interface MigrationReport {
  applied: string[];
  skipped: string[];
}

/** supabase/cli: pkg/migration/history.go (CreateMigrationTable / AddStatementsColumn / AddNameColumn). */
const HISTORY_DDL = [
  'create schema if not exists supabase_migrations',
  'create table if not exists supabase_migrations.schema_migrations (version text not null primary key)',
  'alter table supabase_migrations.schema_migrations add column if not exists statements text[]',
  'alter table supabase_migrations.schema_migrations add column if not exists name text',
  'create table if not exists supabase_migrations.seed_files (path text not null primary key, hash text not null)',
];

/** Concurrent runners (two `npm start`s, parallel test set-ups) take turns instead of racing. */
const MIGRATION_LOCK_KEY = 7_215_372_001;

export async function applyMigrations(
  sql: Sql,
  migrationsDir: string,
  log: (line: string) => void = () => undefined,
): Promise<MigrationReport> {
  const files = await readMigrationFiles(migrationsDir);
  const report: MigrationReport = { applied: [], skipped: [] };
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    for (const stmt of HISTORY_DDL) await conn.unsafe(stmt);
    const rows = await conn<{ version: string }[]>`select version from supabase_migrations.schema_migrations`;
    const done = new Set(rows.map((r) => r.version));
    for (const file of files) {
      const label = `${file.version}_${file.name}.sql`;
      if (done.has(file.version)) {
        report.skipped.push(label);
        continue;
      }
      await applyOne(conn, file, label);
      report.applied.push(label);
      log(`applied ${label} (${file.statements.length} statements)`);
    }
  } finally {
    await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => undefined);
    conn.release();
  }
  return report;
}

type Reserved = Awaited<ReturnType<Sql['reserve']>>;

async function applyOne(conn: Reserved, file: MigrationFile, label: string): Promise<void> {
  // The CLI runs `RESET ALL` first so one file's `set` commands cannot leak into the next.
  await conn.unsafe('reset all');
  await conn.unsafe('begin');
  let index = 0;
  try {
    for (const [i, stmt] of file.statements.entries()) {
      index = i;
      await conn.unsafe(stmt.text).simple();
    }
    index = -1;
    await conn`
      insert into supabase_migrations.schema_migrations (version, name, statements)
      values (${file.version}, ${file.name}, ${file.statements.map((s) => s.text)})`;
    await conn.unsafe('commit');
  } catch (error) {
    await conn.unsafe('rollback').catch(() => undefined);
    const pg = error as { message?: string; code?: string };
    const stmt = index >= 0 ? file.statements[index] : undefined;
    throw new MigrationError(
      label,
      index >= 0 ? index : file.statements.length,
      stmt?.text ?? '(recording the migration in supabase_migrations.schema_migrations)',
      stmt?.line ?? 0,
      pg.message ?? String(error),
      pg.code,
    );
  }
}

function excerpt(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ');
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}
