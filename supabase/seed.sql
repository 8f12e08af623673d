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
