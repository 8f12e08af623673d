// polybot_order_intents and its service queries (packages/db/src/service/order-intents.ts): an order is written down
// before it leaves, once per client order id; a booking resolves it; what stays unresolved is listed for the next
// runner; paper leftovers are abandoned; a user reads only their own intents and writes none.
import {
  abandonPaperIntents,
  bookIntent,
  listUnresolvedIntents,
  markIntentsSent,
  recordIntents,
  recordTrade,
  resolveIntent,
} from '@polybot/db/service';
import type { OrderIntent } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

let n = 0;
const newUser = (): Promise<string> => createAuthUser(db, `intents-${++n}@example.test`);

const intent = (clientOrderId: string, o: Partial<OrderIntent> = {}): OrderIntent => ({
  clientOrderId,
  venue: 'polymarket',
  venueOrderId: `0x${'ab'.repeat(32)}`,
  instrumentId: 'token-yes',
  marketId: '0xmarket',
  outcome: 'Yes',
  side: 'buy',
  size: 10,
  limitPrice: 0.45,
  orderType: 'FOK',
  legGroupId: 'opp-1',
  strategy: 'single_platform',
  mode: 'live',
  ...o,
});

const statusOf = async (userId: string, clientOrderId: string): Promise<string | undefined> =>
  (
    await db.sql<{ status: string }[]>`
      select status from public.polybot_order_intents where user_id = ${userId} and client_order_id = ${clientOrderId}`
  )[0]?.status;

describe('service queries', () => {
  it('records once per client order id: a second intent for the same order comes back as existing', async () => {
    const u = await newUser();
    expect(await recordIntents(db.sql, u, [intent('arb-0001-L0'), intent('arb-0001-L1')])).toEqual({
      recorded: ['arb-0001-L0', 'arb-0001-L1'],
      existing: [],
    });
    expect(await recordIntents(db.sql, u, [intent('arb-0001-L0'), intent('arb-0001-U0', { side: 'sell' })])).toEqual({
      recorded: ['arb-0001-U0'],
      existing: ['arb-0001-L0'],
    });
    // Another user's identical client order id is theirs alone.
    const other = await newUser();
    expect((await recordIntents(db.sql, other, [intent('arb-0001-L0')])).recorded).toEqual(['arb-0001-L0']);
  });

  it('newGroup: a leg group with any intent already is refused whole (a restarted runner meeting it again)', async () => {
    const u = await newUser();
    expect(
      (await recordIntents(db.sql, u, [intent('arb-0006-L1', { legGroupId: 'opp-6' })], { newGroup: true })).recorded,
    ).toEqual(['arb-0006-L1']);
    // The same execution's next order (not a new group) is written; a new execution of the group is refused.
    expect((await recordIntents(db.sql, u, [intent('arb-0006-L0', { legGroupId: 'opp-6' })])).recorded).toEqual([
      'arb-0006-L0',
    ]);
    expect(
      await recordIntents(db.sql, u, [intent('arb-0007-L0', { legGroupId: 'opp-6' })], { newGroup: true }),
    ).toEqual({
      recorded: [],
      existing: ['arb-0007-L0'],
    });
    expect((await listUnresolvedIntents(db.sql, u)).map((i) => i.clientOrderId)).toEqual([
      'arb-0006-L1',
      'arb-0006-L0',
    ]);
  });

  it('an order the venue never had (not_sent: refused while paused) may be written again and sent; its group too', async () => {
    const u = await newUser();
    const first = intent('arb-0009-L0', { legGroupId: 'opp-9' });
    expect((await recordIntents(db.sql, u, [first], { newGroup: true })).recorded).toEqual(['arb-0009-L0']);
    expect(await resolveIntent(db.sql, u, 'arb-0009-L0', 'not_sent', 'paused')).toBe(true);
    // The same opportunity once the venue trades again: same client order id, new limit — pending again.
    expect(await recordIntents(db.sql, u, [{ ...first, limitPrice: 0.46 }], { newGroup: true })).toEqual({
      recorded: ['arb-0009-L0'],
      existing: [],
    });
    expect(await statusOf(u, 'arb-0009-L0')).toBe('pending');
    // Anything else it became (here: cancelled at the venue) is final: never written, never sent again.
    expect(await resolveIntent(db.sql, u, 'arb-0009-L0', 'cancelled', 'no fill')).toBe(true);
    expect(await recordIntents(db.sql, u, [first], { newGroup: true })).toEqual({
      recorded: [],
      existing: ['arb-0009-L0'],
    });
    expect(await recordIntents(db.sql, u, [first])).toEqual({ recorded: [], existing: ['arb-0009-L0'] });
  });

  it('an invalid intent writes nothing of its batch (one transaction)', async () => {
    const u = await newUser();
    await expect(
      recordIntents(db.sql, u, [intent('arb-0002-L0'), intent('arb-0002-L1', { size: -1 })]),
    ).rejects.toThrow(/check/);
    expect(await listUnresolvedIntents(db.sql, u)).toEqual([]);
  });

  it('pending → sent → booked (inside the booking transaction); booked leaves the unresolved list', async () => {
    const u = await newUser();
    await recordIntents(db.sql, u, [intent('arb-0003-L0'), intent('arb-0003-L1')]);
    expect(await markIntentsSent(db.sql, u, ['arb-0003-L0'])).toBe(1);
    expect(await statusOf(u, 'arb-0003-L0')).toBe('sent');
    await db.sql.begin(async (tx) => {
      const t = await recordTrade(tx, {
        userId: u,
        clientOrderId: 'arb-0003-L0',
        venueOrderId: null,
        platform: 'polymarket',
        marketId: '0xmarket',
        instrumentId: 'token-yes',
        outcome: 'Yes',
        side: 'buy',
        strategy: 'single_platform',
        mode: 'live',
        orderType: 'FOK',
        status: 'filled',
        limitPrice: 0.45,
        price: 0.44,
        size: 10,
        filledSize: 10,
        fee: 0,
        opportunityId: 'opp-1',
        legGroupId: 'opp-1',
        rejectReason: null,
      });
      expect(await bookIntent(tx, u, 'arb-0003-L0', t.id)).toBe(true);
    });
    expect(await statusOf(u, 'arb-0003-L0')).toBe('booked');
    // A booked intent is never sent-marked or resolved again.
    expect(await markIntentsSent(db.sql, u, ['arb-0003-L0'])).toBe(0);
    expect(await resolveIntent(db.sql, u, 'arb-0003-L0', 'not_sent', 'x')).toBe(false);
    const open = await listUnresolvedIntents(db.sql, u);
    expect(open.map((i) => [i.clientOrderId, i.status, i.size, i.limitPrice])).toEqual([
      ['arb-0003-L1', 'pending', 10, 0.45],
    ]);
  });

  it('unknown stays unresolved; not_sent and cancelled resolve; paper leftovers are abandoned, live ones kept', async () => {
    const u = await newUser();
    await recordIntents(db.sql, u, [
      intent('arb-0004-L0'),
      intent('arb-0004-L1'),
      intent('arb-0004-L2'),
      intent('arb-0004-P0', { mode: 'paper', venueOrderId: null }),
    ]);
    expect(await resolveIntent(db.sql, u, 'arb-0004-L0', 'unknown', 'venue unreachable')).toBe(true);
    expect(await resolveIntent(db.sql, u, 'arb-0004-L1', 'not_sent', 'the venue does not know it')).toBe(true);
    expect(await resolveIntent(db.sql, u, 'arb-0004-L2', 'cancelled', null)).toBe(true);
    expect(await abandonPaperIntents(db.sql, u)).toBe(1);
    expect(await statusOf(u, 'arb-0004-P0')).toBe('abandoned');
    const open = await listUnresolvedIntents(db.sql, u);
    expect(open.map((i) => [i.clientOrderId, i.status, i.error])).toEqual([
      ['arb-0004-L0', 'unknown', 'venue unreachable'],
    ]);
    // Another user's list is empty: every query is bound to its user.
    expect(await listUnresolvedIntents(db.sql, await newUser())).toEqual([]);
  });
});

