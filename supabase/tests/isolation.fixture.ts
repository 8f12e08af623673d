// Two users with one of everything, so every table has an "owner" row and a "stranger" to try to reach it.
import type { Db } from '@polybot/db';
import { createAuthUser, saveSecret, testKeys, type TestDatabase } from './helpers.ts';

export interface IsolationFixture {
  owner: string;
  other: string;
}

export async function seedIsolationFixture(db: TestDatabase): Promise<IsolationFixture> {
  const owner = await createAuthUser(db, 'owner@example.test', { display_name: 'Owner' });
  const other = await createAuthUser(db, 'other@example.test', { display_name: 'Other' });
  for (const user of [owner, other]) {
    await saveSecret(db.sql, user, {
      platform: 'polymarket',
      isPaper: true,
      apiKey: null,
      apiSecret: null,
      privateKey: `0x${'ab'.repeat(32)}`,
      additional: { address: testKeys.address },
    });
    await insertTradeAndPosition(db.sql, user);
  }
  await db.sql`
    insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id, status, reviewed_by, reviewed_at)
    values ('equivalent', 'polymarket', '0xapproved', 'kalshi', 'KXAPPROVED', 'approved', 'admin', now()),
           ('equivalent', 'polymarket', '0xproposed', 'kalshi', 'KXPROPOSED', 'proposed', null, null)`;
  // A resolved market and one settlement per user (inserted directly: this suite tests who reads them, not how they
  // are made; settlement.test.ts covers settle_market).
  await db.sql`
    insert into public.polybot_market_resolutions (platform, market_id, status, payouts, winning_outcome, resolved_at, source)
    values ('polymarket', '0xresolved', 'resolved', '{"token-resolved": 1}', 'Yes', now(), 'venue')`;
  for (const user of [owner, other]) {
    await db.sql`
      insert into public.polybot_settlements (user_id, position_id, platform, market_id, instrument_id, mode, size,
                                              cost_basis_usd, payout_per_contract, payout_usd, realized_pnl_usd, rule)
      select ${user}, id, 'polymarket', '0xresolved', 'token-resolved', 'paper', 10, 4.62, 1, 10, 5.38, 'won'
        from public.polybot_positions where user_id = ${user} limit 1`;
  }
  await db.sql`
    insert into public.polybot_stripe_events (id, type, stripe_created_at, user_id)
    values ('evt_isolation_1', 'customer.subscription.updated', now(), ${owner})`;
  // Notifications: one verified channel, a settings row and one notification with its delivery per user.
  for (const user of [owner, other]) {
    await db.sql`
      insert into public.polybot_notification_channels (user_id, kind, target, verified_at)
      values (${user}, 'slack', ${`https://hooks.slack.test/${user}`}, now())`;
    await db.sql`insert into public.polybot_notification_settings (user_id) values (${user})`;
    await db.sql`select private.emit_notification(${user}, 'bot_error', '{"code": "runner_error", "reason": "x"}')`;
  }
  return { owner, other };
}

async function insertTradeAndPosition(sql: Db, user: string): Promise<void> {
  await sql`
    insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side, strategy, mode,
                                       order_type, status, limit_price, price, size, filled_size, fee, notional_usd)
    values (${user}, ${`coid-${user.slice(0, 8)}`}, 'polymarket', '0xmarket', 'token-yes', 'buy', 'single_platform', 'paper',
            'FOK', 'filled', 0.45, 0.45, 10, 10, 0.12, 4.5)`;
  await sql`
    insert into public.polybot_positions (user_id, platform, market_id, instrument_id, mode, size, avg_price, cost_basis_usd)
    values (${user}, 'polymarket', '0xmarket', 'token-yes', 'paper', 10, 0.45, 4.62)`;
  await sql`
    insert into public.polybot_order_intents (user_id, client_order_id, venue, instrument_id, market_id, side, size,
                                              limit_price, order_type, leg_group_id, strategy, mode)
    values (${user}, ${`intent-${user.slice(0, 8)}`}, 'polymarket', 'token-yes', '0xmarket', 'buy', 10, 0.45, 'FOK',
            'opp-isolation', 'single_platform', 'live')`;
}
