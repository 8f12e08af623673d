// Fenced writes (migration 20261208000110_fenced_writes.sql): a manager whose lease expired and whose shard another
// manager took over — a stale owner — has every write for that shard's users refused BY THE DATABASE (PBF01), for
// each fenced table and the trade reservations; a manager login writing without a token is refused (PBF02); the
// current owner writes; market-level work (settling, marks, link proposals, key checks) works for any user.
// Every manager here is the real manager login with its fence bound through bindManagerFence, as the manager does.
import { createDb, type Db } from '@polybot/db';
import {
  acquireShards,
  applyFillToPosition,
  asManager,
  bindManagerFence,
  isStaleOwnerError,
  joinManager,
  lockSecretAtStamp,
  listPendingSecretStamps,
  markIntentsSent,
  markRedeemable,
  recordIntents,
  recordTrade,
  recordVenueSettlement,
  releaseUserTrades,
  reserveUserTrades,
  setSecretValidation,
  settleMarket,
  updateBotStatus,
  upsertMarketLinkProposals,
  writeBotHeartbeat,
  writeMarks,
  type TradeRecord,
} from '@polybot/db/service';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import { eventually } from '@polybot/local-stack/testing';
import type { OrderIntent, TradingMode } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createAuthUser, createTestDatabase, saveSecret, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
/** The stale owner: its lease expired and the owner below took its shard. */
let stale: Db;
let staleToken: string | null = null;
/** The current owner of alice's and bob's shards. */
let owner: Db;
let ownerToken: string | null = null;
/** A third manager with a live lease that owns neither user's shard (market-level work). */
let third: Db;
let thirdToken: string | null = null;
/** The manager login with no fence bound at all. */
let plain: Db;
let alice: string;
let bob: string;

let seq = 0;
function trade(userId: string, over: Partial<TradeRecord> = {}): TradeRecord {
  return {
    userId,
    clientOrderId: `fence-coid-${++seq}`.padEnd(12, '0'),
    venueOrderId: null,
    platform: 'kalshi',
    marketId: 'FENCE-MKT',
    instrumentId: 'FENCE-MKT-yes',
    outcome: 'yes',
    side: 'buy',
    strategy: 'single_platform',
    mode: 'paper',
    orderType: 'FOK',
    status: 'filled',
    limitPrice: 0.4,
    price: 0.4,
    size: 10,
    filledSize: 10,
    fee: 0,
    opportunityId: null,
    legGroupId: `fence-group-${seq}`,
    rejectReason: null,
    ...over,
  };
}

function intent(id: string): OrderIntent {
  return {
    clientOrderId: id.padEnd(12, '0'),
    venue: 'kalshi',
    venueOrderId: null,
    instrumentId: 'FENCE-MKT-yes',
    marketId: 'FENCE-MKT',
    outcome: 'yes',
    side: 'buy',
    size: 5,
    limitPrice: 0.4,
    orderType: 'FOK',
    legGroupId: `group-${id}`,
    strategy: 'single_platform',
    mode: 'paper',
  };
}

/** Books a fill as the manager does: trade and position in one transaction. */
async function book(sql: Db, userId: string, marketId: string, mode: TradingMode): Promise<void> {
  await asManager(sql, async (tx) => {
    const t = trade(userId, { marketId, instrumentId: `${marketId}-yes`, mode });
    const r = await recordTrade(tx, t);
    await applyFillToPosition(tx, userId, { ...t, tradeId: r.id });
  });
}

/** The SQLSTATE a promise fails with, or 'ok'. */
async function shardOf(userId: string): Promise<number> {
  const [row] = await db.sql<{ s: number }[]>`select public.user_shard(${userId}) as s`;
  if (row === undefined) throw new Error('no shard');
  return row.s;
}

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createAuthUser(db, 'fence-alice@example.test');
  bob = await createAuthUser(db, 'fence-bob@example.test');
  // alice and bob in different shards, so "owns alice" and "owns bob" can differ.
  for (let i = 0; (await shardOf(bob)) === (await shardOf(alice)); i++) {
    bob = await createAuthUser(db, `fence-bob-${i}@example.test`);
  }
  const url = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' });
  [stale, owner, third, plain] = [1, 2, 3, 4].map(() => createDb(url, { max: 1 })) as [Db, Db, Db, Db];
  bindManagerFence(stale, () => staleToken);
  bindManagerFence(owner, () => ownerToken);
  bindManagerFence(third, () => thirdToken);

  // The stale owner held alice's and bob's shards with a short lease, which ran out (it froze, say)...
  const s = await joinManager(stale, 'fence-stale', 200);
  staleToken = s.token;
  expect(await acquireShards(stale, s.token, [await shardOf(alice), await shardOf(bob)])).toHaveLength(2);
  await eventually(async () => {
    const [row] = await db.sql<{ expired: boolean }[]>`select clock_timestamp() >= ${s.expiresAt} as expired`;
    expect(row?.expired).toBe(true);
  });
  // ...and the new owner took them over.
  const o = await joinManager(owner, 'fence-owner', 600_000);
  ownerToken = o.token;
  expect(await acquireShards(owner, o.token, [await shardOf(alice), await shardOf(bob)])).toHaveLength(2);
  thirdToken = (await joinManager(third, 'fence-third', 600_000)).token;

  // What alice has, written by her owner: a status row, a trade, an intent, a settled live Kalshi position.
  await asManager(owner, (tx) =>
    updateBotStatus(tx, alice, { state: 'running', mode: 'paper', managerId: 'fence-owner' }),
  );
  await book(owner, alice, 'FENCE-MKT', 'paper');
  await recordIntents(owner, alice, [intent('fence-intent-1')]);
  await book(owner, alice, 'FENCE-SETTLED', 'live');
  await asManager(owner, (tx) =>
    settleMarket(tx, {
      platform: 'kalshi',
      marketId: 'FENCE-SETTLED',
      status: 'resolved',
      payouts: { 'FENCE-SETTLED-yes': 1 },
      winningOutcome: 'yes',
      resolvedAt: new Date(),
      source: 'venue',
    }),
  );
});
afterAll(async () => {
  for (const sql of [stale, owner, third, plain]) await sql?.end({ timeout: 5 });
  await db?.stop();
});

