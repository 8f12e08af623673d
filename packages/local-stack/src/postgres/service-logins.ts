// Local login roles for the services' least-privilege group roles (docs/SECURITY.md §1).
//
// Migrations create NOLOGIN group roles (e.g. `polybot_web`, `polybot_manager`) that hold exactly a service's grants;
// on hosted Supabase an operator creates a login in each (docs/SECURITY.md says how). Locally — `npm start`, tests —
// this creates `<group>_local` with a known local-only password and returns its connection URL, so every local
// process connects exactly as it would in production: never as `postgres`.
import postgres from 'postgres';

/** Roles this helper may create a local login for: only the services' group roles, never an API or admin role. */
const SERVICE_GROUP_ROLE = /^polybot_[a-z]+$/;

export interface LocalLoginOptions {
  /** A connection that may create roles (locally: the `postgres` role, as migrations run). */
  adminUrl: string;
  /** The NOLOGIN group role created by a migration, e.g. `polybot_web`. */
  groupRole: string;
}

/** Creates (once) `<groupRole>_local`, a login member of `groupRole`, and returns its URL on the admin URL's host. */
export async function localLoginUrl(options: LocalLoginOptions): Promise<string> {
  const { adminUrl, groupRole } = options;
  if (!SERVICE_GROUP_ROLE.test(groupRole)) throw new Error(`not a service group role: ${groupRole}`);
  const login = `${groupRole}_local`;
  // Local only: the password is the role's name, like the embedded instance's own local password.
  const password = login;
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const [group] = await sql<
      { rolcanlogin: boolean }[]
    >`select rolcanlogin from pg_roles where rolname = ${groupRole}`;
    if (!group) {
      throw new Error(`role ${groupRole} does not exist: apply the migrations first (npm run db:setup)`);
    }
    const [existing] = await sql<{ n: number }[]>`select count(*)::int as n from pg_roles where rolname = ${login}`;
    if (!existing || existing.n === 0) {
      await sql.unsafe(`create role ${login} login noinherit password '${password}'`);
    }
    // Re-asserted every time: a login that only inherits its group's grants and nothing else. (Not `nosuperuser`:
    // only a superuser may name that attribute, and the admin here — `postgres`, as on hosted Supabase — is not one;
    // a role it creates can never be a superuser anyway.)
    await sql.unsafe(`alter role ${login} login inherit nocreatedb nocreaterole nobypassrls`);
    await sql.unsafe(`grant ${groupRole} to ${login}`);
  } finally {
    await sql.end();
  }
  const url = new URL(adminUrl);
  url.username = login;
  url.password = password;
  return url.toString();
}
