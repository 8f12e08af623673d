// Web dashboard server response time with a busy account. Run from the repo root:
//   npm run bench:dashboard -- [requests=200] [trades=10000] [otherUsers=499] [otherTrades=400]
// (= tsx --experimental-websocket bench/dashboard.bench.ts: supabase-js needs a global WebSocket, which Node 20 has
// only behind that flag.)
// A throwaway Postgres (all migrations), the local auth server, and the built app under `next start` (built first
// if apps/web/.next is missing; BENCH_BUILD=1 rebuilds). One user with `trades` trades spread over venues,
// strategies, modes and the days of this and last month, among `otherUsers` users with `otherTrades` each (a table
// shared by many tenants is what makes a missing index show). Signed in through the local auth server with
// @supabase/ssr's own cookie format, then `requests` sequential GETs per variant, timed to the end of the body.
// Then the dashboard's trade queries alone, run as the user (RLS applies): the query text and indexes before
// 20261125030000_dashboard_indexes.sql (indexes dropped inside a rolled-back transaction) against the current ones.
// BENCH_EXPLAIN=1 also prints EXPLAIN ANALYZE of both.
import type { createTestDatabase } from '@polybot/local-stack/postgres';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { WEB_DIR } from '@polybot/web/start';
import { runMain } from './run-main.ts';
import { fmt, sessionCookie, startBenchStack } from './web-session.ts';

const [requests = 200, tradeN = 10_000, otherUsers = 499, otherN = 400] = process.argv.slice(2).map(Number);

type Sql = Awaited<ReturnType<typeof createTestDatabase>>['sql'];

/**
 * `n` trades for the first user and `otherN` for each other: a mix of venues, strategies (arbitrage dominating, as
 * in practice), mostly paper, 80 % spread over this month's days so far and the rest over last month (which the
 * month's P&L must skip). Ids follow time across all users, as in production, so one user's trades are interleaved
 * with everyone else's.
 */
async function insertTrades(sql: Sql, userIds: string[], n: number, otherN: number): Promise<void> {
  await sql`
    insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, outcome, side, strategy, mode,
                                       order_type, status, limit_price, price, size, filled_size, fee, notional_usd, realized_pnl_usd,
                                       created_at, executed_at)
    select u.id, 'coid-' || u.k || '-' || lpad(g::text, 6, '0'),
           case when g % 5 < 3 then 'polymarket' else 'kalshi' end,
           'MKT-' || (g % 400), 'INS-' || (g % 800), case when g % 2 = 0 then 'Yes' else 'No' end,
           case when g % 7 = 0 then 'sell' else 'buy' end,
           (array['single_platform','single_platform','single_platform','cross_platform','cross_platform','overlapping','news','copy_trading','unwind'])[1 + g % 9],
           case when g % 10 < 8 then 'paper' else 'live' end,
           'FOK', case when g % 25 = 0 then 'rejected' else 'filled' end,
           0.45, 0.44, 10, case when g % 25 = 0 then 0 else 10 end, 0.02, 4.4,
           round(((((g + u.k) * 7919) % 200) - 90) / 100.0, 2),
           t.at_, t.at_
      from unnest(string_to_array(${userIds.join(',')}, ',')::uuid[]) with ordinality as u(id, k),
           lateral (select case when u.k = 1 then ${n}::int else ${otherN}::int end as cnt) c,
           lateral generate_series(1, c.cnt) g,
           lateral (select case when g % 5 = 0
                                then date_trunc('month', now()) - interval '1 month' + (g % 28) * interval '1 day'
                                else date_trunc('month', now())
                                     + ((g::bigint * 86400 * greatest(1, extract(day from now())::int - 1)) / c.cnt) * interval '1 second'
                           end + ((g * 37 + u.k * 11) % 3600) * interval '1 second' as at_) t
     order by t.at_`;
  await sql`update public.polybot_user_profiles set trades_this_month = ${Math.round(n * 0.8)} where id = ${userIds[0] ?? ''}`;
}

// The dashboard's trade reads as the app sends them (listOwnTrades in @polybot/db/user, pnlThisMonth in
// apps/web/src/lib/data.ts); UID is the user predicate, which changed from a bare auth.uid() to (select auth.uid()).
const TRADE_COLUMNS = `id, client_order_id, platform, market_id, instrument_id, outcome, side, strategy, mode, order_type, status,
  limit_price::float8, price::float8, size::float8, filled_size::float8, fee::float8, notional_usd::float8,
  realized_pnl_usd::float8, created_at, executed_at`;
