// NEWS_FEEDS: `name=url` pairs become the feed map; a malformed entry stops the manager at start with a clear message.
// Notifications: the worker's variables, what is optional (a channel the platform lacks) and what stops the start.
import { describe, expect, test } from 'vitest';
import { parseEnv } from './env.ts';
import { notificationConfigFromEnv } from './notifications/config.ts';

const base = {
  DATABASE_URL: 'postgres://x',
  POLYMARKET_CLOB_URL: 'http://c.test',
  POLYMARKET_GAMMA_URL: 'http://g.test',
  POLYMARKET_WS_URL: 'ws://w.test',
  APP_URL: 'https://app.example.com',
};

test('NEWS_FEEDS parses into name → URL; unset is no feeds; the poll interval defaults to 5 s', () => {
  const env = parseEnv({
    ...base,
    NEWS_FEEDS: 'fed=https://www.federalreserve.gov/feeds/press_all.xml, ap=http://127.0.0.1:4010/news/ap/rss.xml',
  });
  expect(env.NEWS_FEEDS).toEqual({
    fed: 'https://www.federalreserve.gov/feeds/press_all.xml',
    ap: 'http://127.0.0.1:4010/news/ap/rss.xml',
  });
  expect(env.NEWS_POLL_INTERVAL_MS).toBe(5000);
  expect(parseEnv(base).NEWS_FEEDS).toEqual({});
});

test('a malformed NEWS_FEEDS entry is rejected with the entry named', () => {
  expect(() => parseEnv({ ...base, NEWS_FEEDS: 'fed' })).toThrow(/NEWS_FEEDS entry "fed"/);
  expect(() => parseEnv({ ...base, NEWS_FEEDS: 'fed=ftp://x.test/rss' })).toThrow(/NEWS_FEEDS entry/);
  expect(() => parseEnv({ ...base, NEWS_FEEDS: 'fed=http://a.test/1,fed=http://a.test/2' })).toThrow(/unique name/);
  expect(() => parseEnv({ ...base, NEWS_POLL_INTERVAL_MS: '10' })).toThrow(/NEWS_POLL_INTERVAL_MS/);
});

test('lease timing: defaults 15 s / 3 s / 5 s; a safety margin not under TTL − renew stops the manager loudly', () => {
  const env = parseEnv(base);
  expect([env.LEASE_TTL_MS, env.LEASE_RENEW_MS, env.LEASE_SAFETY_MS]).toEqual([15_000, 3000, 5000]);
  const short = parseEnv({ ...base, LEASE_TTL_MS: '3000', LEASE_RENEW_MS: '500', LEASE_SAFETY_MS: '1000' });
  expect(short.LEASE_TTL_MS).toBe(3000);
  expect(() => parseEnv({ ...base, LEASE_TTL_MS: '3000', LEASE_RENEW_MS: '1000', LEASE_SAFETY_MS: '2000' })).toThrow(
    /LEASE_SAFETY_MS \(2000\) must be less than LEASE_TTL_MS − LEASE_RENEW_MS \(3000 − 1000\)/,
  );
  expect(() => parseEnv({ ...base, LEASE_TTL_MS: '10' })).toThrow(/LEASE_TTL_MS/);
  expect(() => parseEnv({ ...base, BOT_MANAGER_ID: '' })).toThrow(/BOT_MANAGER_ID/);
});

