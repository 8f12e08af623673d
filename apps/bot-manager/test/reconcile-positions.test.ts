// The last step of reconciliation (ARCHITECTURE.md §8a.4), real manager and runner against the simulator: a live
// Polymarket account that bought by hand before PolyBot knew it holds a position the database never booked; the
// runner compares the venue's positions with the booked ones once its intents are resolved and says so in the status
// (last error, in words), and books nothing for it.
import { expect, test } from 'vitest';
import { createUser, saveKeys, statusOf, until, walletKeys, userVenue } from './harness.ts';
import { useManagerStack } from './stack.ts';

const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';
const stack = useManagerStack();

test('a position on the live account that PolyBot did not book is reported, not booked', async () => {
  const keys = await walletKeys(stack.sim);
  const venue = await userVenue(stack.sim, keys);
  // By hand, before the account is connected to PolyBot: a filled buy.
  const bought = await venue.placeOrder({
    venue: 'polymarket',
    instrumentId: BTC_UP,
    side: 'buy',
    limitPrice: 0.99,
    size: 5,
    orderType: 'FOK',
    clientOrderId: 'by-hand-0001',
  });
  expect(bought.status).toBe('filled');

  const u = await createUser(stack.db, {
    config: { dry_run: false },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
  });
  await saveKeys(stack.db.sql, u.id, keys, false);
  const m = await stack.manager('positions-check');
  const status = await until(
    async () => {
      const s = await statusOf(stack.db.sql, u.id);
      return s.mode === 'live' && /outside PolyBot/.test(String(s.last_error ?? '')) ? s : null;
    },
    'the difference reported in the status',
    90_000,
  );
  expect(String(status.last_error)).toMatch(
    /^Your Polymarket account holds 5\.00 of \d{1,24} where PolyBot booked 0\.00.*: a trade made outside PolyBot on this account\?/,
  );
  // Not booked: nothing in the database for that instrument from the hand-made trade.
  const rows = await stack.db.sql`
    select 1 from public.polybot_trades where user_id = ${u.id} and client_order_id = 'by-hand-0001'`;
  expect(rows).toHaveLength(0);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
  await m.stop();
});
