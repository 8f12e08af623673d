-- =====================================================================================================================
-- Market-link review (issue 12 item 7). The bot-manager's periodic matcher writes proposals (status 'proposed',
-- proposed_by 'matcher'; packages/db upsertMarketLinkProposals) and an admin decides on each one in Studio:
--
--   select * from public.admin_review_market_link(<id>, 'approved', 'same resolution source (BLS CPI release)');
--   select * from public.admin_review_market_link(<id>, 'rejected', 'Kalshi settles on a different date');
--
--   * admin_review_market_link — the one audited way to approve or reject a link (service_role and Studio's postgres
--     only). It stamps reviewed_by/reviewed_at, keeps the reviewer's note and writes a polybot_audit_log row.
--     A reviewed link is never touched by the matcher again: a rejection stays a rejection.
--   * private.notify_market_links_changed — NOTIFY polybot_market_links_changed whenever a change touches the
--     APPROVED set (approved, approval withdrawn, approved row edited or deleted), however it was made, so the
--     bot-manager pushes the new links to its runners at once instead of on its 60 s safety pass. Proposals and
--     rejections of proposals change nothing that trades and stay silent.
-- =====================================================================================================================

create or replace function public.admin_review_market_link(p_link_id bigint, p_decision text, p_note text default null)
returns public.polybot_market_links
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_before public.polybot_market_links;
  v_after public.polybot_market_links;
  v_note text := left(nullif(btrim(coalesce(p_note, '')), ''), 1000);
  -- Who decided: the caller's email when it came through the API with a user's token, else its role (service_role
  -- for the platform, postgres for an admin in Studio), the same identity the audit log records.
  v_reviewer text := coalesce(auth.jwt() ->> 'email', nullif(auth.role(), ''), session_user::text);
begin
  if p_decision is null or p_decision not in ('approved', 'rejected') then
    raise exception 'decision must be approved or rejected, not %', coalesce(p_decision, 'null') using errcode = '22023';
  end if;
  select * into v_before from public.polybot_market_links where id = p_link_id for update;
  if not found then
    raise exception 'no market link %', p_link_id using errcode = 'P0002';
  end if;
  -- Any reviewed state may be reviewed again (an approval withdrawn, a rejection reconsidered): each decision is audited.
  update public.polybot_market_links
     set status = p_decision,
         reviewed_by = v_reviewer,
         reviewed_at = now(),
         notes = coalesce(v_note, notes)
   where id = p_link_id
  returning * into v_after;
  perform private.audit(
    null,
    'market_link.' || p_decision,
    'polybot_market_links',
    jsonb_build_object(
      'link_id', v_after.id,
      'relation', v_after.relation,
      'a', v_after.a_platform || ':' || v_after.a_market_id,
      'b', v_after.b_platform || ':' || v_after.b_market_id,
      'previous_status', v_before.status,
      'proposed_by', v_after.proposed_by,
      'match_score', v_after.match_score,
      'note', v_note
    )
  );
  return v_after;
end
$$;
revoke execute on function public.admin_review_market_link(bigint, text, text) from public, anon, authenticated;
grant execute on function public.admin_review_market_link(bigint, text, text) to service_role;
comment on function public.admin_review_market_link(bigint, text, text) is
  'Admin: approve or reject a market link (p_decision approved | rejected), with an optional note. Stamps reviewed_by/reviewed_at, writes the audit log; an approval reaches running bots at once (NOTIFY polybot_market_links_changed).';

-- ---------------------------------------------------------------------------------------------------------------------
-- NOTIFY on changes to the approved set. Payload: ids and status only (MarketLinksChangedPayloadSchema in
-- packages/schemas/src/notifications.ts). An approved row updated without a change to what trades (notes, titles)
-- stays silent.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.notify_market_links_changed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id bigint;
  v_status text;
begin
  if tg_op = 'INSERT' then
    if new.status <> 'approved' then return null; end if;
    v_id := new.id; v_status := new.status;
  elsif tg_op = 'DELETE' then
    if old.status <> 'approved' then return null; end if;
    v_id := old.id; v_status := null;
  else
    if old.status <> 'approved' and new.status <> 'approved' then return null; end if;
    if old.status = new.status
       and (old.relation, old.a_platform, old.a_market_id, old.b_platform, old.b_market_id)
           is not distinct from (new.relation, new.a_platform, new.a_market_id, new.b_platform, new.b_market_id) then
      return null;
    end if;
    v_id := new.id; v_status := new.status;
  end if;
  perform pg_notify(
    'polybot_market_links_changed',
    jsonb_build_object('link_id', v_id, 'status', v_status, 'op', lower(tg_op))::text
  );
  return null;
end
$$;
revoke execute on function private.notify_market_links_changed() from public, anon, authenticated;

drop trigger if exists _900_notify_market_links_changed on public.polybot_market_links;
create trigger _900_notify_market_links_changed after insert or update or delete on public.polybot_market_links
  for each row execute function private.notify_market_links_changed();

comment on table public.polybot_market_links is 'Relations between markets for cross-platform (equivalent) and overlapping (A implies B) arbitrage. Only approved links are traded. The matcher proposes (status proposed, proposed_by matcher, match_score, match_reasons); review with select * from public.admin_review_market_link(id, ''approved'' or ''rejected'', note) — audited, and reaches running bots at once.';
comment on column public.polybot_market_links.reviewed_by is 'Who approved or rejected it (set by admin_review_market_link: the caller''s email, else its role).';
