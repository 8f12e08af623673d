// Item 7's whole loop on the continuous `live` scenario (test clock, its own seed), with no link seeded: the running
// manager's matcher proposes the scenario's cross-venue pairs; an admin approves one and rejects the other through
// admin_review_market_link; the approval reaches the running bot at once (NOTIFY, no restart) and the bot trades a
// cross-platform window on the approved pair — never on the rejected one.
import { reviewMarketLink } from '@polybot/db/service';
import { expect, test } from 'vitest';
import { startVenueSim, until, type VenueSim } from './harness.ts';
import { ARB_FEATURES, planUser } from './plan-users.ts';
import { useManagerStack } from './stack.ts';

// The live scenario's two equivalent pairs (scenarios/live/links.json), as the matcher finds them by their titles.
const FED = { pm: '0xe9d404b8b2d51a65e726f13d975ab7d180ae46a924db71fed44be7a6bc338520', kalshi: 'KXFEDCUT-27MAR-CUT' };
const RECESSION = { pm: '0x9d3dcf2dda84fac7b421a4e098d2f81440ca6780832e37a71992f156a87832bb', kalshi: 'KXRECSS-27-Y' };

const stack = useManagerStack({
  sim: (): Promise<VenueSim> => startVenueSim({ scenario: 'live', port: 0, autoAdvance: false }),
});

test('matcher proposes, an admin approves one pair and rejects the other, the bot trades only the approved one', async () => {
  const userId = await planUser(stack.db, ARB_FEATURES, {
    config: { enable_kalshi: true, enable_single_platform_arb: false, enable_cross_platform_arb: true },
  });
  const m = await stack.manager('m-loop', {
    kalshiMarketData: { pollIntervalMs: 200, readsPerSecond: 500 },
    reconcileIntervalMs: 3_600_000, // only the review's NOTIFY can bring the approval in time
  });
  const pid = await until(() => m.manager.runners().find((r) => r.userId === userId)?.pid, 'the runner', 90_000);

  const proposalOf = async (pair: { pm: string; kalshi: string }) => {
    const [row] = await stack.db.sql<{ id: string; status: string; proposed_by: string }[]>`
      select id, status, proposed_by from public.polybot_market_links
       where relation = 'equivalent' and a_platform = 'polymarket' and a_market_id = ${pair.pm}
         and b_platform = 'kalshi' and b_market_id = ${pair.kalshi}`;
    return row;
  };
  const fed = await until(() => proposalOf(FED), 'the matcher’s proposal of the Fed pair', 30_000);
  const recession = await until(() => proposalOf(RECESSION), 'the matcher’s proposal of the recession pair', 30_000);
  expect([fed.status, fed.proposed_by, recession.status]).toEqual(['proposed', 'matcher', 'proposed']);

  await reviewMarketLink(stack.db.sql, Number(fed.id), 'approved', 'same FOMC meeting, same question');
  await reviewMarketLink(stack.db.sql, Number(recession.id), 'rejected', 'different recession definitions');

  // Step scenario time until a cross-platform window is open on the approved pair (windows on the rejected pair may
  // come first: the bot must leave those alone), then let the bot see it.
  const openOn = (): string[] => {
    const open = new Map<string, string>();
    for (const e of stack.sim.live?.events ?? []) {
      if (e.type === 'open' && e.strategy === 'cross_platform') open.set(e.ids.join(' '), e.ids[0] ?? '');
      else if (e.type === 'close') open.delete(e.ids.join(' '));
    }
    return [...open.values()];
  };
  for (let s = 0; s < 900 && !openOn().includes(FED.pm); s++) stack.sim.advance(1000);
  expect(openOn()).toContain(FED.pm);
  const legs = await until(
    async () => {
      const r = await stack.db.sql<{ platform: string; market_id: string }[]>`
        select platform, market_id from public.polybot_trades where user_id = ${userId} and strategy = 'cross_platform'`;
      return r.length >= 2 ? r : null;
    },
    'the cross-platform trade on the approved pair',
    60_000,
  );
  expect(legs.map((l) => l.market_id).sort()).toEqual([FED.pm, FED.kalshi].sort());
  const onRejected = await stack.db.sql`
    select 1 from public.polybot_trades where user_id = ${userId} and market_id in (${RECESSION.pm}, ${RECESSION.kalshi})`;
  expect(onRejected).toHaveLength(0);
  expect(m.manager.runners().find((r) => r.userId === userId)?.pid).toBe(pid);
}, 300_000);
