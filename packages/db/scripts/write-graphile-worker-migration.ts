// Writes supabase/migrations/<GRAPHILE_WORKER_MIGRATION_FILE> from the installed graphile-worker (see
// src/queue/graphile-worker-migration.ts). Run: npx tsx packages/db/scripts/write-graphile-worker-migration.ts
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GRAPHILE_WORKER_MIGRATION_FILE, graphileWorkerMigrationSql } from '../src/queue/index.ts';

const target = fileURLToPath(
  new URL(`../../../supabase/migrations/${GRAPHILE_WORKER_MIGRATION_FILE}`, import.meta.url),
);
await writeFile(target, graphileWorkerMigrationSql());
console.log(`wrote ${target}`);
