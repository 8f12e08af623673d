// Settling one market held by many users. Run from the repo root:
//   npm run bench:settlement -- [users=10000] [otherPositions=3] [markets=3]
// A throwaway Postgres (all migrations). `users` users, each holding a paper position in every one of `markets` target
// markets (YES for half of them, NO for the other half) and `otherPositions` positions in markets that do not
// resolve (so the table is shared by many tenants and markets, as in production). Then each target market is settled
// once through @polybot/db settleMarket as the service role, timed end to end, and replayed (a no-op) once.
// Statements: every statement the client sends during the call is counted (postgres.js `debug` hook); the work inside
// settle_market is a fixed handful of set-based statements whatever the number of positions (see the migration), so
// the count printed is what a per-row implementation would multiply by the number of positions.
import { asService, settleMarket } from '@polybot/db/service';
import { createTestDatabase } from '@polybot/local-stack/postgres';
import type { MarketResolution } from '@polybot/schemas';
import postgres from 'postgres';
import { runMain } from './run-main.ts';
import { insertUsers } from './users.ts';

const [users = 10_000, otherPositions = 3, markets = 3] = process.argv.slice(2).map(Number);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

runMain(async () => {
  const db = await createTestDatabase();
  let statements = 0;
  const counted = postgres(db.url, {
    max: 1,
    onnotice: () => undefined,
    debug: () => {
      statements += 1;
    },
  });
  try {
    const t0 = performance.now();
    const ids = await insertUsers(db.sql, users, 'settle');
    // Target markets T1..Tn: every user holds one side; other markets O<k>: open positions that stay open.
    await db.sql`
      insert into public.polybot_positions (user_id, platform, market_id, instrument_id, outcome, mode, status, size,
                                            avg_price, cost_basis_usd, strategy, leg_group_id)
      select u.id, 'polymarket', 'T' || m, 'T' || m || case when u.n % 2 = 0 then '-yes' else '-no' end,
             case when u.n % 2 = 0 then 'Yes' else 'No' end, 'paper', 'open', 10 + u.n % 7, 0.45,
             (10 + u.n % 7) * 0.45 + 0.02, 'single_platform', 'g-' || u.n || '-' || m
        from (select id, row_number() over () as n from unnest(${ids}::uuid[]) id) u, generate_series(1, ${markets}) m`;
    await db.sql`
      insert into public.polybot_positions (user_id, platform, market_id, instrument_id, outcome, mode, status, size,
                                            avg_price, cost_basis_usd, strategy)
      select u.id, case when k % 2 = 0 then 'polymarket' else 'kalshi' end, 'O' || (u.n % 50) || '-' || k,
             'O' || (u.n % 50) || '-' || k || ':yes', 'Yes', 'paper', 'open', 5, 0.3, 1.51, 'news'
        from (select id, row_number() over () as n from unnest(${ids}::uuid[]) id) u, generate_series(1, ${otherPositions}) k`;
    await db.sql`vacuum analyze public.polybot_positions`;
    const [{ n: positions } = { n: 0 }] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from public.polybot_positions`;
    console.log(
      `setup: ${users} users, ${positions} open positions (${markets} target markets × ${users}, ${otherPositions} others each) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const settleMs: number[] = [];
    const replayMs: number[] = [];
    for (let m = 1; m <= markets; m++) {
      const r: MarketResolution = {
        platform: 'polymarket',
        marketId: `T${m}`,
        status: 'resolved',
        payouts: { [`T${m}-yes`]: 1, [`T${m}-no`]: 0 },
        winningOutcome: 'Yes',
        resolvedAt: new Date(),
        source: 'venue',
      };
      statements = 0;
      let t = performance.now();
      const settled = await asService(counted, (tx) => settleMarket(tx, r));
      settleMs.push(performance.now() - t);
      const settleStatements = statements;
      statements = 0;
      t = performance.now();
      const again = await asService(counted, (tx) => settleMarket(tx, r));
      replayMs.push(performance.now() - t);
      console.log(
        `T${m}: settled ${settled.length} positions in ${settleMs.at(-1)?.toFixed(0)} ms with ${settleStatements} client statements; replay: ${again.length} settled in ${replayMs.at(-1)?.toFixed(0)} ms with ${statements} client statements`,
      );
      if (settled.length !== users || again.length !== 0) throw new Error('settled the wrong number of positions');
    }
    const [check] = await db.sql`
      select (select count(*) from public.polybot_settlements)::int as settlements,
             (select count(*) from public.polybot_positions where status = 'open')::int as open`;
    console.log(
      `settle one market of ${users} holders: median ${median(settleMs).toFixed(0)} ms (${settleMs.map((x) => x.toFixed(0)).join(', ')}); replay median ${median(replayMs).toFixed(0)} ms; ${check?.settlements} settlement rows, ${check?.open} positions still open`,
    );
  } finally {
    await counted.end();
    await db.stop();
  }
});