const insertTrade = (sql: Db, u: string): Promise<unknown> => asManager(sql, (tx) => recordTrade(tx, trade(u)));

/** Every fenced write the manager makes for one user, by name. */
const WRITES: Record<string, (sql: Db, userId: string) => Promise<unknown>> = {
  'bot status insert (upsert)': (sql, u) => asManager(sql, (tx) => updateBotStatus(tx, u, { state: 'running' })),
  'bot status update (heartbeat)': (sql, u) =>
    asManager(sql, (tx) =>
      writeBotHeartbeat(tx, u, {
        state: 'running',
        mode: 'paper',
        pid: 1,
        managerId: 'fence',
        configVersion: 1,
        lastError: null,
        errorCode: null,
        haltedUntil: null,
        haltReason: null,
        haltCode: null,
        stats: {
          pnl_today_usd: 0,
          open_positions: 0,
          trades_placed: 0,
          opportunities_seen: 0,
          mode_reason: 'paper',
          decision_p99_ms: null,
          recent_opportunities: [],
          ignored_news_rules: [],
        },
      }),
    ),
  'trade insert': insertTrade,
  'trade update': (sql, u) =>
    asManager(
      sql,
      (tx: TransactionSql) => tx`update public.polybot_trades set reject_reason = null where user_id = ${u}`,
    ),
  'order intent insert': (sql, u) => recordIntents(sql, u, [intent(`fence-new-${++seq}`)]),
  'order intent update': (sql, u) => asManager(sql, (tx) => markIntentsSent(tx, u, ['fence-intent-1'.padEnd(12, '0')])),
  'settlement update (venue reconciliation)': (sql, u) =>
    asManager(sql, (tx) =>
      recordVenueSettlement(tx, u, {
        platform: 'kalshi',
        marketId: 'FENCE-SETTLED',
        venuePayoutUsd: 10,
        venueReference: 'fence-ref',
      }),
    ),
  'trade reservation (increment_user_trades)': (sql, u) => asManager(sql, (tx) => reserveUserTrades(tx, u, 1)),
  'reservation release (release_user_trades)': (sql, u) => asManager(sql, (tx) => releaseUserTrades(tx, u, 1)),
};

describe('a stale owner is refused by the database', () => {
  for (const [name, write] of Object.entries(WRITES)) {
    it(`${name}: PBF01 for the stale token, and nothing changes`, async () => {
      const before = await snapshot(alice);
      let error: unknown;
      try {
        await write(stale, alice);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'PBF01' });
      expect(isStaleOwnerError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^stale owner: fencing token \d+ does not own user .* fence-owner/);
      expect(await snapshot(alice)).toEqual(before);
    });
  }

  it('an expired lease is stale even while nobody has taken its shard yet', async () => {
    let mine: string | null = null;
    const lonely = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' }), { max: 1 });
    try {
      bindManagerFence(lonely, () => mine);
      const lease = await joinManager(lonely, 'fence-lonely', 200);
      mine = lease.token;
      // A user in a shard nobody else wants.
      let carol = await createAuthUser(db, 'fence-carol@example.test');
      const taken = new Set([await shardOf(alice), await shardOf(bob)]);
      for (let i = 0; taken.has(await shardOf(carol)); i++) {
        carol = await createAuthUser(db, `fence-carol-${i}@example.test`);
      }
      await acquireShards(lonely, lease.token, [await shardOf(carol)]);
      await eventually(async () => {
        const [row] = await db.sql<{ expired: boolean }[]>`select clock_timestamp() >= ${lease.expiresAt} as expired`;
        expect(row?.expired).toBe(true);
      });
      expect(await codeOf(insertTrade(lonely, carol))).toBe('PBF01');
    } finally {
      await lonely.end({ timeout: 5 });
    }
  });
});

