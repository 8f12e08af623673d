export {
  startEmbeddedPostgres,
  startThrowawayPostgres,
  findFreePort,
  takeOverShutdownSignals,
  LOCAL_PASSWORD,
  LOCAL_SUPERUSER,
  type EmbeddedInstance,
} from './embedded.ts';
export { applyBootstrap, needsBootstrap } from './bootstrap.ts';
export { setupDatabase, type SetupResult, type SetupOptions } from './setup-database.ts';
export { createAuthUser, createTestDatabase, type TestDatabase } from './test-database.ts';
export { MIGRATIONS_DIR, SEED_FILE, LOCAL_STATE_DIR, REPO_ROOT } from './paths.ts';
export {
  startLocalDatabase,
  wipeLocalDatabase,
  LOCAL_DB_DIR,
  DEFAULT_LOCAL_DB_PORT,
  type LocalDatabase,
} from './local-database.ts';
export { localLoginUrl, type LocalLoginOptions } from './service-logins.ts';
