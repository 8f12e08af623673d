-- =====================================================================================================================
-- opportunity_found: the runner meets an opportunity, tells its manager (IPC `opportunity`), and the manager calls
-- private.emit_opportunity_notification. Only for users with notify_on_opportunity on, and throttled per opportunity:
-- the same key (the strategy's deterministic opportunity id: one market, one event or one approved link) notifies a
-- user at most once per 15 minutes, however often prices bring it back; on top of that emit_notification's hourly
-- limit (30 trade + opportunity notifications per user) and quiet hours apply as for every optional event.
-- Granted to polybot_manager only; in `private` (not exposed by the Data API). Not fenced: it writes no bot state.
-- =====================================================================================================================

create or replace function private.emit_opportunity_notification(
  p_user_id uuid, p_key text, p_strategy text, p_description text, p_expected_profit_usd double precision,
  p_now timestamptz default now())
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_prefix text;
begin
  if p_user_id is null or p_key is null or length(p_key) not between 1 and 500
     or p_strategy is null or length(p_strategy) not between 1 and 40
     or p_description is null or length(btrim(p_description)) = 0
     or p_expected_profit_usd is null or p_expected_profit_usd in ('NaN', 'Infinity', '-Infinity') then
    raise exception 'emit_opportunity_notification: a user, a key (≤ 500), a strategy (≤ 40), a description and a finite profit are required'
      using errcode = '22023';
  end if;
  if not coalesce((select notify_on_opportunity from public.polybot_user_config where user_id = p_user_id), false) then
    return null;
  end if;
  -- One decision per user and key at a time: two managers (or two messages) cannot both pass the window check.
  perform pg_advisory_xact_lock(hashtextextended('opportunity:' || p_user_id || ':' || p_key, 0));
  -- The dedupe key (≤ 200 characters) names the opportunity: a long key (a copied trade's tx hash and token id) by its md5.
  v_prefix := 'opportunity:' || case when length(p_key) <= 120 then p_key else md5(p_key) end || ':';
  if exists (select 1 from public.polybot_notifications
              where user_id = p_user_id and kind = 'opportunity_found'
                and created_at > p_now - interval '15 minutes' and created_at <= p_now
                and left(dedupe_key, length(v_prefix)) = v_prefix) then
    return null;
  end if;
  return private.emit_notification(
    p_user_id, 'opportunity_found',
    jsonb_build_object('strategy', p_strategy, 'description', left(btrim(p_description), 500),
                       'expected_profit_usd', round(p_expected_profit_usd::numeric, 6)::float8),
    v_prefix || (extract(epoch from p_now) * 1000)::bigint, p_now);
end
$$;
revoke execute on function private.emit_opportunity_notification(uuid, text, text, text, double precision, timestamptz)
  from public, anon, authenticated, service_role;
grant execute on function private.emit_opportunity_notification(uuid, text, text, text, double precision, timestamptz)
  to polybot_manager;
comment on function private.emit_opportunity_notification(uuid, text, text, text, double precision, timestamptz) is
  'The manager, for a runner''s opportunity: opportunity_found when notify_on_opportunity is on, at most once per user and opportunity key per 15 minutes (then the hourly limit). Returns the notification id or null.';
