import { describe, expect, it } from 'vitest';
import { DEV_APP_URL, parseServerEnv, parseTelegramEnv } from './env.ts';

const BASE = {
  DATABASE_URL: 'postgres://polybot_web_login:pw@db.example.com:5432/postgres',
  NEXT_PUBLIC_SUPABASE_URL: 'https://project.supabase.co',
  NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon-key-anon-key-anon-key',
};

function refusal(env: Record<string, string | undefined>): string {
  try {
    parseServerEnv(env);
  } catch (e) {
    return String(e);
  }
  throw new Error('the environment was accepted');
}

describe('APP_URL', () => {
  it('is required in production, naming the variable', () => {
    const message = refusal({ ...BASE, NODE_ENV: 'production' });
    expect(message).toContain('APP_URL');
    expect(message).toContain('required in production');
    expect(refusal({ ...BASE, NODE_ENV: 'production', APP_URL: '' })).toContain('APP_URL');
  });

  it('is the configured origin in production, without a trailing slash', () => {
    const env = parseServerEnv({ ...BASE, NODE_ENV: 'production', APP_URL: 'https://app.polybot.example/' });
    expect(env.APP_URL).toBe('https://app.polybot.example');
  });

  it('defaults to the dev server outside production', () => {
    expect(parseServerEnv({ ...BASE, NODE_ENV: 'development' })).toMatchObject({
      APP_URL: DEV_APP_URL,
      isDevelopment: true,
    });
    expect(parseServerEnv({ ...BASE, NODE_ENV: 'production', APP_URL: 'https://a.example' }).isDevelopment).toBe(false);
    expect(parseServerEnv({ ...BASE }).APP_URL).toBe(DEV_APP_URL);
  });

  it.each(['app.polybot.example', 'javascript:alert(1)', 'ftp://app.polybot.example', 'https://app.example/billing'])(
    'refuses %j (an http(s) origin only)',
    (value) => {
      expect(refusal({ ...BASE, NODE_ENV: 'production', APP_URL: value })).toContain(
        'APP_URL must be an http(s) origin',
      );
    },
  );
});

describe('notification settings', () => {
  const SECRET = 'an-unsubscribe-secret-of-32-chars!';

  it('are all optional: no email channel, https only, no exempt ranges', () => {
    const env = parseServerEnv({ ...BASE });
    expect(env.NOTIFY_SMTP_URL).toBeUndefined();
    expect(env).toMatchObject({ NOTIFY_WEBHOOK_ALLOW_HTTP: false, NOTIFY_WEBHOOK_EXEMPT_RANGES: [] });
  });

  it('parses the local values', () => {
    const env = parseServerEnv({
      ...BASE,
      NOTIFY_SMTP_URL: 'smtp://127.0.0.1:54325',
      NOTIFY_MAIL_FROM: 'PolyBot <notifications@polybot.local>',
      NOTIFY_UNSUBSCRIBE_SECRET: SECRET,
      NOTIFY_WEBHOOK_ALLOW_HTTP: 'true',
      NOTIFY_WEBHOOK_EXEMPT_RANGES: '127.0.0.1/32, ::1/128',
    });
    expect(env).toMatchObject({
      NOTIFY_SMTP_URL: 'smtp://127.0.0.1:54325',
      NOTIFY_MAIL_FROM: 'PolyBot <notifications@polybot.local>',
      NOTIFY_UNSUBSCRIBE_SECRET: SECRET,
      NOTIFY_WEBHOOK_ALLOW_HTTP: true,
      NOTIFY_WEBHOOK_EXEMPT_RANGES: ['127.0.0.1/32', '::1/128'],
    });
  });

  it('refuses SMTP without a sender or an unsubscribe secret, naming the variable', () => {
    const smtp = { ...BASE, NOTIFY_SMTP_URL: 'smtps://u:p@smtp.example.com:465' };
    expect(refusal({ ...smtp, NOTIFY_UNSUBSCRIBE_SECRET: SECRET })).toContain(
      'NOTIFY_MAIL_FROM is required when NOTIFY_SMTP_URL is set',
    );
    expect(refusal({ ...smtp, NOTIFY_MAIL_FROM: 'PolyBot <n@example.com>' })).toContain(
      'NOTIFY_UNSUBSCRIBE_SECRET is required when NOTIFY_SMTP_URL is set',
    );
  });

  it.each([
    [{ NOTIFY_SMTP_URL: 'http://smtp.example.com' }, 'NOTIFY_SMTP_URL must be an smtp:// or smtps:// URL'],
    [{ NOTIFY_UNSUBSCRIBE_SECRET: 'short' }, 'NOTIFY_UNSUBSCRIBE_SECRET must be at least 32 characters'],
    [{ NOTIFY_WEBHOOK_ALLOW_HTTP: 'yes' }, 'NOTIFY_WEBHOOK_ALLOW_HTTP must be true or false'],
    [{ NOTIFY_WEBHOOK_EXEMPT_RANGES: '127.0.0.1' }, 'NOTIFY_WEBHOOK_EXEMPT_RANGES must list CIDRs'],
  ])('refuses %j', (vars, message) => {
    expect(refusal({ ...BASE, ...vars })).toContain(message);
  });
});

