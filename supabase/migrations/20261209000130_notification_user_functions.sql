-- =====================================================================================================================
-- What a signed-in user does with their notifications (the web app calls these as the user: withUser). Each is
-- security definer with an empty search_path, acts only on auth.uid()'s rows, and checks the same formats and limits as
-- packages/schemas (notification-settings.ts). Tokens and secrets are returned once and stored hashed or in Vault.
-- =====================================================================================================================

-- The signed-in user, or an error (these functions have no meaning without one).
create or replace function private.require_user()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'no signed-in user (request.jwt.claims has no sub)' using errcode = '42501';
  end if;
  return auth.uid();
end
$$;
revoke execute on function private.require_user() from public, anon, authenticated;

-- A random URL-safe token (32 bytes) and the sha256 stored in its place.
create or replace function private.new_token()
returns text
language sql
volatile
set search_path = ''
as $$ select translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/=', '-_') $$;
revoke execute on function private.new_token() from public, anon, authenticated;

create or replace function private.token_hash(p_token text)
returns bytea
language sql
immutable
set search_path = ''
as $$ select sha256(convert_to(p_token, 'UTF8')) $$;
revoke execute on function private.token_hash(text) from public, anon, authenticated;

-- A Standard Webhooks signing secret: whsec_ + base64 of 24 random bytes.
create or replace function private.new_webhook_secret()
returns text
language sql
volatile
set search_path = ''
as $$ select 'whsec_' || encode(extensions.gen_random_bytes(24), 'base64') $$;
revoke execute on function private.new_webhook_secret() from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------------------------------
-- add_notification_channel: email (unverified, returns the confirmation token to mail), webhook (verified, returns its
-- signing secret once), slack / discord (verified: the URL is the user's own incoming webhook). Telegram channels are
-- made by linking a chat (create_telegram_link_token, then the bot), never typed in. At most 10 channels per user.
-- Returns {id, confirm_token?, webhook_secret?}.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.add_notification_channel(p_kind text, p_target text, p_label text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.require_user();
  v_id uuid := gen_random_uuid();
  v_target text := btrim(p_target);
  v_token text;
  v_secret text;
begin
  if p_kind is null or p_kind not in ('email', 'webhook', 'slack', 'discord') then
    raise exception 'add_notification_channel: kind must be email, webhook, slack or discord (telegram is linked from the bot)'
      using errcode = '22023';
  end if;
  if p_kind = 'email' then
    v_target := lower(v_target);
  end if;
  -- One at a time per user, so two concurrent adds cannot both pass the count.
  perform 1 from public.polybot_user_profiles where id = v_user for update;
  if (select count(*) from public.polybot_notification_channels where user_id = v_user) >= 10 then
    raise exception 'add_notification_channel: at most 10 channels' using errcode = '54000';
  end if;
  if p_kind = 'email' then
    v_token := private.new_token();
  elsif p_kind = 'webhook' then
    v_secret := private.new_webhook_secret();
  end if;
  insert into public.polybot_notification_channels
    (id, user_id, kind, target, label, verified_at, confirm_token_hash, confirm_expires_at, webhook_secret_id)
  values (v_id, v_user, p_kind, v_target, nullif(btrim(p_label), ''),
          case when p_kind = 'email' then null else now() end,
          private.token_hash(v_token),
          case when v_token is not null then now() + interval '24 hours' end,
          case when v_secret is not null
               then vault.create_secret(v_secret, 'notification_webhook:' || v_id, 'PolyBot webhook signing secret') end);
  return jsonb_strip_nulls(jsonb_build_object('id', v_id, 'confirm_token', v_token, 'webhook_secret', v_secret));
end
$$;

-- ---------------------------------------------------------------------------------------------------------------------
-- confirm_notification_channel: the token from the confirmation email verifies the signed-in user's address (24 h).
-- Returns the channel id; an unknown, expired or someone else's token is an error.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.confirm_notification_channel(p_token text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.require_user();
  v_id uuid;
begin
  update public.polybot_notification_channels
     set verified_at = now(), confirm_token_hash = null, confirm_expires_at = null
   where confirm_token_hash = private.token_hash(coalesce(p_token, ''))
     and user_id = v_user and confirm_expires_at > now()
  returning id into v_id;
  if v_id is null then
    raise exception 'confirm_notification_channel: unknown or expired token' using errcode = '22023';
  end if;
  return v_id;
end
$$;

-- remove_notification_channel: deletes the user's channel (and its Vault secret). False when it is not theirs.
create or replace function public.remove_notification_channel(p_channel_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_secret uuid;
  v_found boolean;
begin
  delete from public.polybot_notification_channels
   where id = p_channel_id and user_id = private.require_user()
  returning webhook_secret_id, true into v_secret, v_found;
  if v_secret is not null then
    delete from vault.secrets where id = v_secret;
  end if;
  return coalesce(v_found, false);
end
$$;

-- set_notification_channel_enabled: turns the user's channel on or off. False when it is not theirs.
create or replace function public.set_notification_channel_enabled(p_channel_id uuid, p_enabled boolean)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_found boolean;
begin
  if p_enabled is null then
    raise exception 'set_notification_channel_enabled: enabled must be true or false' using errcode = '22023';
  end if;
  update public.polybot_notification_channels set enabled = p_enabled
   where id = p_channel_id and user_id = private.require_user()
  returning true into v_found;
  return coalesce(v_found, false);
end
$$;

-- rotate_webhook_secret: a new signing secret for the user's webhook channel, returned once (the old one stops working).
create or replace function public.rotate_webhook_secret(p_channel_id uuid)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_channel public.polybot_notification_channels;
  v_secret text := private.new_webhook_secret();
begin
  select * into v_channel from public.polybot_notification_channels
   where id = p_channel_id and user_id = private.require_user() and kind = 'webhook'
     for update;
  if v_channel.id is null then
    raise exception 'rotate_webhook_secret: no such webhook channel' using errcode = '22023';
  end if;
  update public.polybot_notification_channels
     set webhook_secret_id = private.put_vault_secret(v_channel.webhook_secret_id, v_secret,
                                                      'notification_webhook:' || v_channel.id)
   where id = v_channel.id;
  return v_secret;
end
$$;

-- create_telegram_link_token: a one-time token (15 minutes) the user sends the bot as /start <token>; earlier unused
-- tokens of the user are dropped. Stored as its sha256.
create or replace function public.create_telegram_link_token()
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.require_user();
  v_token text := private.new_token();
begin
  delete from private.telegram_link_tokens where user_id = v_user or expires_at < now();
  insert into private.telegram_link_tokens (token_hash, user_id, expires_at)
  values (private.token_hash(v_token), v_user, now() + interval '15 minutes');
  return v_token;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------------
-- update_notification_settings: the whole settings row (NotificationSettingsSchema). The time zone must be one Postgres
-- knows; routes may name only the user's own channels, only known kinds, and may not leave an alert (always-on kind)
-- with no verified channel while the user has one. Returns the saved row.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.update_notification_settings(
  p_time_zone text, p_summary_hour integer, p_quiet_start integer, p_quiet_end integer, p_routes jsonb)
returns public.polybot_notification_settings
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.require_user();
  v_kind text;
  v_ids jsonb;
  v_row public.polybot_notification_settings;
begin
  if p_time_zone is null or not exists (select 1 from pg_catalog.pg_timezone_names where name = p_time_zone) then
    raise exception 'update_notification_settings: % is not a time zone', coalesce(p_time_zone, 'null') using errcode = '22023';
  end if;
  if jsonb_typeof(p_routes) is distinct from 'object' then
    raise exception 'update_notification_settings: routes must be an object' using errcode = '22023';
  end if;
  for v_kind, v_ids in select key, value from jsonb_each(p_routes) loop
    if v_kind not in ('trade_executed', 'opportunity_found', 'daily_summary', 'bot_stopped', 'bot_error',
                      'key_invalid', 'loss_limit_reached', 'monthly_limit_reached', 'payment_failed', 'plan_ended',
                      'suspended', 'resumed') then
      raise exception 'update_notification_settings: % is not an event kind', v_kind using errcode = '22023';
    end if;
    if jsonb_typeof(v_ids) <> 'array' or exists (
         select 1 from jsonb_array_elements(v_ids) e
          where jsonb_typeof(e) <> 'string'
             or not exists (select 1 from public.polybot_notification_channels c
                             where c.user_id = v_user and c.id::text = e #>> '{}')) then
      raise exception 'update_notification_settings: routes.% must list your own channel ids', v_kind using errcode = '22023';
    end if;
    if private.is_alert_event(v_kind)
       and exists (select 1 from public.polybot_notification_channels
                    where user_id = v_user and verified_at is not null and enabled)
       and not exists (select 1 from public.polybot_notification_channels c, jsonb_array_elements_text(v_ids) e
                        where c.id::text = e and c.verified_at is not null and c.enabled) then
      raise exception 'update_notification_settings: % is an alert and must go to at least one verified channel', v_kind
        using errcode = '22023';
    end if;
  end loop;
  insert into public.polybot_notification_settings (user_id, time_zone, summary_hour, quiet_start, quiet_end, routes)
  values (v_user, p_time_zone, p_summary_hour, p_quiet_start, p_quiet_end, p_routes)
  on conflict (user_id) do update
     set time_zone = excluded.time_zone, summary_hour = excluded.summary_hour, quiet_start = excluded.quiet_start,
         quiet_end = excluded.quiet_end, routes = excluded.routes
  returning * into v_row;
  return v_row;
end
$$;

revoke execute on function public.add_notification_channel(text, text, text) from public, anon;
revoke execute on function public.confirm_notification_channel(text) from public, anon;
revoke execute on function public.remove_notification_channel(uuid) from public, anon;
revoke execute on function public.set_notification_channel_enabled(uuid, boolean) from public, anon;
revoke execute on function public.rotate_webhook_secret(uuid) from public, anon;
revoke execute on function public.create_telegram_link_token() from public, anon;
revoke execute on function public.update_notification_settings(text, integer, integer, integer, jsonb) from public, anon;
grant execute on function public.add_notification_channel(text, text, text) to authenticated;
grant execute on function public.confirm_notification_channel(text) to authenticated;
grant execute on function public.remove_notification_channel(uuid) to authenticated;
grant execute on function public.set_notification_channel_enabled(uuid, boolean) to authenticated;
grant execute on function public.rotate_webhook_secret(uuid) to authenticated;
grant execute on function public.create_telegram_link_token() to authenticated;
grant execute on function public.update_notification_settings(text, integer, integer, integer, jsonb) to authenticated;
