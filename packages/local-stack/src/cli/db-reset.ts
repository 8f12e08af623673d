// npm run db:reset — local only: wipe the embedded database, set it up again and load supabase/seed.sql.
import { applySeed } from '@polybot/db/migrate';
import postgres from 'postgres';
import { readEnv } from '../env.ts';
import { SEED_FILE, startLocalDatabase, wipeLocalDatabase } from '../postgres/index.ts';
import { runCli } from './run-cli.ts';

runCli(async () => {
  const env = readEnv();
  if (env.DATABASE_URL) {
    throw new Error(
      'db:reset only resets the local embedded database; unset DATABASE_URL (it would wipe that database otherwise).',
    );
  }
  const log = (line: string) => console.log(`db:reset: ${line}`);
  await wipeLocalDatabase();
  log('wiped .local/postgres');
  const local = await startLocalDatabase({ port: env.POLYBOT_DB_PORT, log });
  const sql = postgres(local.instance.postgresUrl, { max: 1, onnotice: () => undefined });
  try {
    await applySeed(sql, SEED_FILE);
    log('loaded supabase/seed.sql');
  } finally {
    await sql.end();
    await local.instance.stop();
  }
  log(`done: ${local.setup.migrations.applied.length} migration(s) applied, seed loaded`);
});