function dashboardQueries(beforeId: number): [string, string][] {
  const list = (extra: string) =>
    `select ${TRADE_COLUMNS} from public.polybot_trades where user_id = UID ${extra} order by id desc limit 26`;
  return [
    ['trades page 1', list('')],
    ['trades kalshi+live', list(`and platform = 'kalshi' and mode = 'live'`)],
    ['trades strategy=news', list(`and strategy = 'news'`)],
    ['trades older page', list(`and id < ${beforeId}`)],
    [
      'P&L this month',
      `select date_trunc('day', coalesce(executed_at, created_at), 'UTC') as day, coalesce(sum(realized_pnl_usd), 0)::float8 as pnl,
              count(*)::int as trades
         from public.polybot_trades where user_id = UID and coalesce(executed_at, created_at) >= date_trunc('month', now(), 'UTC')
        group by 1 order by 1`,
    ],
  ];
}

const NEW_INDEXES = ['polybot_trades_user_id_desc_idx', 'polybot_trades_user_booked_at_idx'];

/** Each query `n` times as the user; `before` = the old predicate with this change's indexes dropped (rolled back). */
async function timeQueries(
  sql: Sql,
  userId: string,
  beforeId: number,
  n: number,
  before: boolean,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const rollback = new Error('rollback');
  await sql
    .begin(async (tx) => {
      if (before) for (const ix of NEW_INDEXES) await tx.unsafe(`drop index if exists public.${ix}`);
      await tx`set local role authenticated`;
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
      for (const [name, q] of dashboardQueries(beforeId)) {
        const text = q.replace('UID', before ? 'auth.uid()' : '(select auth.uid())');
        const xs: number[] = [];
        for (let i = 0; i < n + 10; i++) {
          const t0 = performance.now();
          await tx.unsafe(text);
          if (i >= 10) xs.push(performance.now() - t0);
        }
        out.set(name, xs);
        if (process.env.BENCH_EXPLAIN === '1') {
          const plan = await tx.unsafe(`explain (analyze, buffers off) ${text}`);
          console.log(
            `\n-- ${name} (${before ? 'before' : 'after'})\n${plan.map((r) => String(r['QUERY PLAN'])).join('\n')}`,
          );
        }
      }
      throw rollback;
    })
    .catch((e: unknown) => {
      if (e !== rollback) throw e;
    });
  return out;
}

async function main(): Promise<void> {
  const stack = await startBenchStack(otherUsers);
  const { db, auth, userId, email, others } = stack;
  try {
    await insertTrades(db.sql, [userId, ...others], tradeN, otherN);
    // As autovacuum would have by now: statistics, and the visibility map index-only scans rely on.
    await db.sql`vacuum analyze public.polybot_trades`;
    const ids = await db.sql<
      { id: string }[]
    >`select id from public.polybot_trades where user_id = ${userId} order by id desc offset ${Math.floor(tradeN / 2)} limit 1`;
    const mid = Number(ids[0]?.id);
    const cookie = await sessionCookie(auth.url, auth.anonKey, email);

    const variants: [string, string][] = [
      ['/dashboard', '/dashboard'],
      ['filtered (kalshi, live)', '/dashboard?platform=kalshi&mode=live'],
      ['filtered (strategy news)', '/dashboard?strategy=news'],
      ['older page (before=mid)', `/dashboard?before=${mid}`],
    ];
    // The last variant is the floor every signed-in request pays: proxy session check, getClaims, three small reads.
    variants.push(['baseline GET /api/status', '/api/status']);
    const get = async (p: string): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`${stack.webUrl}${p}`, { headers: { cookie }, redirect: 'manual' });
      const body = await res.text();
      const ms = performance.now() - t0;
      const expected = p.startsWith('/api/') ? '"state"' : 'data-trade-id';
      if (res.status !== 200 || !body.includes(expected))
        throw new Error(`GET ${p} → ${res.status}: ${body.slice(0, 200)}`);
      return ms;
    };
    for (const [, p] of variants) for (let i = 0; i < 20; i++) await get(p); // warm-up: JIT, route chunks, pool

    const buildId = readFileSync(path.join(WEB_DIR, '.next/BUILD_ID'), 'utf8').trim();
    console.log(
      `dashboard bench: ${tradeN} trades for the user, ${otherUsers} other users × ${otherN}; build ${buildId}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    );
    for (const [name, p] of variants) {
      const xs: number[] = [];
      for (let i = 0; i < requests; i++) xs.push(await get(p));
      console.log(`${name.padEnd(26)} ${fmt(xs)}`);
    }
    const before = await timeQueries(db.sql, userId, mid, requests, true);
    const after = await timeQueries(db.sql, userId, mid, requests, false);
    console.log('\nqueries alone, as the user (before → after this change):');
    for (const [name, xs] of before) console.log(`${name.padEnd(26)} ${fmt(xs)}  →  ${fmt(after.get(name) ?? [])}`);
  } finally {
    await stack.stop();
  }
}

runMain(main);
