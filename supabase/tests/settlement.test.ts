// Settlement (public.settle_market through @polybot/db settleMarket): the rule for winners, losers, 50-50 and voided
// markets; one settlement per position whatever is replayed; an interrupted settlement leaves nothing and its retry
// settles once; a conflicting resolution is refused; only the platform may call it; live follow-ups.
import {
  applyFillToPosition,
  listRedeemable,
  markRedeemed,
  readResolution,
  recordTrade,
  recordVenueSettlement,
  ResolutionConflictError,
  settleMarket,
  type PositionFill,
} from '@polybot/db/service';
import { eventually } from '@polybot/local-stack/testing';
import type { MarketResolution, TradingMode, VenueId } from '@polybot/schemas';
import postgres, { type TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let alice: string;
let bob: string;
beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createAuthUser(db, 'settle-alice@example.test');
  bob = await createAuthUser(db, 'settle-bob@example.test');
});
afterAll(async () => db?.stop());

let orderSeq = 0;
/** Books a fill the way the manager does (trade row, then the position in the same transaction). */
async function book(
  userId: string,
  f: Omit<PositionFill, 'outcome' | 'marketTitle'> & { outcome?: string | null },
): Promise<void> {
  await db.sql.begin(async (tx) => {
    const t = await recordTrade(tx, {
      userId,
      clientOrderId: `settle-coid-${++orderSeq}`.padEnd(8, '0'),
      venueOrderId: null,
      platform: f.platform,
      marketId: f.marketId,
      instrumentId: f.instrumentId,
      outcome: f.outcome ?? null,
      side: f.side,
      strategy: f.strategy ?? 'news',
      mode: f.mode,
      orderType: 'FOK',
      status: 'filled',
      limitPrice: f.price ?? 0.5,
      price: f.price,
      size: f.filledSize,
      filledSize: f.filledSize,
      fee: f.fee,
      opportunityId: null,
      legGroupId: f.legGroupId ?? null,
      rejectReason: null,
    });
    await applyFillToPosition(tx, userId, { ...f, outcome: f.outcome ?? null, tradeId: t.id });
  });
}

const buy = (
  marketId: string,
  instrumentId: string,
  size: number,
  price: number,
  fee = 0,
  mode: TradingMode = 'paper',
  platform: VenueId = 'polymarket',
) => ({ platform, marketId, instrumentId, mode, side: 'buy', filledSize: size, price, fee }) as const;

const resolution = (marketId: string, over: Partial<MarketResolution> = {}): MarketResolution => ({
  platform: 'polymarket',
  marketId,
  status: 'resolved',
  payouts: { [`${marketId}-yes`]: 1, [`${marketId}-no`]: 0 },
  winningOutcome: 'Yes',
  resolvedAt: new Date('2026-12-05T12:00:00Z'),
  source: 'venue',
  ...over,
});

async function settlementsOf(marketId: string) {
  return db.sql`
    select user_id, instrument_id, mode, size::float8 as size, cost_basis_usd::float8 as cost,
           payout_per_contract::float8 as payout, payout_usd::float8 as payout_usd,
           realized_pnl_usd::float8 as realized, rule, redeem_status
      from public.polybot_settlements where market_id = ${marketId} order by user_id, instrument_id, mode`;
}
async function positionsOf(marketId: string) {
  return db.sql`
    select user_id, instrument_id, status, close_reason, realized_pnl_usd::float8 as realized, mark_price::float8 as mark
      from public.polybot_positions where market_id = ${marketId} order by user_id, instrument_id, mode`;
}
const asService = <T>(fn: (tx: TransactionSql) => Promise<T>) =>
  db.sql.begin(async (tx) => {
    await tx`set local role service_role`;
    return fn(tx);
  }) as Promise<T>;

