// Market links from the platform's side: the matcher's proposals (written set-based, never over a reviewed link) and
// the admin review (through the audited SQL function). Approved links are read by listApprovedMarketLinks (queries.ts).
import {
  MarketLinkDecisionSchema,
  MarketLinkProposalSchema,
  MarketLinkSchema,
  MarketLinkStatusSchema,
  type MarketLink,
  type MarketLinkDecision,
  type MarketLinkProposal,
  type MarketLinkStatus,
} from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';

type Conn = Sql | TransactionSql;

export interface ProposalWrite {
  /** New proposals stored by this call. */
  inserted: number;
  /** Pending matcher proposals whose titles, score or reasons changed. */
  refreshed: number;
}

/**
 * Stores the matcher's proposals in one statement, with status 'proposed' (never traded until an admin approves).
 * Idempotent: a pair already stored — in either direction, by anyone, in any status — is never inserted twice; only a
 * still-pending matcher proposal is refreshed (titles, score, reasons), and only when something changed. A reviewed
 * link (approved or rejected) is never overwritten, so a rejection is final for the matcher. Several managers may run
 * this at once: the unique key settles the race.
 */
export async function upsertMarketLinkProposals(
  db: Conn,
  proposals: readonly MarketLinkProposal[],
): Promise<ProposalWrite> {
  if (proposals.length === 0) return { inserted: 0, refreshed: 0 };
  const rows = proposals.map((raw) => {
    const p = MarketLinkProposalSchema.parse(raw);
    return {
      relation: p.relation,
      a_platform: p.aVenue,
      a_market_id: p.aMarketId,
      a_title: p.aTitle,
      b_platform: p.bVenue,
      b_market_id: p.bMarketId,
      b_title: p.bTitle,
      // The column is numeric(5,4): rounding here keeps "did it change?" exact.
      match_score: Math.round(p.score * 1e4) / 1e4,
      match_reasons: p.reasons,
    };
  });
  const written = await db<{ inserted: boolean }[]>`
    with input as (
      select distinct on (x.relation, x.a_platform, x.a_market_id, x.b_platform, x.b_market_id) x.*
        from jsonb_to_recordset(${db.json(rows as never)}) as x (
          relation text, a_platform text, a_market_id text, a_title text, b_platform text, b_market_id text,
          b_title text, match_score numeric, match_reasons jsonb)
    )
    insert into public.polybot_market_links as l
      (relation, a_platform, a_market_id, a_title, b_platform, b_market_id, b_title, status, proposed_by,
       match_score, match_reasons)
    select i.relation, i.a_platform, i.a_market_id, i.a_title, i.b_platform, i.b_market_id, i.b_title, 'proposed',
           'matcher', i.match_score, i.match_reasons
      from input i
     -- An equivalence stored the other way round (an admin's Kalshi → Polymarket link) is the same pair.
     where i.relation <> 'equivalent'
        or not exists (
             select 1 from public.polybot_market_links r
              where r.relation = i.relation
                and r.a_platform = i.b_platform and r.a_market_id = i.b_market_id
                and r.b_platform = i.a_platform and r.b_market_id = i.a_market_id)
    on conflict (relation, a_platform, a_market_id, b_platform, b_market_id) do update
       set a_title = excluded.a_title,
           b_title = excluded.b_title,
           match_score = excluded.match_score,
           match_reasons = excluded.match_reasons
     where l.status = 'proposed'
       and l.proposed_by = 'matcher'
       and (l.a_title, l.b_title, l.match_score, l.match_reasons)
           is distinct from (excluded.a_title, excluded.b_title, excluded.match_score, excluded.match_reasons)
    returning (xmax = 0) as inserted`;
  const inserted = written.filter((r) => r.inserted).length;
  return { inserted, refreshed: written.length - inserted };
}

/**
 * The links the matcher must not propose again (its `existing` option): every stored link except the matcher's own
 * still-pending proposals, which it may refresh. Includes rejected links, in both directions.
 */
export async function listSettledMarketLinks(db: Conn): Promise<MarketLink[]> {
  const rows = await db<MarketLinkRow[]>`
    select id, relation, a_platform, a_market_id, b_platform, b_market_id, status
      from public.polybot_market_links
     where not (status = 'proposed' and proposed_by = 'matcher')
     order by id`;
  return rows.map(marketLinkFromRow);
}

/** The columns a MarketLink is read from. */
export interface MarketLinkRow {
  id: string | number;
  relation: string;
  a_platform: string;
  a_market_id: string;
  b_platform: string;
  b_market_id: string;
  status: string;
}

/** A polybot_market_links row as the strategies read it (approved: only an admin's approval lets it trade). */
export function marketLinkFromRow(r: MarketLinkRow): MarketLink {
  return MarketLinkSchema.parse({
    id: Number(r.id),
    relation: r.relation,
    aVenue: r.a_platform,
    aMarketId: r.a_market_id,
    bVenue: r.b_platform,
    bMarketId: r.b_market_id,
    approved: MarketLinkStatusSchema.parse(r.status) === 'approved',
  });
}

/** An admin's decision on a link, through the audited admin_review_market_link (service_role or Studio only). */
export async function reviewMarketLink(
  db: Conn,
  linkId: number,
  decision: MarketLinkDecision,
  note: string | null = null,
): Promise<{ id: number; status: MarketLinkStatus; reviewedBy: string | null }> {
  const rows = await db<{ id: string; status: string; reviewed_by: string | null }[]>`
    select id, status, reviewed_by
      from public.admin_review_market_link(${linkId}, ${MarketLinkDecisionSchema.parse(decision)}, ${note})`;
  const row = rows[0];
  if (!row) throw new Error(`admin_review_market_link returned nothing for link ${linkId}`);
  return { id: Number(row.id), status: MarketLinkStatusSchema.parse(row.status), reviewedBy: row.reviewed_by };
}
