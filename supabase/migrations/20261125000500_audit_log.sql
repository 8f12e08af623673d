-- =====================================================================================================================
-- polybot_audit_log: who changed what. Written only by triggers and security definer functions (private.audit);
-- never holds a secret — key changes are recorded by platform, mode and key hint only. Users can read the entries
-- about themselves; nobody but the service can write or erase them.
-- =====================================================================================================================

create table if not exists public.polybot_audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  user_id uuid references auth.users (id) on delete set null,
  actor_id uuid,
  actor_role text not null,
  action text not null check (length(action) between 1 and 100),
  table_name text,
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object')
);

comment on table public.polybot_audit_log is 'Audit trail: config changes, key saves/rotations/deletions, suspensions and other admin actions. Secrets are never recorded.';
comment on column public.polybot_audit_log.occurred_at is 'When it happened.';
comment on column public.polybot_audit_log.user_id is 'The user the action concerns.';
comment on column public.polybot_audit_log.actor_id is 'Who did it (auth.users.id) when a signed-in user did; null for admins and the platform.';
comment on column public.polybot_audit_log.actor_role is 'Database role that did it: authenticated (the user), service_role (platform), postgres (admin in Studio).';
comment on column public.polybot_audit_log.action is 'What happened, e.g. config.updated, secret.saved, secret.rotated, secret.deleted, user.suspended.';
comment on column public.polybot_audit_log.table_name is 'Table the action changed, if any.';
comment on column public.polybot_audit_log.details is 'Non-secret details (changed column names, platform, mode, key hint, reason).';

create index if not exists polybot_audit_log_user_idx on public.polybot_audit_log (user_id, occurred_at desc);

create or replace function private.audit(p_user_id uuid, p_action text, p_table text, p_details jsonb)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.polybot_audit_log (user_id, actor_id, actor_role, action, table_name, details)
  values (
    p_user_id,
    auth.uid(),
    coalesce(nullif(auth.role(), ''), session_user::text),
    p_action,
    p_table,
    coalesce(p_details, '{}'::jsonb)
  );
$$;
revoke execute on function private.audit(uuid, text, text, jsonb) from public, anon, authenticated;

-- Config changes are audited by the columns that changed, never the values of free-form JSON.
create or replace function private.audit_config_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_changed text[];
begin
  select array_agg(k order by k) into v_changed
    from jsonb_object_keys(to_jsonb(new)) as k
   where k not in ('updated_at', 'config_version') and to_jsonb(new) -> k is distinct from to_jsonb(old) -> k;
  if v_changed is not null then
    perform private.audit(new.user_id, 'config.updated', tg_table_name,
      jsonb_build_object('changed', to_jsonb(v_changed), 'config_version', new.config_version));
  end if;
  return null;
end
$$;
revoke execute on function private.audit_config_change() from public, anon, authenticated;

drop trigger if exists _800_audit_config_change on public.polybot_user_config;
create trigger _800_audit_config_change after update on public.polybot_user_config
  for each row execute function private.audit_config_change();

alter table public.polybot_audit_log enable row level security;
grant select on public.polybot_audit_log to authenticated;
grant select, insert, delete on public.polybot_audit_log to service_role;

drop policy if exists "Users can read audit entries about themselves" on public.polybot_audit_log;
create policy "Users can read audit entries about themselves" on public.polybot_audit_log
  for select to authenticated using (user_id = (select auth.uid()));
