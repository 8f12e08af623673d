// Market links: the matcher's proposals (upsertMarketLinkProposals: set-based, idempotent, never over a reviewed link)
// and the admin review (admin_review_market_link: service_role and Studio only, audited, NOTIFY to the bot-manager).
import {
  asService,
  listApprovedMarketLinks,
  listSettledMarketLinks,
  reviewMarketLink,
  upsertMarketLinkProposals,
} from '@polybot/db/service';
import {
  MARKET_LINKS_CHANGED_CHANNEL,
  MarketLinksChangedPayloadSchema,
  type MarketLinkProposal,
  type MarketLinksChangedPayload,
} from '@polybot/schemas';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let listener: postgres.Sql;
let received: string[] = [];
let sentinelWaiters: Array<{ token: string; resolve: () => void }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  listener = postgres(db.url, { max: 1, onnotice: () => undefined });
  await listener.listen(MARKET_LINKS_CHANGED_CHANNEL, (payload) => {
    const waiter = sentinelWaiters.find((w) => payload === `sentinel:${w.token}`);
    if (waiter) {
      sentinelWaiters = sentinelWaiters.filter((w) => w !== waiter);
      waiter.resolve();
    } else received.push(payload);
  });
});
afterAll(async () => {
  await listener?.end();
  await db?.stop();
});

/** The notifications `change` caused: a sentinel sent after it commits arrives after all of them (commit order). */
async function notificationsOf(change: () => Promise<unknown>): Promise<MarketLinksChangedPayload[]> {
  received = [];
  await change();
  const token = Math.random().toString(36).slice(2);
  const arrived = new Promise<void>((resolve) => sentinelWaiters.push({ token, resolve }));
  await db.sql`select pg_notify(${MARKET_LINKS_CHANGED_CHANNEL}, ${`sentinel:${token}`})`;
  await arrived;
  return received.map((raw) => MarketLinksChangedPayloadSchema.parse(JSON.parse(raw)));
}

let seq = 0;
function proposal(p: Partial<MarketLinkProposal> = {}): MarketLinkProposal {
  seq++;
  return {
    relation: 'equivalent',
    aVenue: 'polymarket',
    aMarketId: `0xpm${seq}`,
    aTitle: `Polymarket market ${seq}`,
    bVenue: 'kalshi',
    bMarketId: `KX-${seq}`,
    bTitle: `Kalshi market ${seq}`,
    score: 0.8123456,
    reasons: ['title similarity 0.80 (shared: fed, june)'],
    ...p,
  };
}

const write = (ps: MarketLinkProposal[]) => asService(db.sql, (tx) => upsertMarketLinkProposals(tx, ps));

async function linkOf(p: MarketLinkProposal) {
  const [row] = await db.sql<
    {
      id: string;
      status: string;
      proposed_by: string;
      match_score: string;
      match_reasons: string[];
      a_title: string | null;
      reviewed_by: string | null;
      reviewed_at: Date | null;
      notes: string | null;
    }[]
  >`select id, status, proposed_by, match_score, match_reasons, a_title, reviewed_by, reviewed_at, notes
      from public.polybot_market_links
     where relation = ${p.relation} and a_platform = ${p.aVenue} and a_market_id = ${p.aMarketId}
       and b_platform = ${p.bVenue} and b_market_id = ${p.bMarketId}`;
  if (!row) throw new Error(`no link ${p.aMarketId} ↔ ${p.bMarketId}`);
  return { ...row, id: Number(row.id) };
}

