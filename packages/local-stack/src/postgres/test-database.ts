// Throwaway, fully set-up databases for tests: a fresh embedded cluster with the platform bootstrap and every
// migration applied. Each call gets its own cluster on its own port, so test files can run in parallel.
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@polybot/db';
import { startThrowawayPostgres, LOCAL_PASSWORD, type EmbeddedInstance } from './embedded.ts';
import { setupDatabase, type SetupResult } from './setup-database.ts';

export interface TestDatabase {
  instance: EmbeddedInstance;
  /** Superuser URL (tests that inspect or break things on purpose). */
  superuserUrl: string;
  /** `postgres` URL: what the services use. */
  url: string;
  setup: SetupResult;
  /** Connection as `postgres` (migration owner; BYPASSRLS, like a hosted project's postgres role). */
  sql: Db;
  /** Connection as the superuser. */
  superuser: Db;
  stop(): Promise<void>;
}

export async function createTestDatabase(options: { migrationsDir?: string } = {}): Promise<TestDatabase> {
  const instance = await startThrowawayPostgres();
  try {
    const setup = await setupDatabase({
      adminUrl: instance.superuserUrl,
      migrateUrl: instance.postgresUrl,
      localPostgresPassword: LOCAL_PASSWORD,
      ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    });
    const sql = createDb(instance.postgresUrl, { max: 10, applicationName: 'polybot-test' });
    const superuser = createDb(instance.superuserUrl, { max: 2, applicationName: 'polybot-test-admin' });
    return {
      instance,
      superuserUrl: instance.superuserUrl,
      url: instance.postgresUrl,
      setup,
      sql,
      superuser,
      stop: async () => {
        await Promise.allSettled([sql.end({ timeout: 5 }), superuser.end({ timeout: 5 })]);
        await instance.stop();
      },
    };
  } catch (error) {
    await instance.stop();
    throw error;
  }
}

/**
 * A user inserted into auth.users as GoTrue inserts one (role supabase_auth_admin), which fires handle_new_user:
 * the profile and config rows follow. The password hash is not one: nobody signs in as this user.
 */
export async function createAuthUser(
  db: Pick<TestDatabase, 'superuser'>,
  user: { id?: string; email: string; meta?: Record<string, unknown> },
): Promise<string> {
  const id = user.id ?? randomUUID();
  await db.superuser.begin(async (tx) => {
    await tx`set local role supabase_auth_admin`;
    await tx`
      insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                              raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
      values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${user.email},
              'not-a-real-hash', now(), '{"provider":"email","providers":["email"]}', ${tx.json((user.meta ?? {}) as never)},
              now(), now())`;
  });
  return id;
}
