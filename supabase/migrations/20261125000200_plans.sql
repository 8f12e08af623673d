-- =====================================================================================================================
-- polybot_plans: what each subscription tier allows. Reference data, edited by admins in Studio; billing maps Stripe
-- prices to tiers through `stripe_price_id` (set per environment, see README "Billing").
-- A profile copies its tier's limits when the tier changes (see polybot_user_profiles), so admins can still give one
-- user a custom limit without inventing a tier.
-- =====================================================================================================================

create table if not exists public.polybot_plans (
  tier text primary key check (tier in ('free', 'basic', 'pro', 'enterprise')),
  display_name text not null check (length(display_name) between 1 and 60),
  description text not null default '',
  price_usd_monthly numeric(10, 2) not null default 0 check (price_usd_monthly >= 0 and price_usd_monthly <= 100000),
  monthly_trade_limit integer not null check (monthly_trade_limit >= 0 and monthly_trade_limit <= 10000000),
  max_trade_size_usd numeric(10, 2) not null check (max_trade_size_usd >= 1 and max_trade_size_usd <= 100000),
  max_daily_loss_usd numeric(10, 2) not null check (max_daily_loss_usd >= 1 and max_daily_loss_usd <= 1000000),
  max_positions integer not null check (max_positions >= 1 and max_positions <= 500),
  features jsonb not null default '{}'::jsonb check (jsonb_typeof(features) = 'object'),
  live_trading_allowed boolean not null default false,
  stripe_price_id text unique,
  sort_order integer not null default 0,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.polybot_plans is 'Subscription tiers and what each allows. One row per tier; edit limits here, not in code.';
comment on column public.polybot_plans.tier is 'Tier key: free, basic, pro or enterprise. Referenced by polybot_user_profiles.subscription_tier.';
comment on column public.polybot_plans.display_name is 'Name shown to users on the pricing and billing pages.';
comment on column public.polybot_plans.price_usd_monthly is 'Display price in USD per month. Stripe''s price (stripe_price_id) is what is actually charged.';
comment on column public.polybot_plans.monthly_trade_limit is 'Trades per calendar month (UTC) a user on this tier may place. Copied to the profile on tier change.';
comment on column public.polybot_plans.max_trade_size_usd is 'Largest single trade in USD. The runner uses the smaller of this and the user''s own config.';
comment on column public.polybot_plans.max_daily_loss_usd is 'Daily loss cap in USD (realized + marked-to-market). The runner uses the smaller of this and the user''s config.';
comment on column public.polybot_plans.max_positions is 'Maximum simultaneously open positions.';
comment on column public.polybot_plans.features is 'Strategies this tier includes: {"single_platform","cross_platform","overlapping_arb","news_arbitrage","copy_trading"} → boolean.';
comment on column public.polybot_plans.live_trading_allowed is 'Whether this tier may trade with real money. Without it every bot is paper-only.';
comment on column public.polybot_plans.stripe_price_id is 'Stripe recurring price id (price_...) for this tier; null for free. Set per environment.';
comment on column public.polybot_plans.sort_order is 'Display order on the pricing page.';
comment on column public.polybot_plans.is_active is 'Inactive tiers cannot be chosen by new subscribers; existing subscribers keep them.';

drop trigger if exists _100_set_updated_at on public.polybot_plans;
create trigger _100_set_updated_at before update on public.polybot_plans
  for each row execute function private.set_updated_at();

-- ---------------------------------------------------------------------------------------------------------------------
-- Grants and RLS: anyone may read the catalogue (pricing page); only the service and admins change it.
-- ---------------------------------------------------------------------------------------------------------------------
alter table public.polybot_plans enable row level security;
grant select on public.polybot_plans to anon, authenticated;
grant select, insert, update, delete on public.polybot_plans to service_role;

drop policy if exists "Anyone can read the plan catalogue" on public.polybot_plans;
create policy "Anyone can read the plan catalogue" on public.polybot_plans
  for select to anon, authenticated using (true);

-- ---------------------------------------------------------------------------------------------------------------------
-- The four tiers. Inserted only if missing so an admin's later edits survive re-running.
-- ---------------------------------------------------------------------------------------------------------------------
insert into public.polybot_plans
  (tier, display_name, description, price_usd_monthly, monthly_trade_limit, max_trade_size_usd, max_daily_loss_usd,
   max_positions, features, live_trading_allowed, sort_order)
values
  ('free', 'Free', 'Paper trading with single-platform arbitrage and news signals.', 0, 100, 50, 100, 5,
   '{"single_platform": true, "news_arbitrage": true, "cross_platform": false, "overlapping_arb": false, "copy_trading": false}',
   false, 10),
  ('basic', 'Basic', 'Live trading, cross-platform arbitrage.', 29, 1000, 250, 500, 15,
   '{"single_platform": true, "news_arbitrage": true, "cross_platform": true, "overlapping_arb": false, "copy_trading": false}',
   true, 20),
  ('pro', 'Pro', 'Every strategy, higher limits.', 99, 10000, 1000, 2500, 50,
   '{"single_platform": true, "news_arbitrage": true, "cross_platform": true, "overlapping_arb": true, "copy_trading": true}',
   true, 30),
  ('enterprise', 'Enterprise', 'Custom limits for desks.', 499, 100000, 10000, 25000, 200,
   '{"single_platform": true, "news_arbitrage": true, "cross_platform": true, "overlapping_arb": true, "copy_trading": true}',
   true, 40)
on conflict (tier) do nothing;