describe('row level security', () => {
  it('the owner reads their own intents; another user and anon read none; nobody but the service writes', async () => {
    const owner = await newUser();
    const other = await newUser();
    await recordIntents(db.sql, owner, [intent('arb-0005-L0')]);
    const read = (actor: Parameters<typeof attempt>[1]) =>
      attempt(
        db.sql,
        actor,
        (tx) => tx`select client_order_id from public.polybot_order_intents where user_id = ${owner}`,
      );
    const mine = await read({ role: 'authenticated', userId: owner });
    expect(mine.outcome).toMatchObject({ ok: true, value: [{ client_order_id: 'arb-0005-L0' }] });
    expect((await read({ role: 'authenticated', userId: other })).outcome).toMatchObject({ ok: true, value: [] });
    expect((await read({ role: 'anon' })).outcome).toMatchObject({ ok: false, code: '42501' });

    const write = (sql: (tx: TransactionSql) => Promise<unknown>) =>
      attempt(
        db.sql,
        { role: 'authenticated', userId: owner },
        sql,
        (tx) => tx`
        select status, count(*)::int as n from public.polybot_order_intents where user_id = ${owner} group by status`,
      );
    for (const op of [
      (tx: TransactionSql) =>
        tx`insert into public.polybot_order_intents (user_id, client_order_id, venue, instrument_id, market_id, side, size, limit_price, order_type, leg_group_id, strategy, mode) values (${owner}, 'forged-intent', 'polymarket', 't', 'm', 'buy', 1, 0.5, 'FOK', 'g', 'news', 'live')`,
      (tx: TransactionSql) => tx`update public.polybot_order_intents set status = 'not_sent' where user_id = ${owner}`,
      (tx: TransactionSql) => tx`delete from public.polybot_order_intents where user_id = ${owner}`,
    ]) {
      const r = await write(op);
      expect(r.outcome).toMatchObject({ ok: false, code: '42501' });
      expect(r.verified).toEqual([{ status: 'pending', n: 1 }]);
    }
    // The service writes.
    const svc = await attempt(db.sql, { role: 'service_role' }, (tx) =>
      resolveIntent(tx, owner, 'arb-0005-L0', 'unknown', 'probe'),
    );
    expect(svc.outcome).toEqual({ ok: true, value: true });
  });
});
