-- =====================================================================================================================
-- private.emit_notification: the one way a notification comes to exist. Producers (the triggers of 20261209000170,
-- the worker's flush and summary functions) call it in the same transaction as their cause, so a rolled-back cause
-- leaves neither a notification nor a queued job. It records the notification, decides where it goes and when, and
-- queues one graphile-worker job per delivery (job_key per delivery: a retried emit cannot queue it twice).
--
--   * Alerts (ALWAYS_ON_EVENT_KINDS: every kind but trade_executed, opportunity_found, daily_summary) always go out,
--     at once, to their routed channels, or to every verified enabled channel when none of those is left.
--   * trade_executed and opportunity_found: at most 30 per user per hour (NOTIFICATION_HOURLY_LIMIT); beyond that the
--     notification is kept with suppressed = 'rate_limited' and nothing is sent. (A burst of trades is already one
--     notification: flush_trade_notifications.)
--   * Non-alerts inside the user's quiet hours wait until they end (deliver_after; the jobs' run_at): delayed, never
--     dropped.
--   * Nowhere to send it: kept with suppressed = 'no_channel'.
-- p_now exists for tests (quiet hours, the hourly window); producers leave it to now().
-- =====================================================================================================================

-- When a notification emitted at p_now may be delivered under quiet hours [p_start, p_end) local to p_time_zone;
-- null when p_now is outside them (or there are none).
create or replace function private.quiet_hours_end(p_now timestamptz, p_time_zone text, p_start integer, p_end integer)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_local timestamp := p_now at time zone p_time_zone;
  v_hour integer := extract(hour from v_local)::integer;
  v_end timestamp;
begin
  if p_start is null or p_end is null then
    return null;
  end if;
  if not (case when p_start < p_end then v_hour >= p_start and v_hour < p_end
               else v_hour >= p_start or v_hour < p_end end) then
    return null;
  end if;
  v_end := date_trunc('day', v_local) + make_interval(hours => p_end);
  if v_end <= v_local then
    v_end := v_end + interval '1 day';
  end if;
  return v_end at time zone p_time_zone;
end
$$;
revoke execute on function private.quiet_hours_end(timestamptz, text, integer, integer) from public, anon, authenticated;

create or replace function private.emit_notification(
  p_user_id uuid, p_kind text, p_payload jsonb, p_dedupe_key text default null, p_now timestamptz default now())
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_alert boolean := private.is_alert_event(p_kind);
  v_settings public.polybot_notification_settings;
  v_routed jsonb;
  v_channels uuid[];
  v_after timestamptz;
  v_suppressed text;
  v_notification bigint;
  v_delivery record;
begin
  if p_dedupe_key is not null and exists (
       select 1 from public.polybot_notifications where user_id = p_user_id and dedupe_key = p_dedupe_key) then
    return null;
  end if;
  select * into v_settings from public.polybot_notification_settings where user_id = p_user_id;
  v_routed := v_settings.routes -> p_kind;

  select coalesce(array_agg(c.id order by c.created_at), '{}') into v_channels
    from public.polybot_notification_channels c
   where c.user_id = p_user_id and c.verified_at is not null and c.enabled
     and (v_routed is null or c.id::text in (select jsonb_array_elements_text(v_routed)));
  if v_alert and cardinality(v_channels) = 0 then
    select coalesce(array_agg(c.id order by c.created_at), '{}') into v_channels
      from public.polybot_notification_channels c
     where c.user_id = p_user_id and c.verified_at is not null and c.enabled;
  end if;

  if cardinality(v_channels) = 0 then
    v_suppressed := 'no_channel';
  elsif p_kind in ('trade_executed', 'opportunity_found') and (
          select count(*) from public.polybot_notifications
           where user_id = p_user_id and kind in ('trade_executed', 'opportunity_found') and suppressed is null
             and created_at > p_now - interval '1 hour' and created_at <= p_now) >= 30 then
    v_suppressed := 'rate_limited';
  end if;
  if not v_alert then
    v_after := private.quiet_hours_end(p_now, coalesce(v_settings.time_zone, 'UTC'), v_settings.quiet_start,
                                       v_settings.quiet_end);
  end if;

  insert into public.polybot_notifications (user_id, kind, payload, dedupe_key, deliver_after, suppressed, created_at)
  values (p_user_id, p_kind, p_payload || jsonb_build_object('kind', p_kind), p_dedupe_key, v_after, v_suppressed, p_now)
  returning id into v_notification;
  if v_suppressed is not null then
    return v_notification;
  end if;

  for v_delivery in
    insert into public.polybot_notification_deliveries (notification_id, user_id, channel_id, channel_kind, idempotency_key)
    select v_notification, p_user_id, c.id, c.kind, format('ntf_%s_%s', v_notification, c.id)
      from public.polybot_notification_channels c where c.id = any (v_channels)
    returning id
  loop
    -- 10 attempts: graphile-worker's backoff (exp(attempt) seconds) spreads them over about three hours.
    perform graphile_worker.add_job('deliver_notification', json_build_object('deliveryId', v_delivery.id),
                                    run_at => v_after, max_attempts => 10, job_key => 'delivery:' || v_delivery.id);
  end loop;
  return v_notification;
end
$$;
revoke execute on function private.emit_notification(uuid, text, jsonb, text, timestamptz) from public, anon, authenticated;
comment on function private.emit_notification(uuid, text, jsonb, text, timestamptz) is
  'Records a notification and queues one deliver_notification job per routed verified channel (rate limit, quiet hours: see the migration). Producers only.';
