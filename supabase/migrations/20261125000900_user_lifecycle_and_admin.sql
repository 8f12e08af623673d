-- =====================================================================================================================
-- User lifecycle and operations:
--   * handle_new_user        — sign-up creates the profile, default config and bot status row.
--   * increment_user_trades  — the monthly trade limit, reserved atomically in one statement.
--   * list_desired_bots      — which users' bots should run (the BotManager's desired state).
--   * admin_suspend_user / admin_resume_user and the admin_user_overview view, for admins in Studio.
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- Sign-up. Runs as supabase_auth_admin's insert into auth.users, hence security definer with an empty search_path.
-- If it fails, sign-up fails: a user never exists without a profile.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.polybot_user_profiles (id, email, display_name)
  values (
    new.id,
    new.email,
    left(nullif(btrim(coalesce(new.raw_user_meta_data ->> 'display_name', new.raw_user_meta_data ->> 'full_name', '')), ''), 100)
  );
  insert into public.polybot_user_config (user_id) values (new.id);
  insert into public.polybot_bot_status (user_id) values (new.id);
  return new;
end
$$;
revoke execute on function private.handle_new_user() from public, anon, authenticated;

drop trigger if exists on_auth_user_created on auth.users;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

-- Keep the profile's email copy in step when a user changes it.
create or replace function private.handle_user_email_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.polybot_user_profiles set email = new.email where id = new.id;
  return new;
end
$$;
revoke execute on function private.handle_user_email_change() from public, anon, authenticated;

drop trigger if exists on_auth_user_email_changed on auth.users;
create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function private.handle_user_email_change();

-- ---------------------------------------------------------------------------------------------------------------------
-- increment_user_trades: reserve one trade against the monthly limit. One UPDATE does it all — roll the period over
-- when the month (UTC) changed, then increment only while under the limit — so concurrent callers serialize on the
-- row lock and re-check the condition: exactly as many succeed as there is room for. Suspended users get nothing.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.increment_user_trades(p_user_id uuid)
returns boolean
language sql
volatile
security definer
set search_path = ''
as $$
  with reserved as (
    update public.polybot_user_profiles p
       set trades_this_month = case
             when p.trade_period_start < date_trunc('month', now(), 'UTC') then 1
             else p.trades_this_month + 1
           end,
           trade_period_start = greatest(p.trade_period_start, date_trunc('month', now(), 'UTC'))
     where p.id = p_user_id
       and not p.is_suspended
       and case
             when p.trade_period_start < date_trunc('month', now(), 'UTC') then p.monthly_trade_limit > 0
             else p.trades_this_month < p.monthly_trade_limit
           end
    returning 1
  )
  select exists (select 1 from reserved);
$$;
revoke execute on function public.increment_user_trades(uuid) from public, anon, authenticated;
grant execute on function public.increment_user_trades(uuid) to service_role;
comment on function public.increment_user_trades(uuid) is
  'Service only: atomically reserve one trade of the user''s monthly limit (rolling the UTC month over). True = reserved.';

-- ---------------------------------------------------------------------------------------------------------------------
-- Desired state for the BotManager: onboarded, not suspended, bot enabled, a plan that allows trading, a config.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.list_desired_bots()
returns table (user_id uuid, subscription_tier text, config_version bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select p.id, p.subscription_tier, c.config_version
    from public.polybot_user_profiles p
    join public.polybot_user_config c on c.user_id = p.id
   where p.onboarding_completed
     and not p.is_suspended
     and c.bot_enabled
     and (p.subscription_tier = 'free' or p.subscription_status in ('active', 'trialing', 'past_due'))
   order by p.id;
$$;
revoke execute on function public.list_desired_bots() from public, anon, authenticated;
grant execute on function public.list_desired_bots() to service_role;
comment on function public.list_desired_bots() is 'Service only: users whose bot should be running right now.';

-- ---------------------------------------------------------------------------------------------------------------------
-- Admin actions (Studio runs as postgres; the platform may call them as service_role). Audited; the profile change
-- reaches the BotManager through the profile's NOTIFY trigger.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.admin_suspend_user(p_user_id uuid, p_reason text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if nullif(btrim(p_reason), '') is null then
    raise exception 'a reason is required to suspend a user' using errcode = '22023';
  end if;
  update public.polybot_user_profiles
     set is_suspended = true, suspended_reason = left(btrim(p_reason), 500), suspended_at = now()
   where id = p_user_id;
  if not found then
    raise exception 'no user %', p_user_id using errcode = 'P0002';
  end if;
  perform private.audit(p_user_id, 'user.suspended', 'polybot_user_profiles', jsonb_build_object('reason', left(btrim(p_reason), 500)));
end
$$;

create or replace function public.admin_resume_user(p_user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.polybot_user_profiles
     set is_suspended = false, suspended_reason = null, suspended_at = null
   where id = p_user_id;
  if not found then
    raise exception 'no user %', p_user_id using errcode = 'P0002';
  end if;
  perform private.audit(p_user_id, 'user.resumed', 'polybot_user_profiles', '{}'::jsonb);
end
$$;

revoke execute on function public.admin_suspend_user(uuid, text) from public, anon, authenticated;
revoke execute on function public.admin_resume_user(uuid) from public, anon, authenticated;
grant execute on function public.admin_suspend_user(uuid, text) to service_role;
grant execute on function public.admin_resume_user(uuid) to service_role;
comment on function public.admin_suspend_user(uuid, text) is 'Admin: stop a user''s bot and keep it stopped, with a reason (audited).';
comment on function public.admin_resume_user(uuid) is 'Admin: lift a suspension (audited).';

-- ---------------------------------------------------------------------------------------------------------------------
-- admin_user_overview: one line per user for Studio. It reads auth.users with its owner's rights, so only the
-- service and admins (who can see every row anyway) are granted it; anon and authenticated get nothing.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace view public.admin_user_overview as
select p.id as user_id,
       u.email,
       p.display_name,
       p.subscription_tier as tier,
       p.subscription_status,
       p.is_suspended,
       p.suspended_reason,
       p.onboarding_completed,
       c.bot_enabled,
       c.dry_run,
       coalesce(s.state, 'stopped') as bot_state,
       s.mode as bot_mode,
       case when p.trade_period_start < date_trunc('month', now(), 'UTC') then 0 else p.trades_this_month end
         as trades_this_month,
       p.monthly_trade_limit,
       s.heartbeat_at as last_heartbeat_at,
       s.last_error,
       s.last_error_at,
       p.created_at as signed_up_at
  from public.polybot_user_profiles p
  join auth.users u on u.id = p.id
  left join public.polybot_user_config c on c.user_id = p.id
  left join public.polybot_bot_status s on s.user_id = p.id;

comment on view public.admin_user_overview is 'Admin overview: user, email, tier, bot state, trades this month vs limit, last heartbeat, last error. Not readable by anon/authenticated.';
revoke all on public.admin_user_overview from public, anon, authenticated;
grant select on public.admin_user_overview to service_role;
