// npm start — the whole product locally on embedded defaults: no Docker, no accounts.
// Today that is: Postgres (embedded, persistent in .local/, bootstrapped, migrated, seeded the first time) and the
// venue simulator replaying the arb-rich scenario. Any real service configured in the environment (DATABASE_URL)
// replaces its local stand-in. Runs until Ctrl-C / SIGTERM, then stops everything it started.
import { applySeed } from '@polybot/db/migrate';
import path from 'node:path';
import postgres from 'postgres';
import { startLocalAuth } from '../auth/index.ts';
import { startLocalBilling } from '../stripe/index.ts';
import { readEnv, redactUrl } from '../env.ts';
import { LOCAL_STATE_DIR, SEED_FILE, setupDatabase, startLocalDatabase, type EmbeddedInstance } from '../postgres/index.ts';
import { startVenueSim, type VenueSim } from '../venue-sim/server.ts';

const say = (line: string) => console.log(`polybot: ${line}`);
const stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];

async function main(): Promise<void> {
  const env = readEnv();

  let databaseUrl: string;
  if (env.DATABASE_URL) {
    const result = await setupDatabase({ adminUrl: env.DATABASE_URL, log: (l) => say(`db: ${l}`) });
    databaseUrl = env.DATABASE_URL;
    say(`database ${redactUrl(databaseUrl)}: ${result.migrations.applied.length} migration(s) applied`);
  } else {
    say(`starting embedded Postgres 17 on 127.0.0.1:${env.POLYBOT_DB_PORT} (data in .local/postgres)`);
    const local = await startLocalDatabase({ port: env.POLYBOT_DB_PORT, log: (l) => say(`db: ${l}`) });
    const instance: EmbeddedInstance = local.instance;
    stoppers.push({ name: 'postgres', stop: () => instance.stop() });
    databaseUrl = instance.postgresUrl;
    if (local.setup.bootstrapped) {
      const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
      try {
        await applySeed(sql, SEED_FILE);
        say('fresh database: loaded demo data (supabase/seed.sql)');
      } finally {
        await sql.end();
      }
    }
    say(
      `database ready: ${local.setup.migrations.applied.length} migration(s) applied now, ` +
        `${local.setup.migrations.skipped.length} already applied`,
    );
  }

  const auth = await startLocalAuth({
    databaseUrl,
    port: env.POLYBOT_AUTH_PORT,
    signingKeyPath: path.join(LOCAL_STATE_DIR, 'auth-signing-key.json'),
    siteUrl: 'http://127.0.0.1:3000',
    onError: (e: unknown) => console.error(`polybot: local auth: ${e instanceof Error ? e.message : String(e)}`),
  });
  stoppers.unshift({ name: 'local auth', stop: () => auth.close() });

  const billing = await startLocalBilling({
    databaseUrl,
    statePath: path.join(LOCAL_STATE_DIR, 'stripe.json'),
    emulatorPort: env.POLYBOT_STRIPE_PORT,
    edgePort: env.POLYBOT_EDGE_PORT,
  });
  stoppers.unshift({ name: 'Stripe emulator and webhook function', stop: () => billing.close() });

  const sim: VenueSim = await startVenueSim({ scenario: 'arb-rich', port: env.POLYBOT_VENUE_SIM_PORT, host: '127.0.0.1' });
  stoppers.unshift({ name: 'venue simulator', stop: () => sim.close() });

  console.log('');
  console.log('PolyBot local stack is up');
  console.log(`  Postgres           ${redactUrl(databaseUrl)}`);
  console.log(`  Supabase Auth      ${auth.url}/auth/v1 (local, GoTrue-compatible; JWKS ${auth.jwksUrl})`);
  console.log(`    anon key         ${auth.anonKey}`);
  console.log(`  Stripe (emulator)  ${billing.emulator.url}  — test cards 4242 4242 4242 4242 (pays), 4000 0000 0000 0002 (declines)`);
  console.log(`  Webhook function   ${billing.edge.url} (supabase/functions/stripe-webhook under Deno)`);
  console.log('  Venue simulator    scenario arb-rich');
  for (const [name, url] of Object.entries(sim.urls)) console.log(`    ${name.padEnd(16)} ${url}`);
  console.log('  Demo users         alice@demo.polybot.local, bob@demo.polybot.local, carol@demo.polybot.local (password: polybot-demo)');
  console.log('  Admin              psql "postgres://postgres:postgres@127.0.0.1:' + String(env.POLYBOT_DB_PORT) + '/postgres" -c "select * from admin_user_overview"');
  console.log('Press Ctrl-C to stop.');
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping`);
  const force = setTimeout(() => {
    console.error('polybot: shutdown took too long, exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  const results = await Promise.allSettled(stoppers.map((s) => s.stop()));
  let failed = false;
  for (const [i, r] of results.entries()) {
    if (r.status === 'rejected') {
      failed = true;
      console.error(`polybot: stopping ${stoppers[i]?.name ?? '?'} failed: ${String(r.reason)}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

main().catch(async (error: unknown) => {
  console.error(`polybot: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await Promise.allSettled(stoppers.map((s) => s.stop()));
  process.exit(1);
});
