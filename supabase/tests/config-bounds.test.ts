// packages/schemas (zod) and the table's CHECK constraints must agree: at and just past each bound, both accept or
// both reject. The step "just past" is the column's resolution (numeric scale, or 1 for integers).
import { CONFIG_LIMITS, UserConfigInputSchema } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;
let validConfig: Record<string, unknown>;

const STEP: Record<keyof typeof CONFIG_LIMITS, number> = {
  min_profit_pct: 0.0001,
  max_trade_size_usd: 0.01,
  max_daily_loss_usd: 0.01,
  max_open_positions: 1,
};

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'bounds@example.test');
  validConfig = {
    dry_run: true,
    bot_enabled: true,
    min_profit_pct: 1,
    max_trade_size_usd: 50,
    max_daily_loss_usd: 100,
    max_open_positions: 5,
    enable_copy_trading: false,
    enable_single_platform_arb: true,
    enable_cross_platform_arb: false,
    enable_overlapping_arb: false,
    enable_news_arbitrage: true,
    enable_polymarket: true,
    enable_kalshi: true,
    enable_alpaca: false,
    enable_ibkr: false,
    notify_on_trade: true,
    notify_on_opportunity: false,
    notify_daily_summary: true,
    notification_channels: ['email'],
    advanced_config: {},
  };
});
afterAll(async () => db?.stop());

async function dbAccepts(column: string, value: number): Promise<boolean> {
  const { outcome } = await attempt(db.sql, { role: 'authenticated', userId }, (tx) =>
    tx.unsafe(`update public.polybot_user_config set ${column} = $1 where user_id = $2`, [value, userId]),
  );
  if (!outcome.ok && outcome.code !== '23514') throw new Error(`unexpected error ${outcome.code}: ${outcome.message}`);
  return outcome.ok && outcome.value.count === 1;
}

describe('config: zod and the database agree at every bound', () => {
  let compared = 0;
  afterAll(() => console.log(`config bounds: ${compared} values compared between zod and Postgres`));

  for (const [column, { min, max }] of Object.entries(CONFIG_LIMITS) as Array<
    [keyof typeof CONFIG_LIMITS, { min: number; max: number }]
  >) {
    const step = STEP[column];
    const cases: Array<[string, number, boolean]> = [
      ['at min', min, true],
      ['just below min', Number((min - step).toFixed(4)), false],
      ['at max', max, true],
      ['just above max', Number((max + step).toFixed(4)), false],
    ];
    for (const [label, value, expected] of cases) {
      it(`${column} ${label} (${value}) → ${expected ? 'accepted' : 'rejected'} by both`, async () => {
        const zodAccepts = UserConfigInputSchema.safeParse({ ...validConfig, [column]: value }).success;
        expect(zodAccepts).toBe(expected);
        expect(await dbAccepts(column, value)).toBe(expected);
        compared += 1;
      });
    }
  }

  it('the valid baseline itself is accepted by zod', () => {
    expect(UserConfigInputSchema.safeParse(validConfig).success).toBe(true);
  });

  it('zod explains a rejected value in words', () => {
    const result = UserConfigInputSchema.safeParse({ ...validConfig, max_trade_size_usd: 0 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Max trade size (USD) must be at least 1');
  });
});
