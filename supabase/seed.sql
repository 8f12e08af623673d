-- =====================================================================================================================
-- Demo data for local runs (`npm run db:reset`, first `npm start`). Never applied to a hosted project.
-- Three demo users who finished onboarding on the free plan, paper trading. Password for all: polybot-demo
-- =====================================================================================================================

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
   set onboarding_completed = true, onboarding_step = 'done', accepted_terms_at = now(), accepted_terms_version = '2026-11'
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

-- The demo scenario's real links (packages/local-stack/scenarios/arb-rich/links.json, the approved ones; kept equal to
-- it by apps/bot-manager/test/demo-seed.test.ts), entered by an admin and approved the way an admin approves in
-- Studio: through the audited admin_review_market_link (reviewed_by, reviewed_at, an audit row each).
insert into public.polybot_market_links
  (relation, a_platform, a_market_id, a_title, b_platform, b_market_id, b_title, notes)
values
  ('equivalent', 'polymarket', '0xde04b189b3f19eaccda02529a3ea67abfc46bff5c0c8fc42d8a2d0ed7b8f0d41', 'Will there be no change in Fed interest rates after the June 2026 meeting?',
   'kalshi', 'KXFEDDECISION-26JUN-H0', 'Will the Federal Reserve leave rates unchanged at its June 2026 meeting? — No change', 'Fed ''No change'' at the June 2026 FOMC'),
  ('equivalent', 'polymarket', '0xdde06286a7b9464d344f410ab0b3d2ebc6469904e72c27fd982f65fdbf78768d', 'Will the Fed decrease interest rates by 25 bps after the June 2026 meeting?',
   'kalshi', 'KXFEDDECISION-26JUN-C25', 'Will the Federal Reserve cut 25bps at its June 2026 meeting? — Cut 25bps', 'Fed cuts 25 bps'),
  ('equivalent', 'polymarket', '0xa7cb4135c6d9c36da0e343874dd5b455de739c6d1b9f9f5583dd9320aacf5db2', 'Will the Fed increase interest rates by 25 bps after the June 2026 meeting?',
   'kalshi', 'KXFEDDECISION-26JUN-H25', 'Will the Federal Reserve hike 25bps at its June 2026 meeting? — Hike 25bps', 'Fed hikes 25 bps'),
  ('implies', 'polymarket', '0x065d62d74f1852f82a49e9c1660e18058d9add321e86f4ad7301383790cf994e', 'Will Elon tweet 300-324 times April 4 - 11?',
   'kalshi', 'KXELONTWEETS-26APR10-324.5', 'Will Elon Musk post 300 to 349 times on X the week ending Apr 10, 2026? — 300 to 349', 'Polymarket ''300-324'' implies Kalshi ''300 to 349'''),
  ('implies', 'polymarket', '0x0b94241121080bf02c841c4a65122ec19663423c80a7d39ffa7efeb7732bb979', 'Will Elon tweet 325-349 times April 4 - 11?',
   'kalshi', 'KXELONTWEETS-26APR10-324.5', 'Will Elon Musk post 300 to 349 times on X the week ending Apr 10, 2026? — 300 to 349', '''325-349'' implies ''300 to 349'''),
  ('implies', 'polymarket', '0x22d22c65779f09d31e52228866c6f86d017f44369a3ae7fa9a523876ab2e3e1a', 'Will Elon tweet 350-374 times April 4 - 11?',
   'kalshi', 'KXELONTWEETS-26APR10-374.5', 'Will Elon Musk post 350 to 399 times on X the week ending Apr 10, 2026? — 350 to 399', '''350-374'' implies ''350 to 399''')
on conflict do nothing;

select public.admin_review_market_link(id, 'approved', null)
  from public.polybot_market_links
 where status = 'proposed' and proposed_by = 'admin'
 order by id;