describe('Telegram', () => {
  const TELEGRAM = {
    TELEGRAM_BOT_TOKEN: '7000000001:AAH-a-bot-token-from-botfather_x',
    TELEGRAM_BOT_USERNAME: 'polybot_bot',
    TELEGRAM_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters-or-more',
  };

  it('is off with none of its variables (empty ones count as unset)', () => {
    expect(parseServerEnv(BASE).telegram).toBeNull();
    expect(
      parseServerEnv({ ...BASE, TELEGRAM_BOT_TOKEN: '', TELEGRAM_BOT_USERNAME: '', TELEGRAM_WEBHOOK_SECRET: '' })
        .telegram,
    ).toBeNull();
    expect(parseTelegramEnv({})).toBeNull();
  });

  it('is on with token, username and secret, defaulting to Telegram itself', () => {
    expect(parseServerEnv({ ...BASE, ...TELEGRAM }).telegram).toEqual({
      token: TELEGRAM.TELEGRAM_BOT_TOKEN,
      botUsername: 'polybot_bot',
      webhookSecret: TELEGRAM.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: 'https://api.telegram.org',
      linkBase: 'https://t.me',
    });
    // Locally: the stand-in's API root and chat page, trailing slashes dropped.
    expect(
      parseTelegramEnv({
        ...TELEGRAM,
        TELEGRAM_API_ROOT: 'http://127.0.0.1:54330/',
        TELEGRAM_LINK_BASE: 'http://127.0.0.1:54330/chat/',
      }),
    ).toMatchObject({ apiRoot: 'http://127.0.0.1:54330', linkBase: 'http://127.0.0.1:54330/chat' });
  });

  it.each(Object.keys(TELEGRAM))('refuses a configuration without %s, naming it', (missing) => {
    const env = { ...BASE, ...TELEGRAM, [missing]: undefined };
    const message = refusal(env);
    expect(message).toContain(missing);
    expect(message).toContain('is required when');
    expect(() => parseTelegramEnv(env)).toThrow(missing);
  });

  it.each([
    ['TELEGRAM_BOT_TOKEN', 'not-a-token'],
    ['TELEGRAM_BOT_USERNAME', '@polybot_bot'],
    ['TELEGRAM_WEBHOOK_SECRET', 'short'],
    ['TELEGRAM_WEBHOOK_SECRET', 'a secret with spaces that is long enough'],
    ['TELEGRAM_API_ROOT', 'ftp://api.telegram.org'],
    ['TELEGRAM_LINK_BASE', 't.me'],
  ])('refuses %s=%j', (name, value) => {
    expect(refusal({ ...BASE, ...TELEGRAM, [name]: value })).toContain(name);
  });
});
