// The notification worker's configuration: the checks of its environment variables (parsed in env.ts, the one place
// process.env is read) and the typed config startNotificationWorker takes. A malformed value
// stops the manager at start; a channel the platform simply has not configured (no SMTP, no Telegram bot) is not an
// error: its deliveries go dead with a sentence saying so, and the worker warns once when it starts.

/** At least this long: the unsubscribe token's HMAC key (@polybot/notify signUnsubscribeToken refuses shorter). */
export const UNSUBSCRIBE_SECRET_MIN = 32;
export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';

/** What safeFetch gets for webhook, Slack and Discord URLs (production: neither option; locally both). */
export interface WebhookFetchConfig {
  /** Local mode only: http:// URLs. */
  allowHttp: boolean;
  /** Local mode only: CIDRs exempt from the address policy (the local receiver). */
  exemptRanges: readonly string[];
  /** Tests only (never from the environment): an extra trusted CA, and a resolver pointing names at a local receiver. */
  ca?: string;
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: 4 | 6 }>>;
}

export interface NotificationWorkerConfig {
  /** The web app's public origin: links in messages and the unsubscribe URL. */
  appUrl: string;
  /** Jobs run at once by one worker (NOTIFY_CONCURRENCY). */
  concurrency: number;
  /** null: the platform sends no email (email deliveries go dead saying so). */
  email: { smtpUrl: string; from: string; unsubscribeSecret: string } | null;
  /** null: no Telegram bot (Telegram deliveries go dead saying so). */
  telegram: { token: string; apiRoot: string } | null;
  webhook: WebhookFetchConfig;
  /** How often an idle worker polls besides LISTEN (graphile-worker's pollInterval), default 2000 ms. */
  pollIntervalMs?: number;
}

// An origin only (scheme, host, port): a path would end up in every link.
export function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}

export function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^smtps?:$/.test(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The manager's notification variables as env.ts parses them (same names as the web app's where both read one). */
export interface NotificationEnv {
  NOTIFY_WORKER: 'on' | 'off';
  NOTIFY_CONCURRENCY: number;
  APP_URL?: string | undefined;
  NOTIFY_SMTP_URL?: string | undefined;
  NOTIFY_MAIL_FROM?: string | undefined;
  NOTIFY_UNSUBSCRIBE_SECRET?: string | undefined;
  TELEGRAM_BOT_TOKEN?: string | undefined;
  TELEGRAM_API_ROOT: string;
  NOTIFY_WEBHOOK_ALLOW_HTTP: boolean;
  NOTIFY_WEBHOOK_EXEMPT_RANGES: string[];
}

/**
 * The cross-checks (env.ts runs them in its superRefine): the worker needs APP_URL for its links; email needs a sender
 * address and the unsubscribe secret, because every notification email carries a working unsubscribe link.
 */
export function checkNotificationEnv(e: NotificationEnv, addIssue: (message: string, path: string) => void): void {
  if (e.NOTIFY_WORKER === 'on' && e.APP_URL === undefined)
    addIssue(
      "APP_URL is required while NOTIFY_WORKER is on (the web app's public origin, for links in notifications); " +
        'set it or NOTIFY_WORKER=off',
      'APP_URL',
    );
  if (e.NOTIFY_SMTP_URL !== undefined) {
    if (e.NOTIFY_MAIL_FROM === undefined) addIssue('NOTIFY_SMTP_URL needs NOTIFY_MAIL_FROM', 'NOTIFY_MAIL_FROM');
    if (e.NOTIFY_UNSUBSCRIBE_SECRET === undefined)
      addIssue(
        'NOTIFY_SMTP_URL needs NOTIFY_UNSUBSCRIBE_SECRET (every email carries a signed unsubscribe link)',
        'NOTIFY_UNSUBSCRIBE_SECRET',
      );
  }
}

/** The worker's config from the parsed environment; null while NOTIFY_WORKER is off. */
export function notificationConfigFromEnv(e: NotificationEnv): NotificationWorkerConfig | null {
  if (e.NOTIFY_WORKER === 'off' || e.APP_URL === undefined) return null;
  return {
    appUrl: e.APP_URL,
    concurrency: e.NOTIFY_CONCURRENCY,
    email:
      e.NOTIFY_SMTP_URL && e.NOTIFY_MAIL_FROM && e.NOTIFY_UNSUBSCRIBE_SECRET
        ? { smtpUrl: e.NOTIFY_SMTP_URL, from: e.NOTIFY_MAIL_FROM, unsubscribeSecret: e.NOTIFY_UNSUBSCRIBE_SECRET }
        : null,
    telegram: e.TELEGRAM_BOT_TOKEN ? { token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT } : null,
    webhook: { allowHttp: e.NOTIFY_WEBHOOK_ALLOW_HTTP, exemptRanges: e.NOTIFY_WEBHOOK_EXEMPT_RANGES },
  };
}
