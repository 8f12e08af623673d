-- =====================================================================================================================
-- No function is callable by the Data API's roles unless a migration grants it on purpose.
--
-- Postgres grants EXECUTE on every new function to PUBLIC (and so to anon and authenticated), and hosted Supabase
-- projects created before the 2026 default-privilege change also grant it to anon/authenticated/service_role per
-- schema. Every migration so far revokes by hand after `create function`; one forgotten revoke would expose a
-- security definer function to anyone holding the anon key. This makes "granted to nobody" the default, so a forgotten
-- grant fails closed (a test notices the missing call) instead of open. supabase/tests/function-grants.test.ts lists
-- who may execute each function in the exposed schemas and fails on any function not in its reviewed list.
--
-- `for role postgres`: default privileges belong to the role that creates the object. Migrations run as `postgres`
-- both on hosted Supabase (`supabase db push`) and locally (packages/local-stack setupDatabase's migrateUrl), so the
-- functions they create are owned by postgres; packages/local-stack/src/postgres/bootstrap.sql uses the same role.
-- =====================================================================================================================

-- PUBLIC's EXECUTE is a built-in global default. Per-schema default privileges (`in schema ...`) can only add to the
-- global ones, never remove them (ALTER DEFAULT PRIVILEGES, Notes), so this revocation is global: it covers functions
-- postgres creates in any schema (public and private alike; every existing migration already revokes it by hand).
alter default privileges for role postgres revoke execute on functions from public;

-- anon and authenticated get EXECUTE per schema on older hosted projects (and are already revoked by the 2026 default
-- on new ones and in bootstrap.sql); revoked here too so the rule holds on every project, whatever its age.
-- service_role is left as the platform configured it: it bypasses RLS anyway, and its grants are reviewed by the test.
alter default privileges for role postgres in schema public revoke execute on functions from anon, authenticated;
