// The demo out of the box: the seed a fresh `npm start` loads approves the demo scenario's real market links through
// the audited review function, and its Pro demo user (Carol, default settings plus the two linked strategies) trades
// them — a cross-platform and an overlapping arbitrage on approved links — with a real manager, real runners and the
// real venue simulator (both venues, scenario time standing still so the planted baskets stay put). The same manager's
// link matcher proposes, and never approves, links between the scenario's other markets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applySeed } from '@polybot/db/migrate';
import { SEED_FILE } from '@polybot/local-stack/postgres';
import { SCENARIOS_DIR } from '@polybot/local-stack/venue-sim/scenario';
import { expect, test } from 'vitest';
import { startBothVenuesSim, until } from './harness.ts';
import { useManagerStack } from './stack.ts';

/** The scenario `npm start` runs, whose links.json the seed approves (swap both together). */
const DEMO_SCENARIO = 'arb-rich';
const CAROL = '33333333-3333-4333-8333-333333333333';

interface ScenarioLink {
  relation: string;
  aVenue: string;
  aMarketId: string;
  bVenue: string;
  bMarketId: string;
  approved: boolean;
}
const scenarioLinks = (
  JSON.parse(readFileSync(join(SCENARIOS_DIR, DEMO_SCENARIO, 'links.json'), 'utf8')) as { links: ScenarioLink[] }
).links.filter((l) => l.approved);
const keyOf = (l: { relation: string; aVenue: string; aMarketId: string; bVenue: string; bMarketId: string }) =>
  `${l.relation} ${l.aVenue}:${l.aMarketId} → ${l.bVenue}:${l.bMarketId}`;

const stack = useManagerStack({
  sim: startBothVenuesSim,
  setup: ({ db }) => applySeed(db.sql, SEED_FILE),
  timeoutMs: 120_000,
});

test("the seed approves exactly the demo scenario's links, each through the audited review", async () => {
  const rows = await stack.db.sql<
    {
      id: string;
      relation: string;
      a_platform: string;
      a_market_id: string;
      b_platform: string;
      b_market_id: string;
      status: string;
      reviewed_by: string | null;
      reviewed: boolean;
    }[]
  >`select id, relation, a_platform, a_market_id, b_platform, b_market_id, status, reviewed_by,
           reviewed_at is not null as reviewed
      from public.polybot_market_links order by id`;
  expect(scenarioLinks.length).toBeGreaterThan(0);
  expect(
    rows
      .map((r) =>
        keyOf({
          relation: r.relation,
          aVenue: r.a_platform,
          aMarketId: r.a_market_id,
          bVenue: r.b_platform,
          bMarketId: r.b_market_id,
        }),
      )
      .sort(),
  ).toEqual(scenarioLinks.map(keyOf).sort());
  for (const r of rows) expect(r).toMatchObject({ status: 'approved', reviewed_by: 'postgres', reviewed: true });
  const audited = await stack.db.sql<{ link_id: string }[]>`
    select details ->> 'link_id' as link_id from public.polybot_audit_log where action = 'market_link.approved'`;
  expect(audited.map((a) => a.link_id).sort()).toEqual(rows.map((r) => String(r.id)).sort());
});

test('the Pro demo user trades cross-platform and overlapping arbitrage on the approved links; the matcher only proposes', async () => {
  await stack.manager('m-demo', { kalshiMarketData: { pollIntervalMs: 200, readsPerSecond: 500 } });
  const linked = new Set(scenarioLinks.flatMap((l) => [l.aMarketId, l.bMarketId]));
  const trades = await until(
    async () => {
      const r = await stack.db.sql<{ strategy: string; platform: string; market_id: string }[]>`
        select strategy, platform, market_id from public.polybot_trades
         where user_id = ${CAROL} and strategy in ('cross_platform', 'overlapping')`;
      const kinds = new Set(r.map((t) => t.strategy));
      return kinds.has('cross_platform') && kinds.has('overlapping') ? r : null;
    },
    "Carol's cross-platform and overlapping trades",
    120_000,
  );
  for (const strategy of ['cross_platform', 'overlapping']) {
    const legs = trades.filter((t) => t.strategy === strategy);
    expect(new Set(legs.map((t) => t.platform))).toEqual(new Set(['polymarket', 'kalshi']));
    for (const t of legs) expect(linked).toContain(t.market_id);
  }

  // The manager's matcher ran on the same universe at start: whatever it found is a proposal, and the approved set is
  // still exactly the seeded one.
  const byStatus = await stack.db.sql<{ proposed_by: string; status: string; n: number }[]>`
    select proposed_by, status, count(*)::int as n from public.polybot_market_links
     group by proposed_by, status order by proposed_by, status`;
  expect(byStatus.filter((r) => r.proposed_by === 'matcher').every((r) => r.status === 'proposed')).toBe(true);
  expect(byStatus.find((r) => r.proposed_by === 'admin')).toEqual({
    proposed_by: 'admin',
    status: 'approved',
    n: scenarioLinks.length,
  });
}, 300_000);
