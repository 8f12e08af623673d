-- =====================================================================================================================
-- "Resend confirmation" for an email channel (issue 16's settings page). A confirmation link works for 24 hours and
-- once; a user whose mail was lost, filtered or expired had to remove the address and add it again. This function
-- gives the signed-in user's own, still unverified email channel a fresh token (24 hours again) and returns it once for
-- the web to mail; the old link stops working (only the new token's hash is kept). The web counts the mail against the
-- confirmation limit first (private.limit_user_sends('confirmation'), 20261211000100), so resending cannot be used to
-- mail an address more often than adding it could.
-- Refused (22023) for a channel that is not the caller's, not an email, or already verified: nothing to confirm.
-- =====================================================================================================================

create or replace function public.renew_email_confirmation(p_channel_id uuid)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.require_user();
  v_token text := private.new_token();
  v_found boolean;
begin
  update public.polybot_notification_channels
     set confirm_token_hash = private.token_hash(v_token), confirm_expires_at = now() + interval '24 hours'
   where id = p_channel_id and user_id = v_user and kind = 'email' and verified_at is null
  returning true into v_found;
  if v_found is null then
    raise exception 'renew_email_confirmation: no unconfirmed email channel of yours with this id' using errcode = '22023';
  end if;
  return v_token;
end
$$;
comment on function public.renew_email_confirmation(uuid) is
  'A fresh 24-hour confirmation token for the caller''s own unverified email channel (returned once; the old link stops working).';
revoke execute on function public.renew_email_confirmation(uuid) from public, anon, service_role;
grant execute on function public.renew_email_confirmation(uuid) to authenticated;
