// db:setup as a function: bootstrap the platform if `auth` is missing, then apply pending migrations.
import { applyMigrations, type MigrationReport } from '@polybot/db/migrate';
import postgres from 'postgres';
import { applyBootstrap, needsBootstrap, setLocalPostgresPassword, upgradeBootstrapGrants } from './bootstrap.ts';
import { MIGRATIONS_DIR } from './paths.ts';

export interface SetupResult {
  bootstrapped: boolean;
  migrations: MigrationReport;
}

export interface SetupOptions {
  /** Connection used for the bootstrap (must be a superuser when the bootstrap is needed). */
  adminUrl: string;
  /** Connection migrations run as (`postgres`, as on hosted Supabase). Defaults to adminUrl. */
  migrateUrl?: string;
  /** Set this password on the `postgres` role after bootstrapping (local instances only). */
  localPostgresPassword?: string;
  migrationsDir?: string;
  log?: (line: string) => void;
}

export async function setupDatabase(options: SetupOptions): Promise<SetupResult> {
  const log = options.log ?? (() => undefined);
  const admin = postgres(options.adminUrl, { max: 1, onnotice: () => undefined });
  let bootstrapped = false;
  try {
    if (await needsBootstrap(admin)) {
      log('auth schema missing: applying the local Supabase platform bootstrap');
      await applyBootstrap(admin);
      bootstrapped = true;
    }
    if (options.localPostgresPassword !== undefined) {
      await setLocalPostgresPassword(admin, options.localPostgresPassword);
      // A local instance (admin is its superuser) may hold data from before a bootstrap change.
      if (!bootstrapped) await upgradeBootstrapGrants(admin);
    }
  } finally {
    await admin.end();
  }
  const migrator = postgres(options.migrateUrl ?? options.adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const migrations = await applyMigrations(migrator, options.migrationsDir ?? MIGRATIONS_DIR, log);
    return { bootstrapped, migrations };
  } finally {
    await migrator.end();
  }
}