describe('notifications', () => {
  const secret = 'x'.repeat(32);
  const email = {
    NOTIFY_SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
    NOTIFY_MAIL_FROM: 'PolyBot <notifications@example.com>',
    NOTIFY_UNSUBSCRIBE_SECRET: secret,
  };

  test('the worker is on by default and needs APP_URL; off needs nothing', () => {
    const { APP_URL: _unset, ...noAppUrl } = base;
    expect(() => parseEnv(noAppUrl)).toThrow(/APP_URL is required while NOTIFY_WORKER is on/);
    expect(notificationConfigFromEnv(parseEnv({ ...noAppUrl, NOTIFY_WORKER: 'off' }))).toBeNull();
    expect(() => parseEnv({ ...base, APP_URL: 'https://app.example.com/path' })).toThrow(/APP_URL must be an http/);
    expect(() => parseEnv({ ...base, NOTIFY_WORKER: 'yes' })).toThrow(/NOTIFY_WORKER/);
  });

  test('without SMTP or Telegram the worker still runs (those deliveries go dead); defaults are safe', () => {
    const config = notificationConfigFromEnv(parseEnv(base));
    expect(config).toEqual({
      appUrl: 'https://app.example.com',
      concurrency: 4,
      email: null,
      telegram: null,
      webhook: { allowHttp: false, exemptRanges: [] },
    });
  });

  test('everything configured', () => {
    const config = notificationConfigFromEnv(
      parseEnv({
        ...base,
        ...email,
        NOTIFY_CONCURRENCY: '8',
        TELEGRAM_BOT_TOKEN: '7000000001:LOCAL-stand-in-token',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:4100',
        NOTIFY_WEBHOOK_ALLOW_HTTP: 'true',
        NOTIFY_WEBHOOK_EXEMPT_RANGES: '127.0.0.1/32, ::1/128',
      }),
    );
    expect(config).toMatchObject({
      concurrency: 8,
      email: { smtpUrl: email.NOTIFY_SMTP_URL, from: email.NOTIFY_MAIL_FROM, unsubscribeSecret: secret },
      telegram: { token: '7000000001:LOCAL-stand-in-token', apiRoot: 'http://127.0.0.1:4100' },
      webhook: { allowHttp: true, exemptRanges: ['127.0.0.1/32', '::1/128'] },
    });
    expect(notificationConfigFromEnv(parseEnv({ ...base, TELEGRAM_BOT_TOKEN: '1:a' }))?.telegram?.apiRoot).toBe(
      'https://api.telegram.org',
    );
  });

  test('a malformed value stops the manager, naming the variable', () => {
    expect(() => parseEnv({ ...base, ...email, NOTIFY_UNSUBSCRIBE_SECRET: 'short' })).toThrow(
      /NOTIFY_UNSUBSCRIBE_SECRET must be at least 32 characters/,
    );
    expect(() => parseEnv({ ...base, ...email, NOTIFY_SMTP_URL: 'http://smtp.example.com' })).toThrow(
      /NOTIFY_SMTP_URL must be an smtp/,
    );
    expect(() => parseEnv({ ...base, ...email, NOTIFY_MAIL_FROM: 'nobody' })).toThrow(/NOTIFY_MAIL_FROM/);
    expect(() => parseEnv({ ...base, NOTIFY_SMTP_URL: email.NOTIFY_SMTP_URL })).toThrow(
      /NOTIFY_SMTP_URL needs NOTIFY_MAIL_FROM[\s\S]*needs NOTIFY_UNSUBSCRIBE_SECRET/,
    );
    expect(() => parseEnv({ ...base, TELEGRAM_BOT_TOKEN: 'not-a-token' })).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => parseEnv({ ...base, TELEGRAM_API_ROOT: 'ftp://x' })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => parseEnv({ ...base, NOTIFY_CONCURRENCY: '0' })).toThrow(/NOTIFY_CONCURRENCY/);
    expect(() => parseEnv({ ...base, NOTIFY_WEBHOOK_ALLOW_HTTP: 'yes' })).toThrow(/NOTIFY_WEBHOOK_ALLOW_HTTP/);
    expect(() => parseEnv({ ...base, NOTIFY_WEBHOOK_EXEMPT_RANGES: '127.0.0.1' })).toThrow(/"127.0.0.1" is not a CIDR/);
    expect(() => parseEnv({ ...base, NOTIFY_WEBHOOK_EXEMPT_RANGES: '10.0.0.0/33' })).toThrow(/not a CIDR/);
  });
});
