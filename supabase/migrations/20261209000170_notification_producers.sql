-- =====================================================================================================================
-- Event producers (docs/NOTIFICATIONS.md "Events and data"): triggers on the tables where each cause is written, so
-- the notification (or the job that makes it) commits or rolls back with its cause, whoever writes it (the bot-manager,
-- billing, an admin in Studio). Each fires on a real change only: an update that leaves the watched columns as they
-- were emits nothing. Security definer: the writer (polybot_manager, billing, admins) needs no grant on the queue.
--
--   polybot_trades insert           → job flush_trade_notifications {userId}, job_key trades:<user>, 5 s later, when
--                                     the user's notify_on_trade is on and they have a verified enabled channel
--                                     (preserve_run_at: a burst is one job, one message)
--   polybot_bot_status update       → bot_error (state becomes error), bot_stopped (state becomes, or stays with a new
--                                     code, stopped by the service: stopped_by_service, cpu_budget; a user's pause, a
--                                     restart, a suspension or an ended plan have events of their own or none),
--                                     loss_limit_reached / monthly_limit_reached
--                                     (halt_code becomes daily_loss_limit / monthly_limit_reached)
--   polybot_user_secrets update     → key_invalid (validation_status becomes invalid or expired)
--   polybot_user_profiles update    → payment_failed (status becomes past_due), plan_ended (unpaid, canceled,
--                                     incomplete_expired, or a paid tier back to free), suspended / resumed
-- =====================================================================================================================

create or replace function private.queue_trade_notifications()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Only for a user who wants trade messages and has somewhere to send them: no job per trade for everyone else.
  if coalesce((select notify_on_trade from public.polybot_user_config where user_id = new.user_id), false)
     and exists (select 1 from public.polybot_notification_channels
                  where user_id = new.user_id and verified_at is not null and enabled) then
    perform graphile_worker.add_job('flush_trade_notifications', json_build_object('userId', new.user_id),
                                    run_at => now() + interval '5 seconds', max_attempts => 5,
                                    job_key => 'trades:' || new.user_id, job_key_mode => 'preserve_run_at');
  end if;
  return null;
end
$$;
revoke execute on function private.queue_trade_notifications() from public, anon, authenticated;

drop trigger if exists _900_queue_trade_notifications on public.polybot_trades;
create trigger _900_queue_trade_notifications after insert on public.polybot_trades
  for each row execute function private.queue_trade_notifications();

-- The bot's state and halt: one notification per transition.
create or replace function private.notify_bot_status_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.state = 'error' and old.state is distinct from 'error' then
    perform private.emit_notification(new.user_id, 'bot_error', jsonb_build_object(
      'code', coalesce(new.error_code, 'runner_error'),
      'reason', left(coalesce(nullif(new.last_error, ''), 'Your bot stopped on an error.'), 500)));
  elsif new.state = 'stopped' and new.halt_code in ('stopped_by_service', 'cpu_budget')
        and (old.state is distinct from 'stopped' or old.halt_code is distinct from new.halt_code) then
    perform private.emit_notification(new.user_id, 'bot_stopped', jsonb_build_object(
      'code', new.halt_code,
      'reason', left(coalesce(nullif(new.halt_reason, ''), 'Your bot was stopped.'), 500)));
  end if;
  if new.halt_code is distinct from old.halt_code and new.halt_code in ('daily_loss_limit', 'monthly_limit_reached') then
    perform private.emit_notification(new.user_id,
      case new.halt_code when 'daily_loss_limit' then 'loss_limit_reached' else 'monthly_limit_reached' end,
      jsonb_build_object('code', new.halt_code,
        'reason', left(coalesce(nullif(new.halt_reason, ''), case new.halt_code
          when 'daily_loss_limit' then 'Today''s loss reached your daily limit: no new positions until tomorrow.'
          else 'Your monthly trade limit is reached: no new trades this month.' end), 500)));
  end if;
  return null;
end
$$;
revoke execute on function private.notify_bot_status_change() from public, anon, authenticated;

drop trigger if exists _900_notify_bot_status_change on public.polybot_bot_status;
create trigger _900_notify_bot_status_change after update of state, halt_code on public.polybot_bot_status
  for each row execute function private.notify_bot_status_change();

-- A venue key turning invalid or expired.
create or replace function private.notify_key_invalid()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.validation_status in ('invalid', 'expired')
     and old.validation_status is distinct from new.validation_status then
    perform private.emit_notification(new.user_id, 'key_invalid', jsonb_build_object(
      'code', new.validation_status, 'venue', new.platform,
      'mode', case when new.is_paper then 'paper' else 'live' end,
      'reason', left(coalesce(nullif(new.validation_error, ''),
                              initcap(new.platform) || ' no longer accepts your ' ||
                              case when new.is_paper then 'paper' else 'live' end || ' key.'), 500)));
  end if;
  return null;
end
$$;
revoke execute on function private.notify_key_invalid() from public, anon, authenticated;

drop trigger if exists _900_notify_key_invalid on public.polybot_user_secrets;
create trigger _900_notify_key_invalid after update of validation_status on public.polybot_user_secrets
  for each row execute function private.notify_key_invalid();

-- Billing and suspension, from the profile.
create or replace function private.notify_profile_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ended constant text[] := array['unpaid', 'canceled', 'incomplete_expired'];
begin
  if old.subscription_tier <> 'free' and (
       (new.subscription_tier = 'free')
       or (new.subscription_status = any (v_ended) and not old.subscription_status = any (v_ended))) then
    perform private.emit_notification(new.id, 'plan_ended', jsonb_build_object(
      'code', new.subscription_status,
      'reason', 'Your ' || initcap(old.subscription_tier) || ' plan ended; your bot runs on the free plan''s limits.'));
  elsif new.subscription_status = 'past_due' and old.subscription_status is distinct from 'past_due' then
    perform private.emit_notification(new.id, 'payment_failed', jsonb_build_object(
      'code', 'past_due',
      'reason', 'Your last payment failed. Update your payment method to keep your plan.'));
  end if;
  if new.is_suspended and not old.is_suspended then
    perform private.emit_notification(new.id, 'suspended', jsonb_build_object(
      'code', 'suspended', 'reason', left(coalesce(nullif(new.suspended_reason, ''), 'Your account was suspended.'), 500)));
  elsif old.is_suspended and not new.is_suspended then
    perform private.emit_notification(new.id, 'resumed', jsonb_build_object(
      'code', 'resumed', 'reason', 'Your account was reinstated; your bot may run again.'));
  end if;
  return null;
end
$$;
revoke execute on function private.notify_profile_change() from public, anon, authenticated;

drop trigger if exists _900_notify_profile_change on public.polybot_user_profiles;
create trigger _900_notify_profile_change
  after update of subscription_tier, subscription_status, is_suspended on public.polybot_user_profiles
  for each row execute function private.notify_profile_change();
