// The demo out of the box: the seed a fresh `npm start` loads approves the demo scenario's real market links through
// the audited review function, and its Pro demo user (Carol, default settings plus the two linked strategies) trades
// them — a cross-platform and an overlapping arbitrage on approved links — with a real manager, real runners and the
// real venue simulator running the continuous `live` scenario on its own seed, as `npm start` does, but on a test
// clock: scenario time moves only when the test advances it, so each opportunity window stays open until the bot has
// had its chance. The same manager's link matcher proposes, and never approves, links between the other markets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applySeed } from '@polybot/db/migrate';
import { SEED_FILE } from '@polybot/local-stack/postgres';
import { SCENARIOS_DIR } from '@polybot/local-stack/venue-sim/scenario';
import { expect, test } from 'vitest';
import { startVenueSim, until, type VenueSim } from './harness.ts';
import { useManagerStack } from './stack.ts';

/** The scenario `npm start` runs, whose links.json the seed approves (swap both together). */
const DEMO_SCENARIO = 'live';
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
  sim: (): Promise<VenueSim> => startVenueSim({ scenario: DEMO_SCENARIO, port: 0, autoAdvance: false }),
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
  const m = await stack.manager('m-demo', { kalshiMarketData: { pollIntervalMs: 200, readsPerSecond: 500 } });
  await until(() => m.manager.runners().some((r) => r.userId === CAROL), "Carol's runner", 90_000);
  const linkedTrades = () =>
    stack.db.sql<{ strategy: string; platform: string; market_id: string }[]>`
      select strategy, platform, market_id from public.polybot_trades
       where user_id = ${CAROL} and strategy in ('cross_platform', 'overlapping')`;
  // Scenario time moves only when we advance it (one driver step per second): step until a window of the kind is open,
  // then let the bot see it — the books stand still meanwhile. Cross-platform windows open about once a minute,
  // overlapping ones about every 90 s.
  const windowOpen = (strategy: string): boolean => {
    const open = new Map<string, string>();
    for (const e of stack.sim.live?.events ?? []) {
      if (e.type === 'open') open.set(e.ids.join(' '), e.strategy);
      else if (e.type === 'close') open.delete(e.ids.join(' '));
    }
    return [...open.values()].includes(strategy);
  };
  for (const strategy of ['cross_platform', 'overlapping']) {
    for (let s = 0; s < 900 && !windowOpen(strategy); s++) stack.sim.advance(1000);
    expect(windowOpen(strategy), `a ${strategy} window within 15 scenario minutes`).toBe(true);
    await until(
      async () => (await linkedTrades()).some((t) => t.strategy === strategy),
      `Carol's ${strategy} trade`,
      60_000,
    );
  }
  const trades = await linkedTrades();
  const linked = new Set(scenarioLinks.flatMap((l) => [l.aMarketId, l.bMarketId]));
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
