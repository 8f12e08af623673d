-- =====================================================================================================================
-- Telegram linking, for the web app's server (the Telegram bot's webhook / poller lives there): it receives
-- "/start <token>" from a chat and links that chat to the user who created the token; later commands from a chat are
-- answered for the user it is linked to. Granted to polybot_web only (it acts for whoever wrote to the bot, not for a
-- signed-in user); in `private`, so the Data API does not expose them.
-- =====================================================================================================================

-- link_telegram_chat: consumes a link token (one-time, unexpired) and makes (or re-verifies) the user's telegram
-- channel for the chat. Returns the user id; null for an unknown, used or expired token.
create or replace function private.link_telegram_chat(p_token text, p_chat_id text, p_username text default null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid;
  v_label text := case when nullif(btrim(p_username), '') is null then null
                       else left('@' || ltrim(btrim(p_username), '@'), 60) end;
begin
  if p_chat_id is null or p_chat_id !~ '^-?[0-9]{1,20}$' then
    raise exception 'link_telegram_chat: % is not a Telegram chat id', coalesce(p_chat_id, 'null') using errcode = '22023';
  end if;
  delete from private.telegram_link_tokens
   where token_hash = private.token_hash(coalesce(p_token, '')) and expires_at > now()
  returning user_id into v_user;
  if v_user is null then
    return null;
  end if;
  if not exists (select 1 from public.polybot_notification_channels where user_id = v_user and kind = 'telegram'
                                                                      and target = p_chat_id)
     and (select count(*) from public.polybot_notification_channels where user_id = v_user) >= 10 then
    raise exception 'link_telegram_chat: at most 10 channels' using errcode = '54000';
  end if;
  insert into public.polybot_notification_channels (user_id, kind, target, label, verified_at)
  values (v_user, 'telegram', p_chat_id, v_label, now())
  on conflict (user_id, kind, target) do update
     set verified_at = now(), enabled = true, label = coalesce(excluded.label, polybot_notification_channels.label);
  return v_user;
end
$$;

-- telegram_user_for_chat: the user a chat is linked to (a verified telegram channel), or null.
create or replace function private.telegram_user_for_chat(p_chat_id text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select user_id from public.polybot_notification_channels
   where kind = 'telegram' and target = p_chat_id and verified_at is not null
   order by verified_at desc
   limit 1
$$;

revoke execute on function private.link_telegram_chat(text, text, text) from public, anon, authenticated, service_role;
revoke execute on function private.telegram_user_for_chat(text) from public, anon, authenticated, service_role;
grant execute on function private.link_telegram_chat(text, text, text) to polybot_web;
grant execute on function private.telegram_user_for_chat(text) to polybot_web;
