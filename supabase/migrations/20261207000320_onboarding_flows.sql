-- =====================================================================================================================
-- Onboarding and terms go through functions the Data API cannot skip (issue 14 item 3). Users could set
-- accepted_terms_at (any date), accepted_terms_version (any text), onboarding_step and onboarding_completed directly,
-- so a token alone could "finish" onboarding (which starts a bot: bot_run_decisions) without terms or a plan.
--   * accept_terms(p_version): stamps the server's time and only the current terms version
--     (private.current_terms_version(), equal to TERMS_VERSION in packages/schemas/src/terms.ts: terms.test.ts).
--   * advance_onboarding(p_step): the wizard's steps in order (ONBOARDING_STEPS, packages/db/src/user/onboarding.ts),
--     one at a time, never backwards (asking again for a step already reached changes nothing), each only when its
--     conditions hold: past the terms, terms accepted; to the plan step and to done, the config row present; done only
--     from the plan step (a plan chosen: Free is one, a paid plan arrives through Checkout and the webhook).
--     onboarding_completed is true exactly when the step is done.
--   * private.protect_profile_fields: users may no longer write those four columns themselves.
-- =====================================================================================================================

-- The terms version users accept now. A new wording is a new version: change TERMS_VERSION and this together (a new
-- migration replacing this function); terms.test.ts fails while they differ.
create or replace function private.current_terms_version()
returns text
language sql
immutable
set search_path = ''
as $$ select '2026-11-01'::text $$;
revoke execute on function private.current_terms_version() from public, anon, authenticated;

create or replace function public.accept_terms(p_version text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_current constant text := private.current_terms_version();
begin
  if v_uid is null then
    raise exception 'accept_terms needs a signed-in user' using errcode = '42501';
  end if;
  if p_version is distinct from v_current then
    raise exception 'Terms version % is not the current one: reload the page and accept version %.',
      coalesce(left(p_version, 40), 'null'), v_current using errcode = '22023';
  end if;
  -- Accepting the same version again keeps the first acceptance time (a double submit changes nothing).
  update public.polybot_user_profiles
     set accepted_terms_at = case when accepted_terms_version = v_current and accepted_terms_at is not null
                                  then accepted_terms_at else now() end,
         accepted_terms_version = v_current,
         onboarding_step = case when onboarding_step = 'terms' then 'platforms' else onboarding_step end
   where id = v_uid;
  perform private.audit(v_uid, 'terms.accepted', 'polybot_user_profiles', jsonb_build_object('version', v_current));
end
$$;
revoke execute on function public.accept_terms(text) from public, anon, authenticated, service_role;
grant execute on function public.accept_terms(text) to authenticated;
comment on function public.accept_terms(text) is
  'The caller accepts the terms: only the current version (private.current_terms_version), stamped with the server''s time; moves the wizard past its terms step.';

create or replace function public.advance_onboarding(p_step text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_steps constant text[] := array['terms', 'platforms', 'risk', 'plan', 'done'];
  v_uid uuid := auth.uid();
  v_profile public.polybot_user_profiles%rowtype;
  v_from int;
  v_to int := array_position(c_steps, p_step);
begin
  if v_uid is null then
    raise exception 'advance_onboarding needs a signed-in user' using errcode = '42501';
  end if;
  if v_to is null then
    raise exception 'unknown onboarding step: %', coalesce(left(p_step, 40), 'null') using errcode = '22023',
      hint = 'Steps: platforms, risk, plan, done.';
  end if;
  select * into strict v_profile from public.polybot_user_profiles where id = v_uid for update;
  v_from := array_position(c_steps, v_profile.onboarding_step);
  if v_to <= v_from then
    return v_profile.onboarding_step; -- already there or past it: never backwards
  end if;
  if v_to > v_from + 1 then
    raise exception 'Finish the % step first.', v_profile.onboarding_step using errcode = 'P0001';
  end if;
  if v_profile.accepted_terms_at is null then
    raise exception 'Accept the terms first.' using errcode = 'P0001';
  end if;
  if p_step in ('plan', 'done')
     and not exists (select 1 from public.polybot_user_config where user_id = v_uid) then
    raise exception 'Your bot has no configuration yet: save the risk and strategies step first.' using errcode = 'P0001';
  end if;
  update public.polybot_user_profiles
     set onboarding_step = p_step, onboarding_completed = (p_step = 'done')
   where id = v_uid;
  if p_step = 'done' then
    perform private.audit(v_uid, 'onboarding.completed', 'polybot_user_profiles',
      jsonb_build_object('tier', v_profile.subscription_tier));
  end if;
  return p_step;
end
$$;
revoke execute on function public.advance_onboarding(text) from public, anon, authenticated, service_role;
grant execute on function public.advance_onboarding(text) to authenticated;
comment on function public.advance_onboarding(text) is
  'The caller''s onboarding wizard moves one step forward (platforms, risk, plan, done) when its conditions hold: terms accepted; config present for plan and done; done only from the plan step. Returns the step the caller is on.';

-- ---------------------------------------------------------------------------------------------------------------------
-- The profile guard of 20261125000300, with the onboarding and terms columns no longer user-editable: only the name
-- and the activity stamp are.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.protect_profile_fields()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_user_editable constant text[] := array['display_name', 'last_active_at', 'updated_at'];
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
            when v_column in ('accepted_terms_at', 'accepted_terms_version') then 'Accept the terms with accept_terms(version).'
            when v_column in ('onboarding_step', 'onboarding_completed') then 'Onboarding moves forward with advance_onboarding(step).'
            else 'Limits and features come from your plan.'
          end;
end
$$;
revoke execute on function private.protect_profile_fields() from public, anon, authenticated;
