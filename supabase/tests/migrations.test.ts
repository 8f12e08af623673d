// The migration runner: fresh apply, re-apply is a no-op, a broken migration leaves no trace and says where it broke,
// the history table has the Supabase CLI's shape — and `npm run db:setup` bootstraps a plain Postgres.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { applyMigrations, MigrationError, readMigrationFiles } from '@polybot/db/migrate';
import { MIGRATIONS_DIR, REPO_ROOT, startThrowawayPostgres } from '@polybot/local-stack/postgres';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const run = promisify(execFile);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

async function schemaFingerprint(sql: postgres.Sql): Promise<string> {
  const rows = await sql<{ f: string }[]>`
    select md5(string_agg(x, '|' order by x)) as f from (
      select format('%s.%s.%s.%s', table_schema, table_name, column_name, data_type) as x
        from information_schema.columns where table_schema in ('public', 'private', 'supabase_migrations')
      union all
      select format('%s.%s:%s', n.nspname, p.proname, md5(pg_get_functiondef(p.oid)))
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('public', 'private')
      union all
      select format('policy %s.%s', tablename, policyname) from pg_policies where schemaname = 'public'
      union all
      select format('trigger %s', tgname) from pg_trigger where not tgisinternal
    ) s`;
  return rows[0]?.f ?? '';
}

describe('migration runner', () => {
  it('a fresh database gets every migration, recorded as the Supabase CLI records them', async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    expect(db.setup.migrations.applied).toEqual(files);
    console.log(`migrations: ${files.length} files applied on a fresh database`);

    const columns = await db.sql`
      select column_name, data_type, is_nullable from information_schema.columns
       where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' order by ordinal_position`;
    expect(columns).toEqual([
      { column_name: 'version', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'statements', data_type: 'ARRAY', is_nullable: 'YES' },
      { column_name: 'name', data_type: 'text', is_nullable: 'YES' },
    ]);
    const pk = await db.sql`
      select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
       where i.indrelid = 'supabase_migrations.schema_migrations'::regclass and i.indisprimary`;
    expect(pk).toEqual([{ attname: 'version' }]);

    const history = await db.sql<{ version: string; name: string; statements: string[] }[]>`
      select version, name, statements from supabase_migrations.schema_migrations order by version`;
    const parsed = await readMigrationFiles(MIGRATIONS_DIR);
    expect(history.map((h) => `${h.version}_${h.name}.sql`)).toEqual(files);
    for (const [i, h] of history.entries()) {
      expect(h.statements).toEqual(parsed[i]?.statements.map((s) => s.text));
      for (const s of h.statements) expect(s.endsWith(';')).toBe(false);
    }
  });

  it('re-running is a no-op', async () => {
    const before = await schemaFingerprint(db.sql);
    const count = await db.sql`select count(*)::int as n from supabase_migrations.schema_migrations`;
    const report = await applyMigrations(db.sql, MIGRATIONS_DIR);
    expect(report.applied).toEqual([]);
    expect(report.skipped).toHaveLength(count[0]?.n ?? -1);
    expect(await schemaFingerprint(db.sql)).toBe(before);
  });

  it('a broken migration leaves the database as it was and names the file, the statement and the error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'polybot-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      const broken = '20991231000000_broken_on_purpose.sql';
      await writeFile(
        path.join(dir, broken),
        [
          '-- creates things, then fails: none of it may survive',
          'create table public.should_not_survive (id int primary key);',
          'insert into public.should_not_survive values (1);',
          "comment on table public.should_not_survive is 'semicolon; inside a string';",
          'select 1 / 0;',
          'create table public.never_reached (id int);',
        ].join('\n'),
      );
      const before = await schemaFingerprint(db.sql);
      const error = await applyMigrations(db.sql, dir).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MigrationError);
      const me = error as MigrationError;
      expect(me.file).toBe(broken);
      expect(me.statementIndex).toBe(3);
      expect(me.statement).toBe('select 1 / 0');
      expect(me.line).toBe(5);
      expect(me.postgresMessage).toBe('division by zero');
      expect(me.message).toContain(`migration ${broken} failed at statement 4 (line 5): division by zero`);

      const leftovers = await db.sql`select to_regclass('public.should_not_survive') as t`;
      expect(leftovers[0]?.t).toBeNull();
      const recorded =
        await db.sql`select 1 from supabase_migrations.schema_migrations where version = '20991231000000'`;
      expect(recorded).toHaveLength(0);
      expect(await schemaFingerprint(db.sql)).toBe(before);

      // Fixed, it applies — and only it.
      await writeFile(path.join(dir, broken), 'create table public.should_not_survive (id int primary key);\n');
      const report = await applyMigrations(db.sql, dir);
      expect(report.applied).toEqual([broken]);
    } finally {
      await db.sql`drop table if exists public.should_not_survive`;
      await db.sql`delete from supabase_migrations.schema_migrations where version = '20991231000000'`;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run db:setup on a plain Postgres (DATABASE_URL)', () => {
  it('bootstraps the platform, applies the migrations, and is a no-op the second time', async () => {
    // A plain cluster whose superuser is `postgres`, with no Supabase platform at all.
    const plain = await startThrowawayPostgres({ superuser: 'postgres' });
    try {
      const env = { ...process.env, DATABASE_URL: plain.superuserUrl };
      const first = await run('npm', ['run', '--silent', 'db:setup'], { cwd: REPO_ROOT, env });
      expect(first.stdout).toContain('bootstrapped the local Supabase platform');
      const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql'));
      expect(first.stdout).toContain(`${files.length} migration(s) applied, 0 already applied`);
      expect(first.stdout).not.toContain('postgres:postgres@');

      const second = await run('npm', ['run', '--silent', 'db:setup'], { cwd: REPO_ROOT, env });
      expect(second.stdout).toContain(`0 migration(s) applied, ${files.length} already applied`);
      expect(second.stdout).not.toContain('bootstrapped');

      const sql = postgres(plain.superuserUrl, { max: 1, onnotice: () => undefined });
      try {
        const roles =
          await sql`select rolname from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by 1`;
        expect(roles.map((r) => r.rolname)).toEqual(['anon', 'authenticated', 'service_role']);
        const plans = await sql`select count(*)::int as n from public.polybot_plans`;
        expect(plans[0]?.n).toBe(4);
      } finally {
        await sql.end();
      }
    } finally {
      await plain.stop();
    }
  });

  it('a bad DATABASE_URL fails with a clear message and a non-zero exit', async () => {
    const env = { ...process.env, DATABASE_URL: 'mysql://nope' };
    const result = await run('npm', ['run', '--silent', 'db:setup'], { cwd: REPO_ROOT, env }).then(
      () => null,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(result?.code).not.toBe(0);
    expect(result?.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// connection string');
  });
});
