// The local stack for the browser tests: throwaway Postgres (bootstrap + migrations), the local GoTrue-compatible
// auth server (its account emails go to the local mail sink), the venue simulator, and the built app under
// `next start` on a free port.
import { startLocalAuth, type LocalAuth } from '@polybot/local-stack/auth';
import { startMailSink, type MailSink } from '@polybot/local-stack/mail';
import { localNotificationEnv, type LocalNotificationEnv } from '@polybot/local-stack/notify-env';
import { createTestDatabase, findFreePort, localLoginUrl, type TestDatabase } from '@polybot/local-stack/postgres';
import { startTelegramStandIn, type TelegramStandIn } from '@polybot/local-stack/telegram';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { randomBytes } from 'node:crypto';
import { buildWeb, isBuilt, startWeb, WEB_DIR } from '../../scripts/start-web.ts';
import { setTelegramWebhook } from '../../src/lib/telegram/register.ts';

export { WEB_DIR };

// What the tests use of @polybot/local-stack/stripe. Imported by specifier at run time: its sources do not
// type-check under this app's tsconfig (Next's types make NODE_ENV a required ProcessEnv key).
interface LocalBilling {
  env: Record<string, string>;
  close(): Promise<void>;
}
const STRIPE_MODULE: string = '@polybot/local-stack/stripe';

async function startLocalBilling(options: { databaseUrl: string }): Promise<LocalBilling> {
  const mod = (await import(/* @vite-ignore */ STRIPE_MODULE)) as {
    startLocalBilling: (o: { databaseUrl: string }) => Promise<LocalBilling>;
  };
  return mod.startLocalBilling(options);
}

export interface Stack {
  db: TestDatabase;
  auth: LocalAuth;
  sim: VenueSim;
  billing: LocalBilling;
  /** Where the auth server's emails (password reset, signup confirmation) and the web's notification mails arrive. */
  mail: MailSink;
  /** With `telegram: true`: the Bot API stand-in, its webhook set to the web app's route (else null). */
  telegram: (TelegramStandIn & { webhookSecret: string }) | null;
  /** With `notifications: true`: the notification env the app was given, for the manager process too (else null). */
  notifyEnv: LocalNotificationEnv | null;
  /** The web's NOTIFY_UNSUBSCRIBE_SECRET, for tests that sign unsubscribe tokens as the manager would. */
  unsubscribeSecret: string;
  baseUrl: string;
  stop(): Promise<void>;
}

/** `next build` once per test run; WEB_TEST_SKIP_BUILD=1 reuses an existing .next (local iteration only). */
export async function buildApp(): Promise<void> {
  if (process.env.WEB_TEST_SKIP_BUILD === '1' && isBuilt()) return;
  await buildWeb();
}

export interface StackOptions {
  /** Sign-up mails a confirmation link and signs nobody in until it is followed (GoTrue's MAILER_AUTOCONFIRM off). */
  confirmSignups?: boolean;
  /** Telegram on: a Bot API stand-in, the web app configured for it and the webhook registered (setWebhook). */
  telegram?: boolean;
  /**
   * Notifications as `npm start` runs them (docs/NOTIFICATIONS.md "Running locally"): Telegram as above, email through
   * the mail sink with an unsubscribe secret, plain-http webhooks to 127.0.0.1 allowed.
   */
  notifications?: boolean;
  /** More environment for the web app (NOTIFY_WEBHOOK_EXEMPT_RANGES, NODE_EXTRA_CA_CERTS for a local https receiver…). */
  webEnv?: Record<string, string>;
}

/** Signs the stack's unsubscribe links (≥ 32 characters, like production's). */
export const TEST_UNSUBSCRIBE_SECRET = 'polybot-browser-tests-unsubscribe-secret';

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const cleanups: (() => Promise<void>)[] = [() => db.stop()];
  const stopAll = async () => {
    for (const c of cleanups) await c().catch((e: unknown) => console.error('cleanup failed', e));
  };
  try {
    const mail = await startMailSink();
    cleanups.unshift(() => mail.close());
    // The web's port first: the auth server's emailed links point at the web app (GoTrue's SITE_URL).
    const webPort = await findFreePort();
    const auth = await startLocalAuth({
      databaseUrl: db.url,
      siteUrl: `http://127.0.0.1:${webPort}`,
      smtp: { url: mail.smtpUrl },
      mailerAutoconfirm: !options.confirmSignups,
    });
    cleanups.unshift(() => auth.close());
    const sim = await startVenueSim({ scenario: 'arb-rich', port: 0, host: '127.0.0.1' });
    cleanups.unshift(() => sim.close());
    const billing = await startLocalBilling({ databaseUrl: db.url });
    cleanups.unshift(() => billing.close());
    const telegram =
      options.telegram || options.notifications
        ? Object.assign(await startTelegramStandIn(), { webhookSecret: randomBytes(24).toString('base64url') })
        : null;
    if (telegram) cleanups.unshift(() => telegram.close());
    const notifyEnv =
      options.notifications && telegram
        ? localNotificationEnv({
            appUrl: `http://127.0.0.1:${webPort}`,
            smtpUrl: mail.smtpUrl,
            telegram,
            unsubscribeSecret: TEST_UNSUBSCRIBE_SECRET,
            telegramWebhookSecret: telegram.webhookSecret,
          })
        : null;
    const web = await startWeb({
      port: webPort,
      env: {
        // The web's least-privilege login, as in production (docs/SECURITY.md §1.1); tests set up data with db.url.
        DATABASE_URL: await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' }),
        NEXT_PUBLIC_SUPABASE_URL: auth.url,
        NEXT_PUBLIC_SUPABASE_ANON_KEY: auth.anonKey,
        KALSHI_API_BASE: sim.urls.kalshi ?? `${sim.origin}/trade-api/v2`,
        POLYMARKET_CLOB_URL: sim.urls.polymarketClob ?? sim.origin,
        POLYMARKET_CHAIN_ID: '137',
        ...billing.env,
        // Notification mail (the email channel's confirmation and test mails) goes to the same sink.
        NOTIFY_SMTP_URL: mail.smtpUrl,
        NOTIFY_MAIL_FROM: 'PolyBot <notifications@polybot.test>',
        NOTIFY_UNSUBSCRIBE_SECRET: TEST_UNSUBSCRIBE_SECRET,
        ...(telegram
          ? {
              TELEGRAM_BOT_TOKEN: telegram.token,
              TELEGRAM_API_ROOT: telegram.url,
              TELEGRAM_BOT_USERNAME: telegram.botUsername,
              TELEGRAM_WEBHOOK_SECRET: telegram.webhookSecret,
              TELEGRAM_LINK_BASE: telegram.chatUrl,
            }
          : {}),
        ...notifyEnv,
        ...options.webEnv,
      },
    });
    cleanups.unshift(async () => {
      await web.close();
      if (process.env.WEB_TEST_SHOW_LOG === '1') console.log(web.log());
    });
    if (telegram)
      await setTelegramWebhook({
        token: telegram.token,
        apiRoot: telegram.url,
        appUrl: web.url,
        secret: telegram.webhookSecret,
      });
    return {
      db,
      auth,
      sim,
      billing,
      mail,
      telegram,
      notifyEnv,
      unsubscribeSecret: TEST_UNSUBSCRIBE_SECRET,
      baseUrl: web.url,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
