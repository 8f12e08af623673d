export {
  GRAPHILE_WORKER_MIGRATION_FILE,
  GRAPHILE_WORKER_SCHEMA,
  GRAPHILE_WORKER_VERSION,
  graphileWorkerMigrationSql,
} from './graphile-worker-migration.ts';
export { createQueuePool, type QueuePoolOptions } from './pool.ts';
// The pinned worker itself, for the notification worker (one home for the dependency).
export { Logger, run, runMigrations, runOnce } from 'graphile-worker';
export type { Runner, RunnerOptions, Task, TaskList } from 'graphile-worker';
