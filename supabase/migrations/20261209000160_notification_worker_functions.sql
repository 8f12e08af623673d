-- =====================================================================================================================
-- What the notification worker (graphile-worker tasks in the bot-manager, as polybot_manager) calls: claim a delivery
-- and record how sending went, read a webhook's signing secret, turn a burst of trades into one notification, and
-- send the daily summaries that are due. Granted to polybot_manager only; in `private` (not exposed by the Data API).
-- Task names and payloads: deliver_notification {deliveryId}, flush_trade_notifications {userId}, daily_summaries.
-- =====================================================================================================================

grant usage on schema private to polybot_manager;

-- claim_notification_delivery: what to send for a pending or retrying delivery, counting the attempt; null when there is
-- nothing to send (already sent or dead; its channel removed, disabled or unverified: then marked skipped).
-- Returns {delivery_id, idempotency_key, attempt, notification_id, user_id, kind, payload, created_at, channel}.
create or replace function private.claim_notification_delivery(p_delivery_id bigint)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_delivery public.polybot_notification_deliveries;
  v_channel public.polybot_notification_channels;
  v_notification public.polybot_notifications;
begin
  select * into v_delivery from public.polybot_notification_deliveries where id = p_delivery_id for update;
  if v_delivery.id is null or v_delivery.status not in ('pending', 'retrying') then
    return null;
  end if;
  select * into v_channel from public.polybot_notification_channels where id = v_delivery.channel_id;
  if v_channel.id is null or not v_channel.enabled or v_channel.verified_at is null then
    update public.polybot_notification_deliveries
       set status = 'skipped', last_error = 'the channel was removed, disabled or is not verified'
     where id = p_delivery_id;
    return null;
  end if;
  update public.polybot_notification_deliveries set attempts = attempts + 1 where id = p_delivery_id
  returning * into v_delivery;
  select * into v_notification from public.polybot_notifications where id = v_delivery.notification_id;
  return jsonb_build_object(
    'delivery_id', v_delivery.id, 'idempotency_key', v_delivery.idempotency_key, 'attempt', v_delivery.attempts,
    'notification_id', v_notification.id, 'user_id', v_notification.user_id, 'kind', v_notification.kind,
    'payload', v_notification.payload, 'created_at', v_notification.created_at,
    'channel', jsonb_build_object('id', v_channel.id, 'kind', v_channel.kind, 'target', v_channel.target,
                                  'label', v_channel.label));
end
$$;

-- The outcome of an attempt. Only a delivery still in flight changes (a late duplicate cannot resurrect a dead one);
-- true when it changed. Errors are cut to the column's 1000 characters.
create or replace function private.finish_notification_delivery(p_delivery_id bigint, p_status text, p_error text)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_found boolean;
begin
  update public.polybot_notification_deliveries
     set status = p_status,
         last_error = case when p_status = 'sent' then null else left(coalesce(p_error, 'unknown error'), 1000) end,
         sent_at = case when p_status = 'sent' then now() end
   where id = p_delivery_id and status in ('pending', 'retrying')
  returning true into v_found;
  return coalesce(v_found, false);
end
$$;
revoke execute on function private.finish_notification_delivery(bigint, text, text) from public, anon, authenticated;

create or replace function private.mark_notification_sent(p_delivery_id bigint)
returns boolean language sql security definer set search_path = ''
as $$ select private.finish_notification_delivery(p_delivery_id, 'sent', null) $$;

create or replace function private.mark_notification_retrying(p_delivery_id bigint, p_error text)
returns boolean language sql security definer set search_path = ''
as $$ select private.finish_notification_delivery(p_delivery_id, 'retrying', p_error) $$;

-- Dead: the last attempt failed (or the error cannot get better: a 4xx, an address that does not exist). Admins see it
-- in admin_notification_dead_letters.
create or replace function private.mark_notification_dead(p_delivery_id bigint, p_error text)
returns boolean language sql security definer set search_path = ''
as $$ select private.finish_notification_delivery(p_delivery_id, 'dead', p_error) $$;

-- The Standard Webhooks signing secret (whsec_…) of a webhook channel, decrypted from Vault; null when it has none.
create or replace function private.notification_webhook_secret(p_channel_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select s.decrypted_secret from public.polybot_notification_channels c
    join vault.decrypted_secrets s on s.id = c.webhook_secret_id
   where c.id = p_channel_id and c.kind = 'webhook'
$$;

-- flush_trade_notifications: the user's trades booked since the last flush as one trade_executed notification (the
-- trigger on polybot_trades queues this job once per burst). Returns the notification id; null when there was nothing
-- new or the user turned trade notifications off meanwhile (the cursor moves on either way).
create or replace function private.flush_trade_notifications(p_user_id uuid)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_after bigint;
  v_last bigint;
  v_count integer;
  v_trades jsonb;
