-- =====================================================================================================================
-- Keys stay true (issue 13): the bot-manager now checks every valid key with its venue again, hourly by default
-- (apps/bot-manager/src/manager/key-revalidation.ts). A re-check that finds the key still valid moves
-- last_validated_at (that is what schedules the next one) but is not news: the audit log records a validation only
-- when it changes what the platform knows — the status or the venue's words — so an unchanged key does not add a row
-- every hour for as long as the user trades. Same signature, grants and callers as 20261125000600; only the audit
-- condition is new.
-- =====================================================================================================================

create or replace function public.set_user_secret_validation(
  p_user_id uuid, p_platform text, p_is_paper boolean, p_status text, p_error text
) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before record;
  v_error text := case when p_status = 'valid' then null else left(p_error, 500) end;
begin
  select validation_status, validation_error into v_before
    from public.polybot_user_secrets
   where user_id = p_user_id and platform = p_platform and is_paper = p_is_paper
   for update;
  if not found then
    return false;
  end if;
  update public.polybot_user_secrets
     set validation_status = p_status,
         validation_error = v_error,
         last_validated_at = now()
   where user_id = p_user_id and platform = p_platform and is_paper = p_is_paper;
  if v_before.validation_status is distinct from p_status or v_before.validation_error is distinct from v_error then
    perform private.audit(p_user_id, 'secret.validated', 'polybot_user_secrets',
      jsonb_build_object('platform', p_platform, 'is_paper', p_is_paper, 'status', p_status));
  end if;
  return true;
end
$$;
revoke execute on function public.set_user_secret_validation(uuid, text, boolean, text, text) from public, anon, authenticated;
grant execute on function public.set_user_secret_validation(uuid, text, boolean, text, text) to service_role;