describe('upsertMarketLinkProposals', () => {
  it('stores proposals as not approved, with score and reasons, and a second identical run changes nothing', async () => {
    const ps = [proposal(), proposal()];
    const got = await notificationsOf(async () => expect(await write(ps)).toEqual({ inserted: 2, refreshed: 0 }));
    expect(got).toEqual([]); // a proposal changes nothing that trades
    const row = await linkOf(ps[0] as MarketLinkProposal);
    expect(row).toMatchObject({
      status: 'proposed',
      proposed_by: 'matcher',
      match_score: '0.8123',
      match_reasons: ['title similarity 0.80 (shared: fed, june)'],
      reviewed_at: null,
    });
    const [before] = await db.sql`select updated_at from public.polybot_market_links where id = ${row.id}`;
    expect(await write(ps)).toEqual({ inserted: 0, refreshed: 0 });
    const [after] = await db.sql`select updated_at from public.polybot_market_links where id = ${row.id}`;
    expect(after).toEqual(before);
    expect(await asService(db.sql, (tx) => listApprovedMarketLinks(tx))).toEqual([]);
  });

  it('refreshes a pending proposal whose score changed, never a reviewed one, and skips a pair stored the other way', async () => {
    const pending = proposal();
    const rejected = proposal();
    const approved = proposal();
    await write([pending, rejected, approved]);
    await reviewMarketLink(db.sql, (await linkOf(rejected)).id, 'rejected', 'different resolution sources');
    await reviewMarketLink(db.sql, (await linkOf(approved)).id, 'approved');
    // An admin's link stored Kalshi → Polymarket: the matcher's Polymarket → Kalshi proposal is the same pair.
    const reversed = proposal();
    await db.sql`
      insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id)
      values ('equivalent', 'kalshi', ${reversed.bMarketId}, 'polymarket', ${reversed.aMarketId})`;

    const again = [pending, rejected, approved, reversed].map((p) => ({ ...p, score: 0.5, aTitle: 'Renamed' }));
    expect(await write(again)).toEqual({ inserted: 0, refreshed: 1 });
    expect(await linkOf(pending)).toMatchObject({ status: 'proposed', match_score: '0.5000', a_title: 'Renamed' });
    expect(await linkOf(rejected)).toMatchObject({
      status: 'rejected',
      match_score: '0.8123',
      a_title: rejected.aTitle,
      notes: 'different resolution sources',
    });
    expect(await linkOf(approved)).toMatchObject({ status: 'approved', match_score: '0.8123' });
    const [{ n }] = (await db.sql`
      select count(*)::int as n from public.polybot_market_links
       where a_market_id in (${reversed.aMarketId}, ${reversed.bMarketId})`) as unknown as [{ n: number }];
    expect(n).toBe(1);

    // What the matcher is told to leave alone: everything but its own pending proposals.
    const settled = await asService(db.sql, (tx) => listSettledMarketLinks(tx));
    const ids = settled.map((l) => l.aMarketId);
    expect(ids).toContain(rejected.aMarketId);
    expect(ids).toContain(approved.aMarketId);
    expect(ids).toContain(reversed.bMarketId);
    expect(ids).not.toContain(pending.aMarketId);
    expect(settled.find((l) => l.aMarketId === approved.aMarketId)?.approved).toBe(true);
    expect(settled.find((l) => l.aMarketId === rejected.aMarketId)?.approved).toBe(false);
  });

  it('two managers writing the same proposals at once store each pair once', async () => {
    const ps = Array.from({ length: 20 }, () => proposal());
    const [a, b] = await Promise.all([write(ps), write(ps)]);
    expect((a?.inserted ?? 0) + (b?.inserted ?? 0)).toBe(20);
    const [{ n }] = (await db.sql`
      select count(*)::int as n from public.polybot_market_links
       where a_market_id = any(${ps.map((p) => p.aMarketId)})`) as unknown as [{ n: number }];
    expect(n).toBe(20);
  });
});