begin
  insert into private.trade_notification_cursors (user_id, last_trade_id) values (p_user_id, 0)
  on conflict (user_id) do nothing;
  select last_trade_id into v_after from private.trade_notification_cursors where user_id = p_user_id for update;
  select max(id), count(*) into v_last, v_count from public.polybot_trades where user_id = p_user_id and id > v_after;
  if v_last is null then
    return null;
  end if;
  update private.trade_notification_cursors set last_trade_id = v_last where user_id = p_user_id;
  if not coalesce((select notify_on_trade from public.polybot_user_config where user_id = p_user_id), false) then
    return null;
  end if;
  select jsonb_agg(jsonb_build_object(
           'venue', t.platform, 'market_title', coalesce(t.market_title, t.market_id), 'side', t.side,
           'size', t.filled_size, 'price', coalesce(t.price, t.limit_price), 'mode', t.mode,
           'at', to_jsonb(coalesce(t.executed_at, t.created_at))) order by t.id desc)
    into v_trades
    from (select * from public.polybot_trades where user_id = p_user_id and id > v_after order by id desc limit 20) t;
  return private.emit_notification(p_user_id, 'trade_executed', jsonb_build_object('count', v_count, 'trades', v_trades));
end
$$;

-- users_due_daily_summary: whose summary is due in the hour containing p_now — their summary hour in their own time
-- zone (UTC, 08:00 without settings) — with daily summaries on and a verified enabled channel (a user with nowhere to
-- send it gets no daily "no_channel" rows), not yet sent for that day (their local yesterday).
create or replace function private.users_due_daily_summary(p_now timestamptz default now())
returns table (user_id uuid, time_zone text, summary_date date)
language sql
stable
security definer
set search_path = ''
as $$
  select c.user_id, z.tz, ((p_now at time zone z.tz)::date - 1) as summary_date
    from public.polybot_user_config c
    join public.polybot_user_profiles p on p.id = c.user_id and not p.is_suspended
    left join public.polybot_notification_settings s on s.user_id = c.user_id
   cross join lateral (select coalesce(s.time_zone, 'UTC') as tz) z
   where c.notify_daily_summary
     and exists (select 1 from public.polybot_notification_channels ch
                  where ch.user_id = c.user_id and ch.verified_at is not null and ch.enabled)
     and extract(hour from p_now at time zone z.tz) = coalesce(s.summary_hour, 8)
     and not exists (select 1 from public.polybot_notifications n
                      where n.user_id = c.user_id
                        and n.dedupe_key = 'daily_summary:' || ((p_now at time zone z.tz)::date - 1))
   order by c.user_id
$$;

-- daily_summary_data: the payload of a user's summary of one local day (DailySummaryPayloadSchema): realized P&L and
-- trades of that day, open positions and the monthly limit usage now.
create or replace function private.daily_summary_data(p_user_id uuid, p_date date, p_time_zone text)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'kind', 'daily_summary', 'date', p_date, 'time_zone', p_time_zone,
    'pnl_usd', coalesce(sum(t.realized_pnl_usd), 0)::float8,
    'trades', count(t.id),
    'open_positions', (select count(*) from public.polybot_positions o where o.user_id = p_user_id and o.status = 'open'),
    'trades_this_month', (select trades_this_month from public.polybot_user_profiles where id = p_user_id),
    'monthly_trade_limit', (select monthly_trade_limit from public.polybot_user_profiles where id = p_user_id))
    from public.polybot_trades t
   where t.user_id = p_user_id
     and t.created_at >= (p_date::timestamp at time zone p_time_zone)
     and t.created_at < ((p_date + 1)::timestamp at time zone p_time_zone)
$$;

-- send_daily_summaries: the hourly cron task's whole job — every due user's summary, once per user and day (dedupe
-- key daily_summary:<date>, so a re-run or a backfilled hour sends nothing twice). Returns how many were emitted.
create or replace function private.send_daily_summaries(p_now timestamptz default now())
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_due record;
  v_count integer := 0;
begin
  for v_due in select * from private.users_due_daily_summary(p_now) loop
    if private.emit_notification(v_due.user_id, 'daily_summary',
                                 private.daily_summary_data(v_due.user_id, v_due.summary_date, v_due.time_zone),
                                 'daily_summary:' || v_due.summary_date, p_now) is not null then
      v_count := v_count + 1;
    end if;
  end loop;
  return v_count;
end
$$;

do $$
declare
  v_fn text;
begin
  foreach v_fn in array array[
    'private.claim_notification_delivery(bigint)', 'private.mark_notification_sent(bigint)',
    'private.mark_notification_retrying(bigint, text)', 'private.mark_notification_dead(bigint, text)',
    'private.notification_webhook_secret(uuid)', 'private.flush_trade_notifications(uuid)',
    'private.users_due_daily_summary(timestamptz)', 'private.daily_summary_data(uuid, date, text)',
    'private.send_daily_summaries(timestamptz)']
  loop
    execute format('revoke execute on function %s from public, anon, authenticated, service_role', v_fn);
    execute format('grant execute on function %s to polybot_manager', v_fn);
  end loop;
end
$$;
