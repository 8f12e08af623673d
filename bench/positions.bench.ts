// Positions page and dashboard server response time for a user with many trades and positions. From the repo root:
//   npm run bench:positions -- [requests=100] [trades=10000] [positions=2000] [otherUsers=499]
// (= tsx --experimental-websocket bench/positions.bench.ts). A throwaway Postgres (all migrations), the local auth
// server and the built app under `next start` (built first if apps/web/.next is missing or stale; BENCH_BUILD=1
// rebuilds). The user has `trades` trades (one in seven a sale with its realized P&L, as the booking writes it) and
// `positions` positions: 30 % in two-leg arbitrage baskets, 5 % sold, 25 % in markets settled through the real
// public.settle_market (one call per market, settling every holder); the rest open and marked. Each of `otherUsers`
// users has 400 trades and 40 positions in the same markets (a shared table is what makes a missing index show).
// Then `requests` sequential GETs of /positions and /dashboard, timed to the end of the body, and the positions
// reads alone as the user (RLS applies); BENCH_EXPLAIN=1 prints their plans.
import { withUser, type UserTx } from '@polybot/db';
import { listOwnPositionsToValue, listOwnRealizedBuckets, listOwnSettlements } from '@polybot/db/user';
import type { createTestDatabase } from '@polybot/local-stack/postgres';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { WEB_DIR } from '@polybot/web/start';
import { runMain } from './run-main.ts';
import { fmt, sessionCookie, startBenchStack } from './web-session.ts';

const [requests = 100, tradeN = 10_000, positionN = 2_000, otherUsers = 499] = process.argv.slice(2).map(Number);
const OTHER_TRADES = 400;
const OTHER_POSITIONS = 40;

type Sql = Awaited<ReturnType<typeof createTestDatabase>>['sql'];

/** Trades over this month and last: buys, and one in seven a sale carrying its realized P&L. */
async function insertTrades(sql: Sql, userIds: string[]): Promise<void> {
  await sql`
    insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, outcome, side, strategy, mode,
                                       order_type, status, limit_price, price, size, filled_size, fee, notional_usd,
                                       realized_pnl_usd, created_at, executed_at, market_title)
    select u.id, 'coid-' || u.k || '-' || g, 'polymarket', 'M-' || (g % 1000), 'M-' || (g % 1000) || '-Y', 'Yes',
           case when g % 7 = 0 then 'sell' else 'buy' end,
           (array['single_platform','single_platform','cross_platform','overlapping','news','copy_trading'])[1 + g % 6],
           case when g % 10 < 8 then 'paper' else 'live' end, 'FOK', 'filled', 0.45, 0.44, 10, 10, 0.02, 4.4,
           case when g % 7 = 0 then round(((((g + u.k) * 7919) % 200) - 90) / 100.0, 2) end,
           t.at_, t.at_, 'Will market ' || (g % 1000) || ' resolve yes by the end of the year?'
      from unnest(string_to_array(${userIds.join(',')}, ',')::uuid[]) with ordinality as u(id, k),
           lateral (select case when u.k = 1 then ${tradeN}::int else ${OTHER_TRADES}::int end as cnt) c,
           lateral generate_series(1, c.cnt) g,
           lateral (select now() - ((g::bigint * 45 * 86400) / c.cnt) * interval '1 second' as at_) t
     order by t.at_`;
}

/**
 * Positions in markets M-1…: position i of a user holds M-ceil(i/2)'s Yes (odd i) or No (even i). The first 30 % are
 * two-leg single-platform baskets (one leg group per market), 5 % are sold; everything opens as 'open', the sold ones
 * are closed here, and the settled ones are settled by settle_market afterwards.
 */
