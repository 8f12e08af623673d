import { describe, expect, it } from 'vitest';
import { DEV_APP_URL, parseServerEnv } from './env.ts';

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
