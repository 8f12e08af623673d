-- =====================================================================================================================
-- polybot_user_profiles: one row per user (created by handle_new_user, see ..._000900). Holds the subscription state
-- written by billing, the effective limits the runner enforces, the monthly trade counter, onboarding progress and
-- admin suspension. Users may read their row and change only their own presentation/onboarding fields; everything
-- that belongs to billing or operations is refused with an error that names the column.
-- =====================================================================================================================

create table if not exists public.polybot_user_profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text check (display_name is null or length(display_name) <= 100),
  email text,

  -- Subscription / billing (written only by billing through verified Stripe events)
  subscription_tier text not null default 'free' references public.polybot_plans (tier),
  subscription_status text not null default 'active'
    check (subscription_status in ('active', 'trialing', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'paused')),
  subscription_expires_at timestamptz,
  subscription_cancel_at_period_end boolean not null default false,
  stripe_customer_id text unique,
  stripe_subscription_id text,
  monthly_trade_limit integer not null default 100 check (monthly_trade_limit >= 0 and monthly_trade_limit <= 10000000),
  trades_this_month integer not null default 0 check (trades_this_month >= 0),
  trade_period_start timestamptz not null default date_trunc('month', now(), 'UTC'),

  -- Effective trading limits (copied from the tier; admins may override per user)
  max_trade_size_usd numeric(10, 2) not null default 50.00 check (max_trade_size_usd >= 1 and max_trade_size_usd <= 100000),
  max_daily_loss_usd numeric(10, 2) not null default 100.00 check (max_daily_loss_usd >= 1 and max_daily_loss_usd <= 1000000),
  max_positions integer not null default 5 check (max_positions >= 1 and max_positions <= 500),
  features_enabled jsonb not null default '{
      "copy_trading": false,
      "news_arbitrage": true,
      "cross_platform": false,
      "single_platform": true,
      "overlapping_arb": false
    }'::jsonb check (jsonb_typeof(features_enabled) = 'object'),
  live_trading_allowed boolean not null default false,

  -- Timestamps
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_active_at timestamptz,

  -- Onboarding
  onboarding_completed boolean not null default false,
  onboarding_step text not null default 'terms' check (onboarding_step in ('terms', 'platforms', 'risk', 'plan', 'done')),
  accepted_terms_at timestamptz,
  accepted_terms_version text check (accepted_terms_version is null or length(accepted_terms_version) <= 40),

  -- Operations
  is_suspended boolean not null default false,
  suspended_reason text,
  suspended_at timestamptz,

  constraint polybot_user_profiles_suspension_has_reason check (not is_suspended or suspended_reason is not null)
);

comment on table public.polybot_user_profiles is 'One row per user: subscription, effective limits, monthly trade counter, onboarding and suspension. Created by the handle_new_user trigger on auth.users.';
comment on column public.polybot_user_profiles.id is 'The user (auth.users.id).';
comment on column public.polybot_user_profiles.display_name is 'Name the user chose; shown in the app.';
comment on column public.polybot_user_profiles.email is 'Copy of the sign-up email for admin views. auth.users is the source of truth.';
comment on column public.polybot_user_profiles.subscription_tier is 'Current plan (polybot_plans.tier). Changed only by billing (verified Stripe events) or admins.';
comment on column public.polybot_user_profiles.subscription_status is 'Stripe subscription status mirrored by billing: active, trialing, past_due, unpaid, canceled, ...';
comment on column public.polybot_user_profiles.subscription_expires_at is 'End of the paid period (Stripe current_period_end). Null on free.';
comment on column public.polybot_user_profiles.subscription_cancel_at_period_end is 'True when the user cancelled: paid features last until subscription_expires_at.';
comment on column public.polybot_user_profiles.stripe_customer_id is 'Stripe customer (cus_...) reused for every checkout of this user.';
comment on column public.polybot_user_profiles.stripe_subscription_id is 'Current Stripe subscription (sub_...), if any.';
comment on column public.polybot_user_profiles.monthly_trade_limit is 'Trades allowed this calendar month (UTC). Copied from the plan on tier change.';
comment on column public.polybot_user_profiles.trades_this_month is 'Trades reserved this period by increment_user_trades (atomic; rolls over monthly).';
comment on column public.polybot_user_profiles.trade_period_start is 'Start (UTC) of the month trades_this_month counts.';
comment on column public.polybot_user_profiles.max_trade_size_usd is 'Plan cap on a single trade, USD.';
comment on column public.polybot_user_profiles.max_daily_loss_usd is 'Plan cap on daily loss, USD.';
comment on column public.polybot_user_profiles.max_positions is 'Plan cap on simultaneously open positions.';
comment on column public.polybot_user_profiles.features_enabled is 'Strategies the plan includes (copy of polybot_plans.features unless overridden).';
comment on column public.polybot_user_profiles.live_trading_allowed is 'Whether the plan allows real-money trading.';
comment on column public.polybot_user_profiles.created_at is 'When the user signed up.';
comment on column public.polybot_user_profiles.updated_at is 'Last change to this row.';
comment on column public.polybot_user_profiles.last_active_at is 'Last time the user used the web app.';
comment on column public.polybot_user_profiles.onboarding_completed is 'True once the onboarding wizard finished (plan chosen).';
comment on column public.polybot_user_profiles.onboarding_step is 'Wizard step to resume at: terms, platforms, risk, plan, done.';
comment on column public.polybot_user_profiles.accepted_terms_at is 'When the user accepted the terms.';
comment on column public.polybot_user_profiles.accepted_terms_version is 'Which version of the terms was accepted.';
comment on column public.polybot_user_profiles.is_suspended is 'Admin suspension: the bot is stopped and stays stopped. Use admin_suspend_user / admin_resume_user.';
comment on column public.polybot_user_profiles.suspended_reason is 'Why the user was suspended (shown to admins and the user).';
comment on column public.polybot_user_profiles.suspended_at is 'When the suspension started.';

