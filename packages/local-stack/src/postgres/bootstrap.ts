// Applies the local Supabase platform bootstrap (bootstrap.sql) to a database that lacks it.
// Never for hosted Supabase: there the platform exists and `auth` is present, so `needsBootstrap` is false.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from 'postgres';

const BOOTSTRAP_SQL = fileURLToPath(new URL('./bootstrap.sql', import.meta.url));

export async function needsBootstrap(sql: Sql): Promise<boolean> {
  const rows = await sql<
    { present: boolean }[]
  >`select exists (select 1 from pg_namespace where nspname = 'auth') as present`;
  return !rows[0]?.present;
}

/** Must run as a superuser. Idempotent. */
export async function applyBootstrap(sql: Sql): Promise<void> {
  const text = await readFile(BOOTSTRAP_SQL, 'utf8');
  await sql.begin(async (tx) => {
    await tx.unsafe(text).simple();
  });
}

/** Local roles have no password on a fresh bootstrap; give `postgres` the local one so services can log in. */
export async function setLocalPostgresPassword(sql: Sql, password: string): Promise<void> {
  await sql.unsafe(`alter role postgres password '${password.replaceAll("'", "''")}'`);
}

/**
 * Brings a database bootstrapped by an older bootstrap.sql up to the grants the migrations now rely on (bootstrap.sql
 * itself runs only on a database without `auth`): postgres holds the API roles WITH ADMIN OPTION, as on hosted
 * projects, so 20261207000100_web_role can grant `authenticated` to `polybot_web`. Needs a superuser connection.
 */
export async function upgradeBootstrapGrants(sql: Sql): Promise<void> {
  await sql.unsafe('grant anon, authenticated, service_role to postgres with admin option');
}
