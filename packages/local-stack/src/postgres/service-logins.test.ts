// localLoginUrl: a local login in a service's group role, created with the `postgres` role (not a superuser, as on
// hosted projects), idempotent, and refused for anything that is not a service group role.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLoginUrl } from './service-logins.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

async function whoAmI(url: string): Promise<{ user: string; web: boolean; superuser: boolean }> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ user: string; web: boolean; superuser: boolean }[]>`
      select current_user as user, pg_has_role(current_user, 'polybot_web', 'usage') as web,
             (select rolsuper from pg_roles where rolname = current_user) as superuser`;
    if (!row) throw new Error('no row');
    return row;
  } finally {
    await sql.end();
  }
}

describe('localLoginUrl', () => {
  it('creates <group>_local with the admin URL of postgres and returns a URL that signs in as it', async () => {
    const url = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' });
    expect(new URL(url).username).toBe('polybot_web_local');
    expect(new URL(url).host).toBe(new URL(db.url).host);
    expect(await whoAmI(url)).toEqual({ user: 'polybot_web_local', web: true, superuser: false });
  });

  it('is idempotent: a second call returns the same working URL', async () => {
    const first = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' });
    const second = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' });
    expect(second).toBe(first);
    expect((await whoAmI(second)).user).toBe('polybot_web_local');
  });

  it('refuses roles that are not a service group role, and a group the migrations did not create', async () => {
    for (const groupRole of ['postgres', 'authenticated', 'service_role', 'polybot_web; drop role x']) {
      await expect(localLoginUrl({ adminUrl: db.url, groupRole })).rejects.toThrow('not a service group role');
    }
    await expect(localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_nope' })).rejects.toThrow(
      'role polybot_nope does not exist',
    );
  });

  it('refuses to hand out a login that bypasses RLS', async () => {
    await db.superuser.unsafe('create role polybot_risky nologin');
    await db.superuser.unsafe('create role polybot_risky_local login bypassrls');
    // As if postgres had created both (it administers the roles it creates).
    await db.superuser.unsafe('grant polybot_risky, polybot_risky_local to postgres with admin option');
    await expect(localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_risky' })).rejects.toThrow('bypasses RLS');
  });
});