describe('admin_review_market_link', () => {
  it('an admin in Studio (postgres) approves: reviewed_by/at, note, an audit row, and one NOTIFY', async () => {
    const p = proposal();
    await write([p]);
    const { id } = await linkOf(p);
    const got = await notificationsOf(
      () => db.sql`select * from public.admin_review_market_link(${id}, 'approved', '  same BLS release  ')`,
    );
    expect(got).toEqual([{ link_id: id, status: 'approved', op: 'update' }]);
    expect(await linkOf(p)).toMatchObject({ status: 'approved', reviewed_by: 'postgres', notes: 'same BLS release' });
    expect((await linkOf(p)).reviewed_at).toBeInstanceOf(Date);
    const audit = await db.sql`
      select user_id, actor_role, action, table_name, details from public.polybot_audit_log
       where action like 'market_link.%' and (details ->> 'link_id')::bigint = ${id}`;
    expect(audit).toEqual([
      {
        user_id: null,
        actor_role: 'postgres',
        action: 'market_link.approved',
        table_name: 'polybot_market_links',
        details: {
          link_id: id,
          relation: 'equivalent',
          a: `polymarket:${p.aMarketId}`,
          b: `kalshi:${p.bMarketId}`,
          previous_status: 'proposed',
          proposed_by: 'matcher',
          match_score: 0.8123,
          note: 'same BLS release',
          admin: 'postgres',
        },
      },
    ]);
    expect((await asService(db.sql, (tx) => listApprovedMarketLinks(tx))).map((l) => l.id)).toContain(id);

    // Withdrawing the approval is a review too, and it reaches the manager (the link leaves the approved set).
    const withdrawn = await notificationsOf(() => reviewMarketLink(db.sql, id, 'rejected', null));
    expect(withdrawn).toEqual([{ link_id: id, status: 'rejected', op: 'update' }]);
    expect(await linkOf(p)).toMatchObject({ status: 'rejected', notes: 'same BLS release' });
  });

  it('the service role may review; rejecting a proposal is audited and silent', async () => {
    const p = proposal();
    await write([p]);
    const { id } = await linkOf(p);
    // As the platform's service key: asService sets role service_role and its claims, as PostgREST would.
    const got = await notificationsOf(() => asService(db.sql, (tx) => reviewMarketLink(tx, id, 'rejected', 'no')));
    expect(got).toEqual([]);
    expect(await linkOf(p)).toMatchObject({ status: 'rejected', reviewed_by: 'service_role', notes: 'no' });
    const [audit] = await db.sql`
      select actor_role, action from public.polybot_audit_log
       where action like 'market_link.%' and (details ->> 'link_id')::bigint = ${id}`;
    expect(audit).toEqual({ actor_role: 'service_role', action: 'market_link.rejected' });
  });

  it('signed-in users and anon may not call it, and nothing changes', async () => {
    const p = proposal();
    await write([p]);
    const { id } = await linkOf(p);
    const userId = await createAuthUser(db, 'link-reviewer@example.test');
    for (const actor of [{ role: 'authenticated', userId } as const, { role: 'anon' } as const]) {
      const { outcome, verified } = await attempt(
        db.sql,
        actor,
        (tx) => tx`select * from public.admin_review_market_link(${id}, 'approved', null)`,
        (tx) => tx`select status, reviewed_at from public.polybot_market_links where id = ${id}`,
      );
      expect(outcome).toMatchObject({ ok: false, code: '42501' });
      expect(verified).toEqual([{ status: 'proposed', reviewed_at: null }]);
    }
  });

  it('refuses a review that changes nothing (the decision the link already has), and audits nothing', async () => {
    const p = proposal();
    await write([p]);
    const { id } = await linkOf(p);
    await db.sql`select * from public.admin_review_market_link(${id}, 'approved', 'same question')`;
    const before = await linkOf(p);
    await expect(
      db.sql`select * from public.admin_review_market_link(${id}, 'approved', 'again')`,
    ).rejects.toMatchObject({ code: '55000', message: expect.stringMatching(/already approved .*nothing changed/) });
    expect(await linkOf(p)).toEqual(before);
    const audit = await db.sql`
      select action from public.polybot_audit_log
       where action like 'market_link.%' and (details ->> 'link_id')::bigint = ${id}`;
    expect(audit).toEqual([{ action: 'market_link.approved' }]);
    // The other decision is still a review.
    await db.sql`select * from public.admin_review_market_link(${id}, 'rejected', null)`;
    expect(await linkOf(p)).toMatchObject({ status: 'rejected' });
  });

  it('refuses an unknown decision and an unknown link', async () => {
    const p = proposal();
    await write([p]);
    const { id } = await linkOf(p);
    await expect(db.sql`select public.admin_review_market_link(${id}, 'maybe', null)`).rejects.toMatchObject({
      code: '22023',
    });
    await expect(db.sql`select public.admin_review_market_link(999999, 'approved', null)`).rejects.toMatchObject({
      code: 'P0002',
    });
    expect(await linkOf(p)).toMatchObject({ status: 'proposed' });
  });

  it('a change to the approved set made outside the function (Studio table edit, delete) notifies too', async () => {
    const p = proposal();
    await write([p]);
    const { id } = await linkOf(p);
    const approvedByHand = await notificationsOf(
      () => db.sql`update public.polybot_market_links set status = 'approved', reviewed_at = now() where id = ${id}`,
    );
    expect(approvedByHand).toEqual([{ link_id: id, status: 'approved', op: 'update' }]);
    const noteOnly = await notificationsOf(
      () => db.sql`update public.polybot_market_links set notes = 'checked twice' where id = ${id}`,
    );
    expect(noteOnly).toEqual([]);
    const deleted = await notificationsOf(() => db.sql`delete from public.polybot_market_links where id = ${id}`);
    expect(deleted).toEqual([{ link_id: id, status: null, op: 'delete' }]);
  });
});
