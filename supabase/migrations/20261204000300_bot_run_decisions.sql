-- =====================================================================================================================
-- One place decides whether a user's bot should run and, if not, why not.
--   * bot_run_decisions(user?) — per user: should_run, a machine-readable reason code, the words the status row shows
--                                (halt_reason) and the state it shows (suspended, paused or stopped).
--   * list_desired_bots()     — unchanged contract (the BotManager's desired state), now the should_run rows of the above.
-- Before this, list_desired_bots held the rule and the BotManager's whyNotRunning re-derived the reasons in TypeScript;
-- the two could drift (a new rule stops a bot and the dashboard names none). The wording of `reason` is exactly what
-- whyNotRunning wrote, so nothing a user sees changes.
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- The decision, one row per user (or one row for p_user_id, even when that user does not exist). The checks run in a
-- fixed order and the first that fails is the reason: a user who matches several (suspended and paused) is shown the
-- one that matters most, as the web app does. Reason codes (values of polybot_bot_status.halt_code, BotHaltCode in
-- @polybot/schemas; supabase/tests/bot-run-decisions.test.ts reads every case through getBotRunDecision, which
-- parses the code with BotHaltCodeSchema):
--   account_missing        no profile row (the user is gone)                  state stopped
--   suspended              suspended by support                               state suspended
--   onboarding_incomplete  onboarding is not finished                         state stopped
--   no_config              no polybot_user_config row yet                     state stopped
--   paused_by_user         the user's pause switch (bot_enabled = false)      state paused
--   subscription_inactive  a paid tier whose Stripe status may not trade      state stopped
--   stopped_by_service     should_run is true: the bot service stopped it anyway (shutdown, a user gone mid-reload)
-- Subscription statuses that may trade on a paid tier: active, trialing and past_due (the dunning grace period);
-- the free tier trades whatever its status.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.bot_run_decisions(p_user_id uuid default null)
returns table (
  user_id uuid,
  should_run boolean,
  reason_code text,
  reason text,
  idle_state text,
  subscription_tier text,
  config_version bigint
)
language sql
stable
security definer
set search_path = ''
as $$
  with ids (id) as (
    -- Everyone (the BotManager's reconcile), or exactly the one user asked about, found or not.
    select p.id from public.polybot_user_profiles p where p_user_id is null
    union all
    select p_user_id where p_user_id is not null
  ),
  checked as (
    select ids.id,
           case
             when p.id is null then 'account_missing'
             when p.is_suspended then 'suspended'
             when not p.onboarding_completed then 'onboarding_incomplete'
             when c.user_id is null then 'no_config'
             when not c.bot_enabled then 'paused_by_user'
             when p.subscription_tier <> 'free'
                  and p.subscription_status not in ('active', 'trialing', 'past_due') then 'subscription_inactive'
           end as failed,
           p.is_suspended, p.suspended_reason, p.subscription_tier, p.subscription_status, c.config_version
      from ids
      left join public.polybot_user_profiles p on p.id = ids.id
      left join public.polybot_user_config c on c.user_id = ids.id
  )
  select k.id,
         k.failed is null,
         coalesce(k.failed, 'stopped_by_service'),
         case coalesce(k.failed, 'stopped_by_service')
           when 'account_missing' then 'account not found'
           when 'suspended' then 'suspended by PolyBot support: ' || coalesce(k.suspended_reason, 'no reason given')
           when 'onboarding_incomplete' then 'onboarding is not finished'
           when 'no_config' then 'no bot settings saved yet'
           when 'paused_by_user' then 'paused by you'
           when 'subscription_inactive' then
             format('the %s subscription is %s: trading stays stopped until it is paid or you choose another plan',
                    k.subscription_tier, replace(k.subscription_status, '_', ' '))
           else 'stopped by the bot service'
         end,
         case k.failed when 'suspended' then 'suspended' when 'paused_by_user' then 'paused' else 'stopped' end,
         k.subscription_tier,
         k.config_version
    from checked k
   order by k.id;
$$;
revoke execute on function public.bot_run_decisions(uuid) from public, anon, authenticated;
grant execute on function public.bot_run_decisions(uuid) to service_role;
comment on function public.bot_run_decisions(uuid) is
  'Service only: whether each user''s bot should run (or p_user_id''s), and if not the reason code, the words and the state the bot status row shows. The one home of the run rule; list_desired_bots is built on it.';

-- ---------------------------------------------------------------------------------------------------------------------
-- Same signature, same rows as before: the users whose bot should be running right now, in user id order.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.list_desired_bots()
returns table (user_id uuid, subscription_tier text, config_version bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select d.user_id, d.subscription_tier, d.config_version
    from public.bot_run_decisions() d
   where d.should_run
   order by d.user_id;
$$;
revoke execute on function public.list_desired_bots() from public, anon, authenticated;
grant execute on function public.list_desired_bots() to service_role;
comment on function public.list_desired_bots() is
  'Service only: users whose bot should be running right now (the should_run rows of bot_run_decisions).';
