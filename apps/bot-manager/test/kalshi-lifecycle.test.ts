// Kalshi market lifecycle end to end: a market listed at run time is traded (a paper user and a live one, orders
// really sent to the simulated venue with the live user's key); once the venue closes and determines it, the
// manager settles every position (yes/no from `result`, a void paid back at cost), the live user's runner reads the
// venue's settlements with the user's own key and the venue's payout is recorded beside ours; no order goes to a
// closed market.
import { expect, test } from 'vitest';
import { createUser, registerKalshiKey, statusOf, until } from './harness.ts';
import {
  kalshiStatement,
  listKalshiArbEvent,
  resolveKalshiMarket,
  startQuietBothSim,
  tradesIn,
} from './market-lifecycle-world.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack({ sim: startQuietBothSim });

const KALSHI_ONLY = { enable_polymarket: false, enable_kalshi: true, max_open_positions: 20, max_trade_size_usd: 50 };

interface SettlementRow {
  user_id: string;
  instrument_id: string;
  mode: string;
  rule: string;
  payout_per_contract: number;
  payout_usd: number;
  size: number;
  cost_basis_usd: number;
  venue_payout_usd: number | null;
  venue_reference: string | null;
}

const settlementsOf = (ticker: string): Promise<SettlementRow[]> =>
  stack.db.sql<SettlementRow[]>`
    select user_id, instrument_id, mode, rule, payout_per_contract::float8 as payout_per_contract,
           payout_usd::float8 as payout_usd, size::float8 as size, cost_basis_usd::float8 as cost_basis_usd,
           venue_payout_usd::float8 as venue_payout_usd, venue_reference
      from public.polybot_settlements where market_id = ${ticker} order by id`;

test('Kalshi: listed → traded (paper and live) → closed, determined → settled once; live reconciled with the venue; a void paid back', async () => {
  const paper = await createUser(stack.db, { config: KALSHI_ONLY });
  const key = await registerKalshiKey(stack.sim.origin);
  const live = await createUser(stack.db, {
    config: { ...KALSHI_ONLY, dry_run: false },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
  });
  await stack.db.sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: live.id, role: 'authenticated' })}, true)`;
    await tx`select public.save_user_secret('kalshi', false, ${key.keyId}, null, ${key.privatePem}, '{}'::jsonb)`;
  });
  const mgr = await stack.manager('k1', { marketRefreshMs: 300, kalshiMarketData: { pollIntervalMs: 200 } });
  await until(
    async () => {
      const s = await statusOf(stack.db.sql, live.id);
      return s.state === 'running' && s.mode === 'live';
    },
    'live runner running in live mode',
    60_000,
  );

  const [won, lost] = await listKalshiArbEvent(stack.sim, 'won');
  for (const u of [paper, live])
    for (const t of [won, lost])
      await until(async () => (await tradesIn(stack.db.sql, u.id, t)).length >= 1, `${u.id} traded ${t}`, 60_000);
  const liveFills = async (): Promise<number> =>
    (await kalshiStatement(stack.sim, key.keyId)).fills.filter((f) => f.ticker === won || f.ticker === lost).length;
  const filledBefore = await liveFills();
  expect(filledBefore).toBeGreaterThanOrEqual(2);

  await resolveKalshiMarket(stack.sim, won, 'yes');
  await resolveKalshiMarket(stack.sim, lost, 'no');
  const rows = await until(
    async () => {
      const r = [...(await settlementsOf(won)), ...(await settlementsOf(lost))];
      return r.length === 4 ? r : null;
    },
    'four positions settled (YES of each market, both users)',
    60_000,
  );
  for (const r of rows) {
    expect(r.rule).toBe(r.instrument_id.startsWith(won) ? 'won' : 'lost');
    expect(r.payout_per_contract).toBe(r.instrument_id.startsWith(won) ? 1 : 0);
  }
  // The live runner read the venue's settlements with the user's key: the venue's payout sits beside ours.
  const reconciled = await until(
    async () => {
      const r = rows.length === 4 ? [...(await settlementsOf(won)), ...(await settlementsOf(lost))] : [];
      const mine = r.filter((x) => x.user_id === live.id);
      return mine.length === 2 && mine.every((x) => x.venue_reference !== null) ? mine : null;
    },
    'live settlements reconciled',
    60_000,
  );
  const venue = (await kalshiStatement(stack.sim, key.keyId)).settlements.filter(
    (s) => s.ticker === won || s.ticker === lost,
  );
  expect(venue).toHaveLength(2);
  const venuePaid = venue.reduce((s, v) => s + v.revenue, 0) / 100;
  expect(reconciled.reduce((s, r) => s + (r.venue_payout_usd ?? 0), 0)).toBeCloseTo(venuePaid, 6);
  expect(reconciled.reduce((s, r) => s + r.payout_usd, 0)).toBeCloseTo(venuePaid, 6);
  // Nothing was sent to the closed markets: the venue saw no more orders than before the close.
  expect(await liveFills()).toBe(filledBefore);

  // A runner that stopped before reconciling: its next start picks the unreconciled settlements up (init).
  await stack.db.sql`
    update public.polybot_settlements set venue_payout_usd = null, venue_reference = null, reconciled_at = null
     where user_id = ${live.id}`;
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${live.id}`;
  const runnerOf = (): number | undefined => mgr.manager.runners().find((r) => r.userId === live.id)?.pid;
  const oldPid = runnerOf();
  await until(() => runnerOf() === undefined, 'live runner stopped', 60_000);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${live.id}`;
  const again = await until(
    async () => {
      const mine = [...(await settlementsOf(won)), ...(await settlementsOf(lost))].filter((x) => x.user_id === live.id);
      return mine.every((x) => x.venue_reference !== null) ? mine : null;
    },
    'reconciled again by the restarted runner',
    60_000,
  );
  expect(again.reduce((s, r) => s + (r.venue_payout_usd ?? 0), 0)).toBeCloseTo(venuePaid, 6);
  expect(runnerOf()).not.toBe(oldPid);

  const [voided] = await listKalshiArbEvent(stack.sim, 'void');
  await until(async () => (await tradesIn(stack.db.sql, paper.id, voided)).length >= 1, 'traded the void one', 60_000);
  await resolveKalshiMarket(stack.sim, voided, 'void');
  const v = await until(
    async () => {
      const r = (await settlementsOf(voided)).filter((x) => x.user_id === paper.id);
      return r.length === 1 ? r : null;
    },
    'voided market settled',
    60_000,
  );
  for (const r of v) {
    expect(r.rule).toBe('voided');
    // Money back at the average entry price per contract (fees lost).
    expect(r.payout_per_contract).toBe(0.45);
    expect(r.payout_usd).toBeCloseTo(r.size * 0.45, 6);
    expect(r.payout_usd).toBeLessThan(r.cost_basis_usd);
  }
});
