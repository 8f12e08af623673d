// Every enum the database and the TypeScript code must agree on, checked from a migrated database: each CHECK's list
// of allowed values (read from pg_constraint) is exactly the zod enum in @polybot/schemas, in the manner of
// config-bounds.test.ts for numeric ranges. A value added on one side only fails here, not in production.
import {
  BotErrorCodeSchema,
  ChannelKindSchema,
  DeliveryStatusSchema,
  NotificationEventKindSchema,
  BotHaltCodeSchema,
  BotStateSchema,
  MarketLinkProposerSchema,
  CloseReasonSchema,
  MarketLinkSchema,
  MarketLinkStatusSchema,
  OrderIntentStatusSchema,
  OrderSideSchema,
  OrderStatusSchema,
  OrderTypeSchema,
  RedeemStatusSchema,
  ResolutionSourceSchema,
  ResolutionStatusSchema,
  SecretValidationStatusSchema,
  SettlementRuleSchema,
  SUBSCRIPTION_STATUSES,
  TierSchema,
  TradeStrategySchema,
  TRADING_SUBSCRIPTION_STATUSES,
  TradingModeSchema,
  UserChangedPayloadSchema,
  VenueIdSchema,
  isTradingSubscription,
  planMayTrade,
} from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

/**
 * The values a column's `check (col in (...))` allows, read back from Postgres (which stores it as
 * `col = ANY (ARRAY['a'::text, ...])`). Exactly one such CHECK must constrain the column.
 */
async function checkedValues(table: string, column: string): Promise<string[]> {
  const rows = await db.sql<{ def: string }[]>`
    select pg_get_constraintdef(c.oid) as def
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
     where c.conrelid = ${`public.${table}`}::regclass and c.contype = 'c' and a.attname = ${column}
       and pg_get_constraintdef(c.oid) like '%ANY (ARRAY[%'`;
  expect(rows, `${table}.${column}: one CHECK listing its values`).toHaveLength(1);
  return [...(rows[0]?.def ?? '').matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => (m[1] ?? '').replace(/''/g, "'"));
}

const sorted = (values: readonly string[]) => [...values].sort();

