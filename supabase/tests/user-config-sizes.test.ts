// Byte limits on what a user writes to their own config (20261207000330), tried as `authenticated` through SQL the
// way a token reaches PostgREST, and held equal to the zod schemas: the same number (ADVANCED_CONFIG_MAX_BYTES), the
// same measure (jsonbTextBytes = octet_length(value::text)), the same verdict at the limit and one byte past it.
import {
  ADVANCED_CONFIG_MAX_BYTES,
  AdvancedConfigSchema,
  jsonbTextBytes,
  NotificationChannelSchema,
  type AdvancedConfig,
  type NewsRule,
} from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'sizes@example.test');
});
afterAll(async () => db?.stop());

const MB2 = 'x'.repeat(2 * 1024 * 1024);

/** One update of the user's own config row as the user, rolled back. */
const update = (fn: (tx: TransactionSql) => Promise<unknown>) =>
  attempt(db.sql, { role: 'authenticated', userId }, fn).then((r) => r.outcome);
const setAdvanced = (value: unknown) =>
  update(
    (tx) =>
      tx`update public.polybot_user_config set advanced_config = ${tx.json(value as never)} where user_id = ${userId}`,
  );
const setChannels = (value: unknown) =>
  update(
    (tx) =>
      tx`update public.polybot_user_config set notification_channels = ${tx.json(value as never)} where user_id = ${userId}`,
  );

const rule = (i: number, keywords: string[], instrumentId = 'x'): NewsRule => ({
  id: `rule-${i}`,
  feed: 'reuters',
  keywords,
  venue: 'polymarket',
  instrumentId,
  side: 'yes',
  maxPrice: 0.6,
  confidence: 0.7,
  windowMinutes: 60,
});

/** A valid advanced_config of exactly `bytes` bytes: full rules, then one whose keywords and instrument id fill the rest. */
function configOfSize(bytes: number): AdvancedConfig {
  const full = Array.from({ length: 20 }, (_, k) => `${k}`.padEnd(100, 'k'));
  const rules: NewsRule[] = [];
  const size = (r: NewsRule[]) => jsonbTextBytes({ newsRules: r, followedWallets: [] });
  while (bytes - size([...rules, rule(rules.length, full)]) >= 150) rules.push(rule(rules.length, full));
  for (let n = 20; n >= 1; n--) {
    const last = rule(rules.length, full.slice(0, n));
    const rest = bytes - size([...rules, last]);
    if (rest >= 0 && rest < 200)
      return { newsRules: [...rules, rule(rules.length, full.slice(0, n), 'x'.repeat(1 + rest))], followedWallets: [] };
  }
  throw new Error(`cannot build a config of ${bytes} bytes`);
}

describe('advanced_config', () => {
  it('the measure: jsonbTextBytes is what Postgres counts, for awkward values too', async () => {
    const values: unknown[] = [
      {},
      [],
      { a: [1, 2, { b: null, c: true }], d: 'é😀"\\\n\t\u0001/' },
      { small: 1e-7, tiny: 1.5e-7, big: 1e21, bigger: 1.234e25, neg: -2.5e-8, odd: 0.1 + 0.2, int: 123456789 },
      configOfSize(5000),
      { news: 'ümlaut ✓ 中文 🚀', key: { nested: ['x', 'y'] } },
    ];
    for (const v of values) {
      const [r] = await db.sql<{ n: number }[]>`select octet_length(${db.sql.json(v as never)}::jsonb::text) as n`;
      expect(jsonbTextBytes(v), JSON.stringify(v).slice(0, 80)).toBe(r?.n);
    }
  });

  it('a 2 MB value is refused (the old compressed-size check let it through)', async () => {
    const outcome = await setAdvanced({ newsRules: [], followedWallets: [], note: MB2 });
    expect(outcome).toMatchObject({ ok: false, code: '23514' });
    if (!outcome.ok) expect(outcome.message).toMatch(/polybot_user_config_advanced_config_size/);
  });

  it('at ADVANCED_CONFIG_MAX_BYTES both zod and the database accept; one byte more, both refuse', async () => {
    const atLimit = configOfSize(ADVANCED_CONFIG_MAX_BYTES);
    expect(jsonbTextBytes(atLimit)).toBe(ADVANCED_CONFIG_MAX_BYTES);
    expect(AdvancedConfigSchema.safeParse(atLimit).success).toBe(true);
    expect((await setAdvanced(atLimit)).ok).toBe(true);

    const over = configOfSize(ADVANCED_CONFIG_MAX_BYTES + 1);
    const zod = AdvancedConfigSchema.safeParse(over);
    expect(zod.success).toBe(false);
    expect(zod.error?.issues[0]?.message).toMatch(/too large to save \(64 KiB\)/);
    expect(await setAdvanced(over)).toMatchObject({ ok: false, code: '23514' });
  });

  it('the CHECK names the same number', async () => {
    const [r] = await db.sql<{ def: string }[]>`
      select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'polybot_user_config_advanced_config_size'`;
    expect(r?.def).toContain(`<= ${ADVANCED_CONFIG_MAX_BYTES}`);
  });
});

describe('notification_channels', () => {
  it('any of NotificationChannelSchema, up to 5, is accepted', async () => {
    expect((await setChannels(NotificationChannelSchema.options)).ok).toBe(true);
    expect((await setChannels([])).ok).toBe(true);
  });
  const refused: Array<[string, unknown]> = [
    ['a 2 MB entry', ['email', MB2]],
    ['an unknown channel', ['sms']],
    ['an entry that is not a string', [['email']]],
    ['an object entry', [{ email: MB2 }]],
    ['more than 5', ['email', 'email', 'email', 'email', 'email', 'email']],
  ];
  for (const [what, value] of refused) {
    it(`${what} is refused`, async () => {
      expect(await setChannels(value)).toMatchObject({ ok: false, code: '23514' });
    });
  }
  it('the CHECK lists exactly NotificationChannelSchema', async () => {
    const [r] = await db.sql<{ def: string }[]>`
      select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'polybot_user_config_notification_channels_known'`;
    const list = /<@ '(\[[^']*\])'::jsonb/.exec(r?.def ?? '')?.[1] ?? '[]';
    expect([...(JSON.parse(list) as string[])].sort()).toEqual([...NotificationChannelSchema.options].sort());
  });
});

describe("the profile's user-writable text", () => {
  it('display_name: 100 characters are accepted, a 2 MB name is refused', async () => {
    const set = (name: string) =>
      update((tx) => tx`update public.polybot_user_profiles set display_name = ${name} where id = ${userId}`);
    expect((await set('é'.repeat(100))).ok).toBe(true);
    expect(await set(MB2)).toMatchObject({ ok: false, code: '23514' });
  });
});
