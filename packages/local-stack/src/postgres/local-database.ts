// The persistent local database behind `npm start`, `db:setup` and `db:reset`: embedded Postgres 17 with its data
// under .local/postgres (gitignored), on a fixed port so other local services can find it.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, LOCAL_PASSWORD, type EmbeddedInstance } from './embedded.ts';
import { LOCAL_STATE_DIR } from './paths.ts';
import { setupDatabase, type SetupResult } from './setup-database.ts';

export const LOCAL_DB_DIR = path.join(LOCAL_STATE_DIR, 'postgres');
/** Supabase's local database port, so tooling that assumes it works here too. */
export const DEFAULT_LOCAL_DB_PORT = 54322;

export interface LocalDatabase {
  instance: EmbeddedInstance;
  setup: SetupResult;
}

/** `dataDir`: where the cluster lives (default .local/postgres); created and bootstrapped if empty. */
export async function startLocalDatabase(options: {
  port: number;
  log: (line: string) => void;
  dataDir?: string;
}): Promise<LocalDatabase> {
  const instance = await startEmbeddedPostgres({
    dataDir: options.dataDir ?? LOCAL_DB_DIR,
    port: options.port,
    persistent: true,
  });
  try {
    const setup = await setupDatabase({
      adminUrl: instance.superuserUrl,
      migrateUrl: instance.postgresUrl,
      localPostgresPassword: LOCAL_PASSWORD,
      log: options.log,
    });
    return { instance, setup };
  } catch (error) {
    await instance.stop();
    throw error;
  }
}

export async function wipeLocalDatabase(): Promise<void> {
  await rm(LOCAL_DB_DIR, { recursive: true, force: true });
}