describe('settle_market', () => {
  it('pays winners 1 and losers 0 per contract, for every user, once', async () => {
    await book(alice, buy('w1', 'w1-yes', 10, 0.4, 0.1));
    await book(alice, buy('w1', 'w1-no', 4, 0.55));
    await book(bob, buy('w1', 'w1-no', 20, 0.5, 0.2));
    const settled = await asService((tx) => settleMarket(tx, resolution('w1')));
    expect(settled.map((s) => [s.userId === alice ? 'alice' : 'bob', s.instrumentId, s.realizedPnlUsd]).sort()).toEqual(
      [
        ['alice', 'w1-no', -2.2],
        ['alice', 'w1-yes', 5.9],
        ['bob', 'w1-no', -10.2],
      ],
    );
    const rows = await settlementsOf('w1');
    expect(rows.map((r) => [r.instrument_id, r.payout, r.payout_usd, r.rule, r.redeem_status])).toEqual(
      expect.arrayContaining([
        ['w1-yes', 1, 10, 'won', 'not_applicable'],
        ['w1-no', 0, 0, 'lost', 'not_applicable'],
      ]),
    );
    expect((await positionsOf('w1')).every((p) => p.status === 'settled' && p.close_reason === 'settled')).toBe(true);
    // The realized P&L the dashboard sums: sales (none here) + settlements.
    expect(await readResolution(db.sql, 'polymarket', 'w1')).toMatchObject({
      status: 'resolved',
      winningOutcome: 'Yes',
    });
  });

  it('a replay settles nothing twice and changes nothing', async () => {
    const before = [await settlementsOf('w1'), await positionsOf('w1')];
    expect(await asService((tx) => settleMarket(tx, resolution('w1')))).toEqual([]);
    // Even many replays racing each other.
    const again = await Promise.all([1, 2, 3].map(() => asService((tx) => settleMarket(tx, resolution('w1')))));
    expect(again.flat()).toEqual([]);
    expect([await settlementsOf('w1'), await positionsOf('w1')]).toEqual(before);
  });

  it('concurrent first settlements of one market settle each position once', async () => {
    await book(alice, buy('c1', 'c1-yes', 5, 0.5));
    await book(bob, buy('c1', 'c1-yes', 5, 0.5));
    const clients = [1, 2, 3, 4].map(() => postgres(db.url, { max: 1, onnotice: () => undefined }));
    try {
      const results = await Promise.all(
        clients.map((c) =>
          c.begin(async (tx) => (await tx`set local role service_role`, settleMarket(tx, resolution('c1')))),
        ),
      );
      expect(results.flat()).toHaveLength(2);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await settlementsOf('c1')).toHaveLength(2);
  });

  it('refuses a resolution that conflicts with the recorded one, and changes nothing', async () => {
    const before = [await settlementsOf('w1'), await positionsOf('w1')];
    const flipped = resolution('w1', { payouts: { 'w1-yes': 0, 'w1-no': 1 }, winningOutcome: 'No' });
    await expect(asService((tx) => settleMarket(tx, flipped))).rejects.toBeInstanceOf(ResolutionConflictError);
    await expect(
      asService((tx) => settleMarket(tx, resolution('w1', { status: 'voided', payouts: {} }))),
    ).rejects.toBeInstanceOf(ResolutionConflictError);
    expect([await settlementsOf('w1'), await positionsOf('w1')]).toEqual(before);
    expect((await readResolution(db.sql, 'polymarket', 'w1'))?.payouts).toEqual({ 'w1-yes': 1, 'w1-no': 0 });
  });

  it('a 50-50 market pays 0.5 per contract on each side (rule split)', async () => {
    await book(alice, buy('h1', 'h1-yes', 10, 0.3, 0.05));
    await book(alice, buy('h1', 'h1-no', 10, 0.6));
    await asService((tx) =>
      settleMarket(tx, resolution('h1', { payouts: { 'h1-yes': 0.5, 'h1-no': 0.5 }, winningOutcome: null })),
    );
    expect((await settlementsOf('h1')).map((r) => [r.instrument_id, r.payout, r.realized, r.rule])).toEqual([
      ['h1-no', 0.5, -1, 'split'],
      ['h1-yes', 0.5, 1.95, 'split'],
    ]);
  });

  it('a voided market pays back the average entry price per contract: money back, fees lost', async () => {
    await book(bob, buy('KXV', 'KXV:yes', 10, 0.4, 0.07, 'paper', 'kalshi'));
    await book(bob, buy('KXV', 'KXV:yes', 10, 0.6, 0.07, 'paper', 'kalshi'));
    await asService((tx) =>
      settleMarket(tx, resolution('KXV', { platform: 'kalshi', status: 'voided', payouts: {}, winningOutcome: null })),
    );
    expect((await settlementsOf('KXV')).map((r) => [r.payout, r.payout_usd, r.realized, r.rule])).toEqual([
      [0.5, 10, -0.14, 'voided'],
    ]);
  });

  it('refuses payouts that do not name a held instrument, settling nothing', async () => {
    await book(alice, buy('n1', 'n1-yes', 1, 0.5));
    await expect(asService((tx) => settleMarket(tx, resolution('n1', { payouts: { 'n1-no': 1 } })))).rejects.toThrow(
      /n1-yes/,
    );
    expect(await readResolution(db.sql, 'polymarket', 'n1')).toBeNull();
    expect((await positionsOf('n1')).map((p) => p.status)).toEqual(['open']);
  });

  it('a rolled-back settlement settles nothing; the retry settles once', async () => {
    await book(alice, buy('r1', 'r1-yes', 3, 0.5));
    const rollback = new Error('rollback');
    await expect(
      asService(async (tx) => {
        expect(await settleMarket(tx, resolution('r1'))).toHaveLength(1);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await readResolution(db.sql, 'polymarket', 'r1')).toBeNull();
    expect(await settlementsOf('r1')).toEqual([]);
    expect(await asService((tx) => settleMarket(tx, resolution('r1')))).toHaveLength(1);
    expect(await asService((tx) => settleMarket(tx, resolution('r1')))).toEqual([]);
  });

  it('a backend terminated mid-settlement settles nothing; the retry settles once', async () => {
    await book(alice, buy('k1', 'k1-yes', 3, 0.5));
    await book(bob, buy('k1', 'k1-yes', 4, 0.5));
    // Hold bob's position so the settlement stops half-way through its statement, then kill its backend.
    const holder = postgres(db.url, { max: 1, onnotice: () => undefined });
    const settler = postgres(db.url, { max: 1, onnotice: () => undefined });
    try {
      const [{ pid }] = (await settler`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
      let release!: () => void;
      let locked!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const isLocked = new Promise<void>((r) => (locked = r));
      const held = holder.begin(async (tx) => {
        await tx`select id from public.polybot_positions where user_id = ${bob} and market_id = 'k1' for update`;
        locked();
        await released;
      });
      await isLocked;
      // One statement: the function's work is one transaction whether or not the caller opened one.
      await settler`set role service_role`;
      const settling = settleMarket(settler, resolution('k1'));
      const outcome = settling.then(
        () => 'settled',
        () => 'failed',
      );
      await eventually(async () => {
        const [row] = await db.sql`select wait_event_type from pg_stat_activity where pid = ${pid}`;
        expect(row?.wait_event_type).toBe('Lock');
      });
      const [killed] = await db.sql`select pg_terminate_backend(${pid}) as ok`;
      expect(killed?.ok).toBe(true);
      expect(await outcome).toBe('failed');
      release();
      await held;
    } finally {
      await holder.end();
      await settler.end({ timeout: 0 }); // its backend is gone: nothing would answer a graceful end
    }
    expect(await readResolution(db.sql, 'polymarket', 'k1')).toBeNull();
    expect(await settlementsOf('k1')).toEqual([]);
    expect((await positionsOf('k1')).map((p) => p.status)).toEqual(['open', 'open']);
    expect(await asService((tx) => settleMarket(tx, resolution('k1')))).toHaveLength(2);
    expect(await asService((tx) => settleMarket(tx, resolution('k1')))).toEqual([]);
    expect(await settlementsOf('k1')).toHaveLength(2);
  });
});

describe('live follow-ups', () => {
  it('live Polymarket winnings are redeemable until the redemption is recorded', async () => {
    await book(alice, buy('L1', 'L1-yes', 10, 0.4, 0, 'live'));
    await book(alice, buy('L1', 'L1-no', 10, 0.5, 0, 'live'));
    await asService((tx) => settleMarket(tx, resolution('L1')));
    expect((await settlementsOf('L1')).map((r) => [r.instrument_id, r.redeem_status])).toEqual([
      ['L1-no', 'not_applicable'],
      ['L1-yes', 'redeemable'],
    ]);
    expect(await asService((tx) => listRedeemable(tx, alice))).toEqual([
      { userId: alice, platform: 'polymarket', marketId: 'L1', payoutUsd: 10 },
    ]);
    await asService((tx) =>
      markRedeemed(tx, alice, { platform: 'polymarket', marketId: 'L1', venuePayoutUsd: 10, venueReference: '0xabc' }),
    );
    expect(await asService((tx) => listRedeemable(tx, alice))).toEqual([]);
  });

  it('live Kalshi settlements take the venue payout and reference; a mismatch is reported', async () => {
    await book(bob, buy('KXL', 'KXL:yes', 10, 0.4, 0.1, 'live', 'kalshi'));
    await asService((tx) =>
      settleMarket(tx, resolution('KXL', { platform: 'kalshi', payouts: { 'KXL:yes': 1, 'KXL:no': 0 } })),
    );
    const r = await asService((tx) =>
      recordVenueSettlement(tx, bob, {
        platform: 'kalshi',
        marketId: 'KXL',
        venuePayoutUsd: 10,
        venueReference: 'KXL@2026-12-05',
      }),
    );
    expect(r).toEqual({ updated: 1, differenceUsd: 0 });
    const [row] = await db.sql`select venue_payout_usd::float8 as v, venue_reference, reconciled_at is not null as done
                                 from public.polybot_settlements where market_id = 'KXL'`;
    expect(row).toEqual({ v: 10, venue_reference: 'KXL@2026-12-05', done: true });
  });
});

describe('who may call settle_market', () => {
  const call = (tx: TransactionSql) =>
    tx`select * from public.settle_market('polymarket', 'g1', 'resolved', '{"g1-yes": 1}'::jsonb, 'Yes', now(), 'venue')`;
  it('service_role may', async () => {
    expect((await attempt(db.sql, { role: 'service_role' }, call)).outcome.ok).toBe(true);
  });
  it('anon may not', async () => {
    const { outcome } = await attempt(db.sql, { role: 'anon' }, call);
    expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
  });
  it('authenticated may not', async () => {
    const { outcome } = await attempt(db.sql, { role: 'authenticated', userId: alice }, call);
    expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
  });
});
