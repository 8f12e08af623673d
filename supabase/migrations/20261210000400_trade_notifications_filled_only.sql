-- =====================================================================================================================
-- Trade notifications tell of trades that executed. A booked order that filled nothing (cancelled, rejected, a FOK
-- that missed) is a row in polybot_trades too, and "Bought 0 contracts at $0.55" read like a trade. Trades are booked
-- once with their final filled_size (nothing updates it later), so filled_size > 0 is decided at insert:
--   - the insert trigger queues no flush job for a row that filled nothing;
--   - the flush counts and lists only filled rows; its cursor still moves past the others; nothing filled → no event.
-- Same functions as 20261209000160/0170 otherwise (create or replace keeps their grants).
-- =====================================================================================================================

create or replace function private.queue_trade_notifications()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Only for a fill, and for a user who wants trade messages and has somewhere to send them.
  if coalesce(new.filled_size, 0) > 0
     and coalesce((select notify_on_trade from public.polybot_user_config where user_id = new.user_id), false)
     and exists (select 1 from public.polybot_notification_channels
                  where user_id = new.user_id and verified_at is not null and enabled) then
    perform graphile_worker.add_job('flush_trade_notifications', json_build_object('userId', new.user_id),
                                    run_at => now() + interval '5 seconds', max_attempts => 5,
                                    job_key => 'trades:' || new.user_id, job_key_mode => 'preserve_run_at');
  end if;
  return null;
end
$$;

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
  select max(id), count(*) filter (where filled_size > 0) into v_last, v_count
    from public.polybot_trades where user_id = p_user_id and id > v_after;
  if v_last is null then
    return null;
  end if;
  update private.trade_notification_cursors set last_trade_id = v_last where user_id = p_user_id;
  if v_count = 0
     or not coalesce((select notify_on_trade from public.polybot_user_config where user_id = p_user_id), false) then
    return null;
  end if;
  select jsonb_agg(jsonb_build_object(
           'venue', t.platform, 'market_title', coalesce(t.market_title, t.market_id), 'side', t.side,
           'size', t.filled_size, 'price', coalesce(t.price, t.limit_price), 'mode', t.mode,
           'at', to_jsonb(coalesce(t.executed_at, t.created_at))) order by t.id desc)
    into v_trades
    from (select * from public.polybot_trades
           where user_id = p_user_id and id > v_after and filled_size > 0 order by id desc limit 20) t;
  return private.emit_notification(p_user_id, 'trade_executed', jsonb_build_object('count', v_count, 'trades', v_trades));
end
$$;
