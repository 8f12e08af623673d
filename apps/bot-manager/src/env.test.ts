// NEWS_FEEDS: `name=url` pairs become the feed map; a malformed entry stops the manager at start with a clear message.
import { expect, test } from 'vitest';
import { parseEnv } from './env.ts';

const base = {
  DATABASE_URL: 'postgres://x',
  POLYMARKET_CLOB_URL: 'http://c.test',
  POLYMARKET_GAMMA_URL: 'http://g.test',
  POLYMARKET_WS_URL: 'ws://w.test',
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