async function insertPositions(sql: Sql, userIds: string[]): Promise<void> {
  await sql`
    insert into public.polybot_positions (user_id, platform, market_id, market_title, instrument_id, outcome, mode, status, size,
                                          avg_price, cost_basis_usd, mark_price, strategy, leg_group_id, opened_at)
    select u.id, 'polymarket', 'M-' || m.m, 'Will market ' || m.m || ' resolve yes by the end of the year?',
           'M-' || m.m || case when i % 2 = 1 then '-Y' else '-N' end, case when i % 2 = 1 then 'Yes' else 'No' end,
           case when i % 10 < 8 then 'paper' else 'live' end, 'open', 10 + i % 7,
           0.45, (10 + i % 7) * 0.45 + 0.02, 0.3 + (i % 40) / 100.0,
           case when i <= c.cnt * 0.3 then 'single_platform'
                else (array['news','copy_trading','cross_platform','overlapping'])[1 + i % 4] end,
           case when i <= c.cnt * 0.3 then 'g-' || u.k || '-' || m.m else 'g-' || u.k || '-p' || i end,
           now() - (i % 45) * interval '1 day'
      from unnest(string_to_array(${userIds.join(',')}, ',')::uuid[]) with ordinality as u(id, k),
           lateral (select case when u.k = 1 then ${positionN}::int else ${OTHER_POSITIONS}::int end as cnt) c,
           lateral generate_series(1, c.cnt) i,
           -- others hold markets spread over the user's, so a settled market settles many holders at once
           lateral (select case when u.k = 1 then (i + 1) / 2 else ((i + 1) / 2 + u.k * 7) % (${positionN} / 2) + 1 end as m) m
    on conflict do nothing`;
  // a pair's legs must share a mode to be a basket: the No leg takes its Yes leg's mode
  await sql`update public.polybot_positions p set mode = y.mode from public.polybot_positions y
             where p.user_id = y.user_id and p.instrument_id like '%-N' and y.instrument_id = replace(p.instrument_id, '-N', '-Y')
               and p.strategy = 'single_platform' and p.mode <> y.mode
               and not exists (select 1 from public.polybot_positions z where z.user_id = p.user_id
                                  and z.instrument_id = p.instrument_id and z.mode = y.mode)`;
  const sold = Math.floor(positionN * 0.95);
  await sql`update public.polybot_positions set status = 'closed', close_reason = 'sold', size = 0, cost_basis_usd = 0,
                   realized_pnl_usd = 0.37, closed_at = now()
             where user_id = ${userIds[0] ?? ''} and split_part(market_id, '-', 2)::int > ${Math.floor(sold / 2)}`;
}

/** Settles markets M-(35 % … 60 %) of the user's range through the real set-based function, one call per market. */
async function settleSome(sql: Sql): Promise<number> {
  const from = Math.floor(positionN * 0.35) / 2;
  const to = Math.floor(positionN * 0.6) / 2;
  let settled = 0;
  for (let m = from + 1; m <= to; m++) {
    const payouts = { [`M-${m}-Y`]: m % 3 === 0 ? 0.5 : 1, [`M-${m}-N`]: m % 3 === 0 ? 0.5 : 0 };
    const rows = await sql`
      select * from public.settle_market('polymarket', ${`M-${m}`}, 'resolved', ${sql.json(payouts)}, null, now(), 'venue')`;
    settled += rows.length;
  }
  return settled;
}

// The positions page's and the dashboard's reads as the app sends them (packages/db/src/user/positions.ts).
async function timeReads(sql: Sql, userId: string, n: number): Promise<void> {
  const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  const reads: [string, (tx: UserTx) => Promise<unknown>][] = [
    ['positions to value', (tx) => listOwnPositionsToValue(tx)],
    ['settlements page 1', (tx) => listOwnSettlements(tx, { limit: 51 })],
    ['realized buckets (all)', (tx) => listOwnRealizedBuckets(tx)],
    ['realized buckets (month)', (tx) => listOwnRealizedBuckets(tx, { since: monthStart })],
  ];
  console.log('\nreads alone, as the user:');
  for (const [name, read] of reads) {
    const xs: number[] = [];
    for (let i = 0; i < n + 10; i++) {
      const t0 = performance.now();
      await withUser(sql, userId, read);
      if (i >= 10) xs.push(performance.now() - t0);
    }
    console.log(`${name.padEnd(26)} ${fmt(xs)}`);
  }
}

