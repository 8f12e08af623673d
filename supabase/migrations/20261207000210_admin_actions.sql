-- =====================================================================================================================
-- Admin actions say who acted and refuse what would change nothing (issue 14 item 10; docs/SECURITY.md §10.2).
--
--   * admin_suspend_user(user, reason, note), admin_resume_user(user, note), admin_review_market_link(link, decision,
--     note): each audit row's details now carry `admin` — the database login that ran it (session_user: `postgres`
--     or an admin's own login in Studio, `authenticator` through the API with the service key; actor_role beside it
--     says which role) — and `note`, the admin's optional internal note. The suspension's `reason` is what the user
--     is shown (bot_run_decisions); the note is not.
--   * No-ops are refused with a message that says why (SQLSTATE 55000, object not in prerequisite state), so an admin
--     never believes they did something that did nothing: suspending a suspended user, resuming one who is not
--     suspended, reviewing a link the way it already is.
--   * Users no longer read the audit rows of admin actions about them (who acted, the internal note): their own
--     config and key entries stay readable. The suspension itself they see in their bot's status, with the reason.
--
-- Signatures change (a note parameter with a default), so the old functions are dropped and the grants restated:
-- callers written for the old ones (`admin_suspend_user(id, 'reason')`, `admin_resume_user(id)`) keep working.
-- =====================================================================================================================

drop function if exists public.admin_suspend_user(uuid, text);
drop function if exists public.admin_resume_user(uuid);

create or replace function public.admin_suspend_user(p_user_id uuid, p_reason text, p_note text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_reason text := left(nullif(btrim(coalesce(p_reason, '')), ''), 500);
  v_note text := left(nullif(btrim(coalesce(p_note, '')), ''), 1000);
  v_profile record;
begin
  if v_reason is null then
    raise exception 'a reason is required to suspend a user' using errcode = '22023';
  end if;
  select is_suspended, suspended_at, suspended_reason into v_profile
    from public.polybot_user_profiles where id = p_user_id for update;
  if not found then
    raise exception 'no user %', p_user_id using errcode = 'P0002';
  end if;
  if v_profile.is_suspended then
    raise exception 'user % is already suspended (since %: %); nothing changed', p_user_id,
      to_char(v_profile.suspended_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'),
      coalesce(v_profile.suspended_reason, 'no reason given')
      using errcode = '55000', hint = 'To change the reason, resume the user first, then suspend again.';
  end if;
  update public.polybot_user_profiles
     set is_suspended = true, suspended_reason = v_reason, suspended_at = now()
   where id = p_user_id;
  perform private.audit(p_user_id, 'user.suspended', 'polybot_user_profiles',
    jsonb_build_object('reason', v_reason, 'note', v_note, 'admin', session_user::text));
end
$$;

create or replace function public.admin_resume_user(p_user_id uuid, p_note text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_note text := left(nullif(btrim(coalesce(p_note, '')), ''), 1000);
  v_suspended boolean;
begin
  select is_suspended into v_suspended from public.polybot_user_profiles where id = p_user_id for update;
  if not found then
    raise exception 'no user %', p_user_id using errcode = 'P0002';
  end if;
  if not v_suspended then
    raise exception 'user % is not suspended; nothing to resume', p_user_id using errcode = '55000';
  end if;
  update public.polybot_user_profiles
     set is_suspended = false, suspended_reason = null, suspended_at = null
   where id = p_user_id;
  perform private.audit(p_user_id, 'user.resumed', 'polybot_user_profiles',
    jsonb_build_object('note', v_note, 'admin', session_user::text));
end
$$;

revoke execute on function public.admin_suspend_user(uuid, text, text) from public, anon, authenticated;
revoke execute on function public.admin_resume_user(uuid, text) from public, anon, authenticated;
grant execute on function public.admin_suspend_user(uuid, text, text) to service_role;
grant execute on function public.admin_resume_user(uuid, text) to service_role;
comment on function public.admin_suspend_user(uuid, text, text) is
  'Admin: stop a user''s bot and keep it stopped. p_reason (required) is shown to the user; p_note is internal. Audited with the admin''s database login; refuses a user already suspended.';
comment on function public.admin_resume_user(uuid, text) is
  'Admin: lift a suspension, with an optional internal note. Audited with the admin''s database login; refuses a user who is not suspended.';

-- Same signature as before: replaced in place (grants kept), restated below all the same.
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
  -- A reviewed link may be reviewed again the other way (an approval withdrawn, a rejection reconsidered); the same
  -- decision again would change nothing but the stamp, so it is refused.
  if v_before.status = p_decision then
    raise exception 'market link % is already % (by % at %); nothing changed', p_link_id, p_decision,
      coalesce(v_before.reviewed_by, 'unknown'),
      coalesce(to_char(v_before.reviewed_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'), 'an unknown time')
      using errcode = '55000';
  end if;
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
      'note', v_note,
      'admin', session_user::text
    )
  );
  return v_after;
end
$$;
revoke execute on function public.admin_review_market_link(bigint, text, text) from public, anon, authenticated;
grant execute on function public.admin_review_market_link(bigint, text, text) to service_role;
comment on function public.admin_review_market_link(bigint, text, text) is
  'Admin: approve or reject a market link (p_decision approved | rejected), with an optional note. Stamps reviewed_by/reviewed_at, writes the audit log with the admin''s database login; refuses the decision the link already has; an approval reaches running bots at once (NOTIFY polybot_market_links_changed).';

-- ---------------------------------------------------------------------------------------------------------------------
-- Users read the audit entries about themselves except admin actions (who acted, internal notes).
-- ---------------------------------------------------------------------------------------------------------------------
drop policy if exists "Users can read audit entries about themselves" on public.polybot_audit_log;
create policy "Users can read audit entries about themselves" on public.polybot_audit_log
  for select to authenticated
  using (user_id = (select auth.uid()) and action not in ('user.suspended', 'user.resumed'));