describe('each SQL CHECK list is the TypeScript enum', () => {
  const cases: Array<[table: string, column: string, values: readonly string[]]> = [
    ['polybot_trades', 'strategy', TradeStrategySchema.options],
    ['polybot_plans', 'tier', TierSchema.options],
    ['polybot_user_profiles', 'subscription_status', SUBSCRIPTION_STATUSES],
    ['polybot_bot_status', 'state', BotStateSchema.options],
    ['polybot_bot_status', 'halt_code', BotHaltCodeSchema.options],
    ['polybot_bot_status', 'error_code', BotErrorCodeSchema.options],
    ['polybot_user_secrets', 'validation_status', SecretValidationStatusSchema.options],
    ['polybot_user_secrets', 'platform', VenueIdSchema.options],
    ['polybot_trades', 'platform', VenueIdSchema.options],
    ['polybot_positions', 'platform', VenueIdSchema.options],
    ['polybot_market_links', 'a_platform', VenueIdSchema.options],
    ['polybot_market_links', 'b_platform', VenueIdSchema.options],
    ['polybot_market_links', 'relation', MarketLinkSchema.shape.relation.options],
    ['polybot_market_links', 'status', MarketLinkStatusSchema.options],
    ['polybot_market_links', 'proposed_by', MarketLinkProposerSchema.options],
    ['polybot_trades', 'side', OrderSideSchema.options],
    ['polybot_trades', 'order_type', OrderTypeSchema.options],
    ['polybot_trades', 'status', OrderStatusSchema.options],
    ['polybot_trades', 'mode', TradingModeSchema.options],
    ['polybot_positions', 'mode', TradingModeSchema.options],
    ['polybot_bot_status', 'mode', TradingModeSchema.options],
    ['polybot_positions', 'strategy', TradeStrategySchema.options],
    ['polybot_order_intents', 'status', OrderIntentStatusSchema.options],
    ['polybot_order_intents', 'venue', VenueIdSchema.options],
    ['polybot_order_intents', 'side', OrderSideSchema.options],
    ['polybot_order_intents', 'order_type', OrderTypeSchema.options],
    ['polybot_order_intents', 'strategy', TradeStrategySchema.options],
    ['polybot_order_intents', 'mode', TradingModeSchema.options],
    ['polybot_positions', 'close_reason', CloseReasonSchema.options],
    ['polybot_market_resolutions', 'platform', VenueIdSchema.options],
    ['polybot_market_resolutions', 'status', ResolutionStatusSchema.options],
    ['polybot_market_resolutions', 'source', ResolutionSourceSchema.options],
    ['polybot_settlements', 'platform', VenueIdSchema.options],
    ['polybot_settlements', 'mode', TradingModeSchema.options],
    ['polybot_settlements', 'rule', SettlementRuleSchema.options],
    ['polybot_settlements', 'redeem_status', RedeemStatusSchema.options],
    ['polybot_notification_channels', 'kind', ChannelKindSchema.options],
    ['polybot_notifications', 'kind', NotificationEventKindSchema.options],
    ['polybot_notification_deliveries', 'channel_kind', ChannelKindSchema.options],
    ['polybot_notification_deliveries', 'status', DeliveryStatusSchema.options],
  ];
  for (const [table, column, values] of cases) {
    it(`${table}.${column}`, async () => {
      expect(sorted(await checkedValues(table, column))).toEqual(sorted(values));
    });
  }

  it('every tier has its plan row (profiles reference polybot_plans.tier)', async () => {
    const rows = await db.sql<{ tier: string }[]>`select tier from public.polybot_plans`;
    expect(sorted(rows.map((r) => r.tier))).toEqual(sorted(TierSchema.options));
  });

  it('the NOTIFY triggers fire on exactly the tables UserChangedPayloadSchema names', async () => {
    const rows = await db.sql<{ table: string }[]>`
      select distinct c.relname as table
        from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
       where p.proname = 'notify_user_changed' and not t.tgisinternal`;
    expect(sorted(rows.map((r) => r.table))).toEqual(sorted(UserChangedPayloadSchema.shape.table.options));
  });
});

describe('list_desired_bots trades under exactly TRADING_SUBSCRIPTION_STATUSES', () => {
  let userId: string;
  beforeAll(async () => {
    userId = await createAuthUser(db, 'enums@example.test');
    await db.sql`update public.polybot_user_profiles set onboarding_completed = true where id = ${userId}`;
    await db.sql`insert into public.polybot_user_config (user_id, bot_enabled) values (${userId}, true)
                 on conflict (user_id) do update set bot_enabled = true`;
  });

  async function desired(tier: string, status: string): Promise<boolean> {
    await db.sql`update public.polybot_user_profiles
                    set subscription_tier = ${tier}, subscription_status = ${status} where id = ${userId}`;
    const rows = await db.sql<{ user_id: string }[]>`select user_id from public.list_desired_bots()`;
    return rows.some((r) => r.user_id === userId);
  }

  it('has the statuses it names', () => {
    expect(TRADING_SUBSCRIPTION_STATUSES.every((s) => isTradingSubscription(s))).toBe(true);
  });

  for (const status of SUBSCRIPTION_STATUSES) {
    it(`a paid plan ${status}: ${isTradingSubscription(status) ? 'runs' : 'stopped'}; the free plan runs`, async () => {
      expect(await desired('basic', status)).toBe(planMayTrade('basic', status));
      expect(await desired('basic', status)).toBe(isTradingSubscription(status));
      expect(await desired('free', status)).toBe(planMayTrade('free', status));
      expect(planMayTrade('free', status)).toBe(true);
    });
  }
});
