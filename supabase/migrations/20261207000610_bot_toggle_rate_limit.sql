-- =====================================================================================================================
-- Pause/resume toggles are rate-limited where no client can skip it (issue 14, SECURITY.md §7.3).
-- Every change of polybot_user_config.bot_enabled stops or starts the user's runner (a process fork, its init, its
-- venue connections). The web's Pause/Resume button (apps/web/src/app/actions/config.ts setBotEnabled) is not the only
-- way to write it: a signed-in user can PATCH their config row through the Data API as fast as they like. So the limit
-- lives in a trigger on the column:
--   at most 6 changes of bot_enabled per user in any 10 minutes, made by a signed-in user (auth.uid() set). The
--   platform's own writes (the service role, an operator in Studio) are not counted or limited.
-- A refused change raises SQLSTATE 54000 (program_limit_exceeded) with words the web shows as they are: how many, in
-- how long, and when the user can try again. Nothing else of the row is refused: other config changes are not
-- toggles (they reload the runner in place, no restart).
-- The toggles are kept in private.bot_toggles (not exposed through the Data API; only this trigger reads or writes
-- it), pruned of anything older than the window on each toggle, so a user has at most 6 rows there.
-- =====================================================================================================================

create table if not exists private.bot_toggles (
  user_id uuid not null references public.polybot_user_config (user_id) on delete cascade,
  toggled_at timestamptz not null default now()
);
create index if not exists bot_toggles_user_time on private.bot_toggles (user_id, toggled_at);
comment on table private.bot_toggles is
  'When each user changed bot_enabled (pause/resume) within the last 10 minutes: the rate limit of private.limit_bot_toggles.';
revoke all on table private.bot_toggles from public, anon, authenticated, service_role;

create or replace function private.limit_bot_toggles()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_max constant integer := 6;
  c_window constant interval := interval '10 minutes';
  v_recent integer;
  v_oldest timestamptz;
  v_wait_minutes integer;
begin
  if new.bot_enabled is not distinct from old.bot_enabled or (select auth.uid()) is null then
    return new;
  end if;
  -- The row lock this update holds serializes a user's toggles: the count below cannot race another toggle.
  delete from private.bot_toggles where user_id = new.user_id and toggled_at <= now() - c_window;
  select count(*), min(toggled_at) into v_recent, v_oldest from private.bot_toggles where user_id = new.user_id;
  if v_recent >= c_max then
    v_wait_minutes := greatest(1, ceil(extract(epoch from (v_oldest + c_window - now())) / 60)::integer);
    raise exception using
      errcode = '54000',
      message = format(
        'You paused or resumed your bot %s times in the last %s minutes, the most allowed: each time restarts it. '
        'Try again in %s minute%s.',
        v_recent, extract(epoch from c_window)::integer / 60, v_wait_minutes,
        case when v_wait_minutes = 1 then '' else 's' end);
  end if;
  insert into private.bot_toggles (user_id) values (new.user_id);
  return new;
end
$$;
revoke execute on function private.limit_bot_toggles() from public, anon, authenticated;

drop trigger if exists _050_limit_bot_toggles on public.polybot_user_config;
create trigger _050_limit_bot_toggles before update of bot_enabled on public.polybot_user_config
  for each row execute function private.limit_bot_toggles();
