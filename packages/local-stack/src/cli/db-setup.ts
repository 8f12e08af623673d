// npm run db:setup — bootstrap the Supabase platform if the `auth` schema is missing, then apply pending migrations.
// Against DATABASE_URL when set (any empty Postgres 15+, connecting as a superuser for the bootstrap), else against
// the embedded local instance (started for the duration of the command).
import { readEnv, redactUrl } from '../env.ts';
import { setupDatabase, startLocalDatabase, type SetupResult } from '../postgres/index.ts';
import { runCli } from './run-cli.ts';

runCli(async () => {
  const env = readEnv();
  const log = (line: string) => console.log(`db:setup: ${line}`);
  let result: SetupResult;
  if (env.DATABASE_URL) {
    log(`target ${redactUrl(env.DATABASE_URL)}`);
    result = await setupDatabase({ adminUrl: env.DATABASE_URL, log });
  } else {
    log(`target embedded Postgres on 127.0.0.1:${env.POLYBOT_DB_PORT} (data in .local/postgres)`);
    const local = await startLocalDatabase({ port: env.POLYBOT_DB_PORT, log });
    result = local.setup;
    await local.instance.stop();
  }
  log(
    `${result.bootstrapped ? 'bootstrapped the local Supabase platform; ' : ''}` +
      `${result.migrations.applied.length} migration(s) applied, ${result.migrations.skipped.length} already applied`,
  );
});
