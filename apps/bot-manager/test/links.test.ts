// An admin approving a market link in Studio (admin_review_market_link) reaches a running runner at once and without a
// restart: the review's NOTIFY (polybot_market_links_changed) makes the manager re-read the approved links and push a
// 'links' message — the 60 s safety pass is set to an hour here, so only the notification can do it; the runner
// rebuilds its baskets and trades the new cross-platform arbitrage. Both venues, scenario time standing still (the
// link-1 basket stays there).
import { reviewMarketLink } from '@polybot/db/service';
import { afterAll, expect, test } from 'vitest';
import { startBotManager, type RunningBotManager } from '../src/index.ts';
import { heartbeats, startBothVenuesSim, until } from './harness.ts';
import { ARB_FEATURES, planUser } from './plan-users.ts';
import { managerOptions, useManagerStack } from './stack.ts';

// arb-rich link 1: Polymarket Fed 'No change' ≡ Kalshi KXFEDDECISION-26JUN-H0.
const FED_NO_CHANGE = '0xde04b189b3f19eaccda02529a3ea67abfc46bff5c0c8fc42d8a2d0ed7b8f0d41';
const H0 = 'KXFEDDECISION-26JUN-H0';

const stack = useManagerStack({ sim: startBothVenuesSim, timeoutMs: 120_000 });
let running: RunningBotManager | null = null;
const linkMessages: number[] = [];

// Registered after the stack's: runs before it (after-hooks run in reverse), so the manager stops first.
afterAll(async () => {
  await running?.stop();
});

test('a link approved in review while the runner runs reaches it at once, without a restart, and the runner then trades it', async () => {
  const userId = await planUser(stack.db, ARB_FEATURES, {
    config: {
      enable_polymarket: true,
      enable_kalshi: true,
      enable_single_platform_arb: false,
      enable_cross_platform_arb: true,
    },
  });
  running = await startBotManager({
    ...managerOptions(stack.managerUrl, stack.urls, 'm-links'),
    reconcileIntervalMs: 3_600_000,
    // The test plays the matcher itself (its proposal below); the manager's own would race it to the same pair.
    linkProposalIntervalMs: 0,
    kalshiMarketData: { pollIntervalMs: 200, readsPerSecond: 500 },
    ipcTap: (e) => {
      const msg = e.message as { type: string; links?: unknown[] };
      if (e.direction === 'to' && msg.type === 'links') linkMessages.push(msg.links?.length ?? 0);
    },
  });
  const m = running;
  const pid = await until(() => m.manager.runners().find((r) => r.userId === userId)?.pid, 'the user’s runner', 90_000);
  const [proposal] = await stack.db.sql<{ id: string }[]>`
    insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id, proposed_by, match_score)
    values ('equivalent', 'polymarket', ${FED_NO_CHANGE}, 'kalshi', ${H0}, 'matcher', 0.72)
    returning id`;
  // Only a proposal, not approved: several heartbeats pass without a cross-platform trade.
  await heartbeats(stack.db.sql, userId, 5, 'a heartbeat');
  expect(await stack.db.sql`select 1 from public.polybot_trades where user_id = ${userId}`).toHaveLength(0);
  expect(linkMessages).toEqual([]);

  await reviewMarketLink(stack.db.sql, Number(proposal?.id), 'approved', 'same FOMC decision');
  await until(() => linkMessages.length > 0, 'the links message sent to the runner', 30_000);
  expect(linkMessages[0]).toBe(1);
  const rows = await until(
    async () => {
      const r = await stack.db.sql<{ platform: string; leg_group_id: string }[]>`
      select platform, leg_group_id from public.polybot_trades where user_id = ${userId} and strategy = 'cross_platform'`;
      return r.length >= 2 ? r : null;
    },
    'the cross-platform arbitrage on the new link',
    90_000,
  );
  expect(rows.map((r) => r.platform).sort()).toEqual(['kalshi', 'polymarket']);
  // The same runner process did it: no restart.
  expect(m.manager.runners().find((r) => r.userId === userId)?.pid).toBe(pid);
}, 300_000);
