-- =====================================================================================================================
-- Shared helpers used by every later migration:
--   * schema `private` for security definer helpers (not exposed through the Data API);
--   * `private.set_updated_at()`   — BEFORE UPDATE trigger keeping updated_at honest;
--   * `private.notify_user_changed()` — AFTER trigger that tells the BotManager a user's bot may need to change;
--   * `private.audit()`            — the one way rows get into polybot_audit_log (defined with that table).
-- Trigger names carry a numeric prefix so their firing order (alphabetical in Postgres) is deliberate:
-- _010_ guards, _100_ timestamps/derivations, _900_ notifications.
-- =====================================================================================================================

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to service_role;
comment on schema private is 'PolyBot internals: security definer helpers and trigger functions. Not exposed to the Data API.';

-- ---------------------------------------------------------------------------------------------------------------------
-- updated_at
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.set_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;
revoke execute on function private.set_updated_at() from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_user_changed notifications
--
-- Payload is ids only (user id, table, operation): never a document, never a secret, far below the 8000-byte limit.
-- The user id column is passed as the trigger argument because tables name it differently (profiles use `id`).
-- Rows that did not really change (UPDATE with identical values) do not notify; the optional second argument lists
-- columns whose changes alone are not news to the bot (e.g. the trade counter the runner itself just bumped).
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.notify_user_changed()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_user_col text := coalesce(tg_argv[0], 'user_id');
  v_ignored text[] := array['updated_at'] || coalesce(string_to_array(tg_argv[1], ','), '{}'::text[]);
  v_row jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
begin
  if tg_op = 'UPDATE' and (to_jsonb(old) - v_ignored) = (to_jsonb(new) - v_ignored) then
    return null;
  end if;
  perform pg_notify(
    'polybot_user_changed',
    json_build_object('user_id', v_row ->> v_user_col, 'table', tg_table_name, 'op', lower(tg_op))::text
  );
  return null;
end
$$;
revoke execute on function private.notify_user_changed() from public, anon, authenticated;
comment on function private.notify_user_changed() is
  'AFTER trigger: pg_notify(''polybot_user_changed'', {user_id, table, op}). The BotManager LISTENs and reconciles that user.';