create index if not exists polybot_user_profiles_tier_idx on public.polybot_user_profiles (subscription_tier);

-- ---------------------------------------------------------------------------------------------------------------------
-- Guard: users change only their own presentation and onboarding fields. Postgres column privileges would refuse the
-- rest with a generic "permission denied for table"; this trigger refuses with the column's name and who owns it.
-- It looks at current_user, so security definer functions (billing, admin, increment_user_trades) pass.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.protect_profile_fields()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_user_editable constant text[] := array[
    'display_name', 'last_active_at', 'onboarding_completed', 'onboarding_step', 'accepted_terms_at',
    'accepted_terms_version', 'updated_at'];
  v_old jsonb := to_jsonb(old) - v_user_editable;
  v_new jsonb := to_jsonb(new) - v_user_editable;
  v_column text;
begin
  if current_user not in ('authenticated', 'anon') or v_old = v_new then
    return new;
  end if;
  select k into v_column from jsonb_object_keys(v_new) as k where v_new -> k is distinct from v_old -> k order by k limit 1;
  raise exception 'polybot_user_profiles.% cannot be changed by the user', v_column
    using errcode = '42501',
          detail = case
            when v_column like 'subscription%' or v_column like 'stripe%' then 'It is managed by billing: change your plan on the billing page.'
            when v_column in ('is_suspended', 'suspended_reason', 'suspended_at') then 'Suspension is managed by PolyBot support.'
            when v_column in ('trades_this_month', 'trade_period_start') then 'The trade counter is maintained by the platform.'
            else 'Limits and features come from your plan.'
          end;
end
$$;
revoke execute on function private.protect_profile_fields() from public, anon, authenticated;

drop trigger if exists _010_protect_profile_fields on public.polybot_user_profiles;
create trigger _010_protect_profile_fields before update on public.polybot_user_profiles
  for each row execute function private.protect_profile_fields();

-- ---------------------------------------------------------------------------------------------------------------------
-- A tier change brings that tier's limits with it (billing only writes the tier).
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.apply_plan_limits()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_plan public.polybot_plans%rowtype;
begin
  if tg_op = 'UPDATE' and new.subscription_tier is not distinct from old.subscription_tier then
    return new;
  end if;
  select * into strict v_plan from public.polybot_plans where tier = new.subscription_tier;
  new.monthly_trade_limit := v_plan.monthly_trade_limit;
  new.max_trade_size_usd := v_plan.max_trade_size_usd;
  new.max_daily_loss_usd := v_plan.max_daily_loss_usd;
  new.max_positions := v_plan.max_positions;
  new.features_enabled := v_plan.features;
  new.live_trading_allowed := v_plan.live_trading_allowed;
  return new;
end
$$;
revoke execute on function private.apply_plan_limits() from public, anon, authenticated;

drop trigger if exists _100_apply_plan_limits on public.polybot_user_profiles;
create trigger _100_apply_plan_limits before insert or update of subscription_tier on public.polybot_user_profiles
  for each row execute function private.apply_plan_limits();

drop trigger if exists _100_set_updated_at on public.polybot_user_profiles;
create trigger _100_set_updated_at before update on public.polybot_user_profiles
  for each row execute function private.set_updated_at();

-- The trade counter and activity stamps change constantly and mean nothing to a running bot.
drop trigger if exists _900_notify_user_changed on public.polybot_user_profiles;
create trigger _900_notify_user_changed after insert or update or delete on public.polybot_user_profiles
  for each row execute function private.notify_user_changed('id', 'trades_this_month,trade_period_start,last_active_at');

-- ---------------------------------------------------------------------------------------------------------------------
-- Grants and RLS
-- ---------------------------------------------------------------------------------------------------------------------
alter table public.polybot_user_profiles enable row level security;
grant select, update on public.polybot_user_profiles to authenticated;
grant select, insert, update, delete on public.polybot_user_profiles to service_role;

drop policy if exists "Users can read their own profile" on public.polybot_user_profiles;
create policy "Users can read their own profile" on public.polybot_user_profiles
  for select to authenticated using (id = (select auth.uid()));

drop policy if exists "Users can update their own profile" on public.polybot_user_profiles;
create policy "Users can update their own profile" on public.polybot_user_profiles
  for update to authenticated using (id = (select auth.uid())) with check (id = (select auth.uid()));