describe('the current owner writes', () => {
  for (const [name, write] of Object.entries(WRITES)) {
    it(`${name}: allowed for the owner's token`, async () => {
      expect(await codeOf(write(owner, alice))).toBe('ok');
    });
  }

  it('but not for a user whose shard it does not own', async () => {
    expect(await codeOf(insertTrade(third, alice))).toBe('PBF01');
  });
});

describe('without a token', () => {
  it('the manager login is refused (PBF02): no fence bound, or a bound fence that holds no lease', async () => {
    expect(await codeOf(updateBotStatus(plain, alice, { state: 'running' }))).toBe('PBF02');
    expect(await codeOf(asManager(plain, (tx) => recordTrade(tx, trade(alice))))).toBe('PBF02');
    expect(await codeOf(reserveUserTrades(plain, alice, 1))).toBe('PBF02');
    const saved = ownerToken;
    ownerToken = null;
    try {
      const error = await insertTrade(owner, alice).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'PBF02' });
      expect(isStaleOwnerError(error)).toBe(true);
    } finally {
      ownerToken = saved;
    }
  });

  it('admins and migrations (not the manager login) are not fenced', async () => {
    await db.sql`update public.polybot_bot_status set last_error = null where user_id = ${alice}`;
    expect(await codeOf(recordTrade(db.sql, trade(alice)))).toBe('ok');
  });
});

describe('market-level work is not fenced', () => {
  it('settle_market, redeemable marking, marks, link proposals and key checks work for a user of another manager', async () => {
    // bob's position is his owner's; the third manager settles his market.
    await book(owner, bob, 'FENCE-BOB', 'live');
    const settled = await asManager(third, (tx) =>
      settleMarket(tx, {
        platform: 'kalshi',
        marketId: 'FENCE-BOB',
        status: 'resolved',
        payouts: { 'FENCE-BOB-yes': 1 },
        winningOutcome: 'yes',
        resolvedAt: new Date(),
        source: 'venue',
      }),
    );
    expect(settled).toMatchObject([{ userId: bob, instrumentId: 'FENCE-BOB-yes' }]);
    expect(await asManager(third, (tx) => markRedeemable(tx, bob, 'kalshi', 'FENCE-BOB'))).toBe(1);
    // ...but bob's venue reconciliation is his owner's.
    expect(
      await codeOf(
        asManager(third, (tx) =>
          recordVenueSettlement(tx, bob, {
            platform: 'kalshi',
            marketId: 'FENCE-BOB',
            venuePayoutUsd: 10,
            venueReference: 'x',
          }),
        ),
      ),
    ).toBe('PBF01');

    await book(owner, bob, 'FENCE-MARKS', 'paper');
    expect(
      await asManager(third, (tx) =>
        writeMarks(tx, [{ platform: 'kalshi', instrumentId: 'FENCE-MARKS-yes', markPrice: 0.55 }]),
      ),
    ).toBe(1);
    expect(
      await asManager(third, (tx) =>
        upsertMarketLinkProposals(tx, [
          {
            relation: 'equivalent',
            aVenue: 'polymarket',
            aMarketId: 'fence-pm-1',
            aTitle: 'Fence?',
            bVenue: 'kalshi',
            bMarketId: 'FENCE-KX-1',
            bTitle: 'Fence?',
            score: 0.9,
            reasons: ['same words'],
          },
        ]),
      ),
    ).toEqual({ inserted: 1, refreshed: 0 });

    await saveSecret(db.sql, bob, {
      platform: 'polymarket',
      isPaper: true,
      apiKey: '0b7c4a1e-5f2d-4c3b-9a8e-1d2f3e4a5b6d',
      apiSecret: JSON.stringify({ secret: 'fence-test-api-secret-0123', passphrase: 'fence-test-pass' }),
      privateKey: '0x' + 'cd'.repeat(32),
    });
    const recorded = await asManager(third, async (tx) => {
      const [stamp] = await listPendingSecretStamps(tx, bob);
      if (!stamp || !(await lockSecretAtStamp(tx, bob, stamp, 'pending'))) return false;
      return setSecretValidation(tx, bob, 'polymarket', true, 'valid', null);
    });
    expect(recorded).toBe(true);
  });
});

/** What the fenced writes could change for a user (read as the admin). */
async function snapshot(userId: string): Promise<unknown> {
  const [row] = await db.sql`
    select (select count(*)::int from public.polybot_trades where user_id = ${userId}) as trades,
           (select string_agg(coalesce(reject_reason, '-'), ',' order by id) from public.polybot_trades
             where user_id = ${userId}) as reject_reasons,
           (select count(*)::int from public.polybot_order_intents where user_id = ${userId}) as intents,
           (select string_agg(status, ',' order by id) from public.polybot_order_intents where user_id = ${userId})
             as intent_statuses,
           (select row_to_json(s)::text from public.polybot_bot_status s where user_id = ${userId}) as status,
           (select string_agg(coalesce(venue_reference, '-'), ',' order by id) from public.polybot_settlements
             where user_id = ${userId}) as settlements,
           (select trades_this_month from public.polybot_user_profiles where id = ${userId}) as reserved`;
  return row;
}