async function main(): Promise<void> {
  const stack = await startBenchStack(otherUsers);
  const { db, auth, userId, email, others } = stack;
  try {
    const users = [userId, ...others];
    await insertTrades(db.sql, users);
    await insertPositions(db.sql, users);
    const settled = await settleSome(db.sql);
    await db.sql`vacuum analyze public.polybot_trades, public.polybot_positions, public.polybot_settlements`;
    const [mine] = await db.sql<{ open: number; closed: number; settled: number; sales: number }[]>`
      select count(*) filter (where status = 'open')::int as open, count(*) filter (where status = 'closed')::int as closed,
             count(*) filter (where status = 'settled')::int as settled,
             (select count(*)::int from public.polybot_trades where user_id = ${userId} and realized_pnl_usd is not null) as sales
        from public.polybot_positions where user_id = ${userId}`;
    const cookie = await sessionCookie(auth.url, auth.anonKey, email);

    const variants: [string, string, string][] = [
      ['/positions', '/positions', 'data-position-id'],
      ['/positions?mode=live', '/positions?mode=live', 'data-position-id'],
      ['/dashboard', '/dashboard', 'data-trade-id'],
      ['baseline GET /api/status', '/api/status', '"state"'],
    ];
    const get = async (p: string, expected: string): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`${stack.webUrl}${p}`, { headers: { cookie }, redirect: 'manual' });
      const body = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200 || !body.includes(expected))
        throw new Error(`GET ${p} → ${res.status}: ${body.slice(0, 300)}`);
      return ms;
    };
    for (const [, p, e] of variants) for (let i = 0; i < 10; i++) await get(p, e); // warm-up: JIT, route chunks, pool

    const buildId = readFileSync(path.join(WEB_DIR, '.next/BUILD_ID'), 'utf8').trim();
    console.log(
      `positions bench: the user has ${tradeN} trades (${mine?.sales} sales) and ${positionN} positions (${mine?.open} open, ` +
        `${mine?.closed} sold, ${mine?.settled} settled; ${settled} positions settled by settle_market across all users), ` +
        `${otherUsers} other users × ${OTHER_TRADES} trades, ${OTHER_POSITIONS} positions; build ${buildId}; ` +
        `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    );
    for (const [name, p, e] of variants) {
      const xs: number[] = [];
      for (let i = 0; i < requests; i++) xs.push(await get(p, e));
      console.log(`${name.padEnd(26)} ${fmt(xs)}`);
    }
    await timeReads(db.sql, userId, requests);
    if (process.env.BENCH_EXPLAIN === '1') await explain(db.sql, userId);
  } finally {
    await stack.stop();
  }
}

/** EXPLAIN ANALYZE of the realized buckets' and the positions' reads, as the user. */
async function explain(sql: Sql, userId: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
    // The reads' own statements are built by postgres.js inside packages/db; these are their core, as the user.
    for (const q of [
      `explain analyze select * from public.polybot_positions where user_id = (select auth.uid()) and status in ('open','closed')`,
      `explain analyze select date_trunc('day', coalesce(t.executed_at, t.created_at), 'UTC'), sum(t.realized_pnl_usd)
         from public.polybot_trades t
         left join public.polybot_positions p
           on p.user_id = t.user_id and p.platform = t.platform and p.instrument_id = t.instrument_id and p.mode = t.mode
        where t.user_id = (select auth.uid()) and coalesce(t.executed_at, t.created_at) >= now() - interval '90 days'
          and t.realized_pnl_usd is not null group by 1`,
      `explain analyze select * from public.polybot_settlements where user_id = (select auth.uid()) order by id desc limit 51`,
    ]) {
      const plan = await tx.unsafe(q);
      console.log(`\n${plan.map((r) => String(r['QUERY PLAN'])).join('\n')}`);
    }
  });
}

runMain(main);
