-- =====================================================================================================================
-- Every channel is verified by proving it receives (issue 16: "email confirmation, webhook test, Telegram link
-- status"): an email by its confirmation link, a Telegram chat by linking it from the chat, and now a webhook, Slack
-- or Discord URL by a test message it accepted. Until then nothing is sent to it (emit_notification picks verified
-- channels only), so a mistyped URL collects no dead letters and a receiver that does not exist yet gets nothing.
--
-- The test is sent by the web server (the settings page's "Send test", docs/NOTIFICATIONS.md "Settings page"), so the
-- two functions that need it are the web role's (polybot_web), acting on the signed-in user's rows only: auth.uid()
-- from the claims withUserClaims sets, as private.store_own_stripe_customer does. Users cannot call them (through the
-- Data API they could otherwise mark an untested URL verified, or read the secret again).
-- =====================================================================================================================

-- add_notification_channel: as in 20261209000130, except that webhook, Slack and Discord channels start unverified too.
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
  values (v_id, v_user, p_kind, v_target, nullif(btrim(p_label), ''), null,
          private.token_hash(v_token),
          case when v_token is not null then now() + interval '24 hours' end,
          case when v_secret is not null
               then vault.create_secret(v_secret, 'notification_webhook:' || v_id, 'PolyBot webhook signing secret') end);
  return jsonb_strip_nulls(jsonb_build_object('id', v_id, 'confirm_token', v_token, 'webhook_secret', v_secret));
end
$$;

-- ---------------------------------------------------------------------------------------------------------------------
-- verify_tested_notification_channel: the signed-in user's webhook/Slack/Discord channel accepted a test message, so
-- it is verified (the first success stamps verified_at; later ones keep it). False: not theirs, or not a URL channel.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.verify_tested_notification_channel(p_channel_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_found boolean;
begin
  update public.polybot_notification_channels set verified_at = coalesce(verified_at, now())
   where id = p_channel_id and user_id = private.require_user() and kind in ('webhook', 'slack', 'discord')
  returning true into v_found;
  return coalesce(v_found, false);
end
$$;

-- own_webhook_secret: the signing secret of the signed-in user's webhook channel, so the web can sign a test message
-- the user's receiver verifies. Null: not theirs or not a webhook.
create or replace function private.own_webhook_secret(p_channel_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select s.decrypted_secret from public.polybot_notification_channels c
    join vault.decrypted_secrets s on s.id = c.webhook_secret_id
   where c.id = p_channel_id and c.kind = 'webhook' and c.user_id = private.require_user()
$$;

revoke execute on function private.verify_tested_notification_channel(uuid)
  from public, anon, authenticated, service_role;
revoke execute on function private.own_webhook_secret(uuid) from public, anon, authenticated, service_role;
grant execute on function private.verify_tested_notification_channel(uuid) to polybot_web;
grant execute on function private.own_webhook_secret(uuid) to polybot_web;
