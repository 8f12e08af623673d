import { afterAll, expect, test } from 'vitest';
import { startBotManager, type RunningBotManager } from '../src/index.ts';
import { createLogger } from '../src/shared/log.ts';
import { createUser, statusIn, until } from './harness.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack();
let mgr: RunningBotManager;

// Registered after the stack's: runs before it (after-hooks run in reverse), so the manager stops first.
afterAll(async () => {
  await mgr?.stop();
});

test('a demo user on arb-rich paper-trades and a trade row appears', async () => {
  const u = await createUser(stack.db);
  mgr = await startBotManager({
    databaseUrl: stack.managerUrl,
    venueUrls: stack.urls,
    logger: createLogger('t', 'info'),
    heartbeatMs: 200,
    statusWriteMs: 200,
  });
  const running = await statusIn(stack.db.sql, u.id, 'running', 'running');
  // The heartbeat names the plan the runner was started with (the dashboard compares it with the profile's).
  const [profile] = await stack.db.sql<
    { tier: string; limit: number }[]
  >`select subscription_tier as tier, monthly_trade_limit as limit from public.polybot_user_profiles where id = ${u.id}`;
  expect(running.stats).toMatchObject({ plan_tier: profile?.tier, plan_monthly_trade_limit: profile?.limit });
  const rows = await until(async () => {
    const r = await stack.db.sql`select * from public.polybot_trades where user_id = ${u.id}`;
    return r.length > 0 ? r : null;
  }, 'a trade row');
  expect(rows[0]?.mode).toBe('paper');
  // booked with the market's question (what the dashboard shows), on the trade and on the position it opened
  const titles = await stack.db.sql<{ market_id: string; trade: string | null; position: string | null }[]>`
    select t.market_id, t.market_title as trade, p.market_title as position
      from public.polybot_trades t
      left join public.polybot_positions p on p.user_id = t.user_id and p.instrument_id = t.instrument_id and p.mode = t.mode
     where t.user_id = ${u.id}`;
  for (const r of titles) {
    expect(r.trade, r.market_id).toMatch(/\S/);
    expect(r.trade).not.toBe(r.market_id);
    expect(r.position).toBe(r.trade);
  }
});
