-- =====================================================================================================================
-- polybot_web: the web app's least-privilege database role (docs/SECURITY.md §1.1).
--
-- The web server is internet-facing; until now it connected as `postgres`, which can read vault.decrypted_secrets and
-- run get_user_secrets_decrypted, so any code execution or leaked environment there exposed every user's keys. The web
-- does two things with the database:
--   1. everything a signed-in user reads or changes, through packages/db `withUser`: one transaction,
--      `set local role authenticated` and the verified claims in request.jwt.claims, so RLS decides (as PostgREST does);
--   2. billing's one write users may not make themselves: storing the Stripe customer it created for the signed-in user
--      (the profile guard refuses stripe_* columns to `authenticated`). That is the definer function below.
-- So this role holds exactly: membership in `authenticated` (to SET ROLE to it, not to use its grants directly) and
-- EXECUTE on private.store_own_stripe_customer. It owns nothing, so it can create, alter or drop nothing; it has no
-- grant on vault, on any table, or on any other function.
--
-- The role is NOLOGIN: an operator creates the login on hosted Supabase
-- (`create role polybot_web_login login password '…' in role polybot_web;`, docs/SECURITY.md §1.1); locally and in
-- tests packages/local-stack `localLoginUrl({ groupRole: 'polybot_web' })` creates `polybot_web_local`.
-- =====================================================================================================================

-- Created only if missing: roles are cluster-wide, so another database of the same cluster (a branch, a local second
-- stack) may have created it already. The attributes are re-asserted either way.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'polybot_web') then
    create role polybot_web nologin noinherit;
  end if;
end
$$;
-- NOINHERIT: the role may `set role authenticated` (withUser) but does not hold authenticated's table privileges while
-- it is still itself, so every user-data query runs under RLS with claims set, never beside it. (SUPERUSER, BYPASSRLS
-- and REPLICATION only a superuser can grant, and this role is created without them.)
alter role polybot_web nologin noinherit nocreatedb nocreaterole;
comment on role polybot_web is
  'The web app''s group role (docs/SECURITY.md 1.1): may become authenticated (withUser) and store the signed-in user''s Stripe customer once. Logins are members of it.';

grant authenticated to polybot_web;

-- ---------------------------------------------------------------------------------------------------------------------
-- Billing: store the Stripe customer created for the signed-in user, once.
--
-- Acts only on auth.uid() (the claims the web sets from the user's verified token) and only while the profile has no
-- customer yet: two concurrent first checkouts agree on one customer, and a customer already stored is never replaced.
-- Not callable by `authenticated`: a user could otherwise point their profile at someone else's Stripe customer and open
-- that customer's billing portal. The web calls it as polybot_web with the user's claims set (packages/db
-- `storeOwnStripeCustomerOnce`). In `private`, so the Data API does not expose it.
-- Returns the stored customer id; null when the user has no profile.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.store_own_stripe_customer(p_customer_id text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_stored text;
begin
  if v_user is null then
    raise exception 'store_own_stripe_customer: no signed-in user (request.jwt.claims has no sub)' using errcode = '42501';
  end if;
  -- Stripe customer ids are `cus_` and a short alphanumeric tail; anything else is not one.
  if p_customer_id is null or p_customer_id !~ '^cus_[A-Za-z0-9]{1,100}$' then
    raise exception 'store_own_stripe_customer: % is not a Stripe customer id', coalesce(p_customer_id, 'null')
      using errcode = '22023';
  end if;
  update public.polybot_user_profiles
     set stripe_customer_id = coalesce(stripe_customer_id, p_customer_id)
   where id = v_user
  returning stripe_customer_id into v_stored;
  return v_stored;
end
$$;
revoke execute on function private.store_own_stripe_customer(text) from public, anon, authenticated, service_role;
grant usage on schema private to polybot_web;
grant execute on function private.store_own_stripe_customer(text) to polybot_web;
comment on function private.store_own_stripe_customer(text) is
  'The web (polybot_web) stores the Stripe customer it created for the signed-in user (auth.uid()) unless one is stored; returns the stored id, null without a profile.';
