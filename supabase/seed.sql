-- =====================================================================================================================
-- Demo data for local runs (`npm run db:reset`, first `npm start`). Never applied to a hosted project.
-- Three demo users who finished onboarding on the free plan, paper trading. Password for all: polybot-demo
-- =====================================================================================================================

-- Guard first: known passwords must never reach a linked production project (`supabase db reset --linked`,
-- `supabase db push --include-seed`, a pasted script). Only a database the local stack bootstrapped has the marker
-- polybot_local.instance (packages/local-stack/src/postgres/bootstrap.sql); hosted Supabase never does. Read from the
-- catalog, so no privilege on the schema is needed to see that it is missing. docs/SECURITY.md §10.2.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'polybot_local' and c.relname = 'instance') then
    raise exception 'supabase/seed.sql refused: this is not a local-stack database (no polybot_local.instance marker). The seed creates demo users with a known password and runs only on the local stack (npm start, npm run db:reset).'
      using errcode = '42501';
  end if;
end
$$;

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                        raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', d.id, 'authenticated', 'authenticated', d.email,
       extensions.crypt('polybot-demo', extensions.gen_salt('bf', 10)), now(),
       '{"provider": "email", "providers": ["email"]}', jsonb_build_object('display_name', d.display_name), now(), now()
  from (values
    ('11111111-1111-4111-8111-111111111111'::uuid, 'alice@demo.polybot.local', 'Alice (demo)'),
    ('22222222-2222-4222-8222-222222222222'::uuid, 'bob@demo.polybot.local', 'Bob (demo)'),
    ('33333333-3333-4333-8333-333333333333'::uuid, 'carol@demo.polybot.local', 'Carol (demo)')
  ) as d (id, email, display_name)
on conflict (id) do nothing;

-- handle_new_user created their profiles and configs; finish their onboarding.
update public.polybot_user_profiles
   set onboarding_completed = true, onboarding_step = 'done', accepted_terms_at = now(), accepted_terms_version = '2026-11-01'
 where id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333');

update public.polybot_user_config
   set dry_run = true, min_profit_pct = 0.5, enable_cross_platform_arb = false
 where user_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333');

-- ---------------------------------------------------------------------------------------------------------------------
-- Cross-platform and overlapping arbitrage in the demo (issue 12 item 7). Both need approved market links and a plan
-- that includes them: Carol is moved to Pro by an admin (no Stripe subscription: Settings → Billing says there is
-- nothing to manage) and has both strategies on, with room for Pro's 50 open positions; Alice and Bob stay on Free.
-- ---------------------------------------------------------------------------------------------------------------------
update public.polybot_user_profiles
   set subscription_tier = 'pro', subscription_status = 'active'
 where id = '33333333-3333-4333-8333-333333333333';

update public.polybot_user_config
   set enable_cross_platform_arb = true, enable_overlapping_arb = true, max_open_positions = 50
 where user_id = '33333333-3333-4333-8333-333333333333';

-- The demo scenario's real links (packages/local-stack/scenarios/live/links.json, the approved ones; kept equal to it
-- by apps/bot-manager/test/demo-seed.test.ts), entered by an admin and approved the way an admin approves in
-- Studio: through the audited admin_review_market_link (reviewed_by, reviewed_at, an audit row each).
insert into public.polybot_market_links
  (relation, a_platform, a_market_id, a_title, b_platform, b_market_id, b_title, notes)
values
  ('equivalent', 'polymarket', '0xe9d404b8b2d51a65e726f13d975ab7d180ae46a924db71fed44be7a6bc338520', 'Will the Fed cut rates at the March 2027 meeting?',
   'kalshi', 'KXFEDCUT-27MAR-CUT', 'Will the Fed cut rates in March 2027? — Cut', 'Fed cuts rates at the March 2027 meeting'),
  ('equivalent', 'polymarket', '0x9d3dcf2dda84fac7b421a4e098d2f81440ca6780832e37a71992f156a87832bb', 'US recession in 2027?',
   'kalshi', 'KXRECSS-27-Y', 'Will the US enter a recession in 2027? — Recession', 'US recession in 2027'),
  ('implies', 'polymarket', '0x47d82ca1ae38ba61296b1c476252251d200a31617c91115c6f157e07cf8d5834', 'Will Bitcoin reach $150,000 in 2026?',
   'kalshi', 'KXBTCY-26DEC31-T120000', 'Bitcoin above $120,000 on Dec 31, 2026? — Above $120,000', 'Bitcoin reaching $150,000 in 2026 implies Bitcoin above $120,000 on Dec 31, 2026')
on conflict do nothing;

select public.admin_review_market_link(id, 'approved', null)
  from public.polybot_market_links
 where status = 'proposed' and proposed_by = 'admin'
 order by id;
