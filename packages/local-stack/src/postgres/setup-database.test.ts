// setupDatabase on a local instance bootstrapped by an older bootstrap.sql (a developer's existing `npm start` state):
// the grants later migrations rely on are brought up to date before migrating.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCAL_PASSWORD } from './embedded.ts';
import { setupDatabase } from './setup-database.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

const adminOptions = async (): Promise<Record<string, boolean>> => {
  const rows = await db.superuser<{ role: string; admin_option: boolean }[]>`
    select r.rolname as role, m.admin_option from pg_auth_members m
      join pg_roles r on r.oid = m.roleid join pg_roles p on p.oid = m.member
     where p.rolname = 'postgres' and r.rolname in ('anon', 'authenticated', 'service_role')`;
  return Object.fromEntries(rows.map((r) => [r.role, r.admin_option]));
};

it('gives postgres the API roles WITH ADMIN OPTION again, as on hosted projects', async () => {
  await db.superuser.unsafe('revoke admin option for anon, authenticated, service_role from postgres cascade');
  expect(await adminOptions()).toEqual({ anon: false, authenticated: false, service_role: false });
  const result = await setupDatabase({
    adminUrl: db.superuserUrl,
    migrateUrl: db.url,
    localPostgresPassword: LOCAL_PASSWORD,
  });
  expect(result.bootstrapped).toBe(false);
  expect(await adminOptions()).toEqual({ anon: true, authenticated: true, service_role: true });
});
