-- =====================================================================================================================
-- Unsubscribing from an email's link (docs/NOTIFICATIONS.md "Settings page"): the link carries a token signed with
-- NOTIFY_UNSUBSCRIBE_SECRET naming the user, the channel and optionally one event kind (packages/notify
-- unsubscribe.ts). The web verifies the signature and calls this as polybot_web (nobody signs in to unsubscribe:
-- RFC 8058's one-click POST comes from the mailbox provider, not the user's browser). Users cannot call it: the
-- signature is the proof, and only the web checks it.
--
-- p_kind null: the whole channel is turned off. An optional kind (trade_executed, opportunity_found, daily_summary):
-- that kind is routed away from the channel (routes[kind] = where it went before, minus this channel; a kind absent
-- from routes went to every channel). An alert kind: routed away likewise while another verified enabled channel still
-- gets it; alerts cannot go nowhere (emit_notification sends an alert without channels to every channel), so when this
-- channel was its last one the channel is turned off instead, which the page says.
-- Returns what happened: 'channel_off', 'kind_off', 'already' (nothing left to change) or 'not_found' (the channel is
-- gone, or is not this user's).
-- =====================================================================================================================
create or replace function private.unsubscribe_notification_channel(p_user uuid, p_channel uuid, p_kind text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_channel public.polybot_notification_channels;
  v_routes jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  if p_kind is not null and p_kind not in ('trade_executed', 'opportunity_found', 'daily_summary', 'bot_stopped',
      'bot_error', 'key_invalid', 'loss_limit_reached', 'monthly_limit_reached', 'payment_failed', 'plan_ended',
      'suspended', 'resumed') then
    raise exception 'unsubscribe_notification_channel: % is not an event kind', p_kind using errcode = '22023';
  end if;
  select * into v_channel from public.polybot_notification_channels
   where id = p_channel and user_id = p_user
     for update;
  if v_channel.id is null then
    return 'not_found';
  end if;
  if p_kind is not null and v_channel.enabled then
    -- One settings change at a time per user (update_notification_settings writes the same row).
    select routes into v_routes from public.polybot_notification_settings where user_id = p_user for update;
    v_routes := coalesce(v_routes, '{}'::jsonb);
    v_before := coalesce(v_routes -> p_kind,
                         (select coalesce(jsonb_agg(c.id::text order by c.created_at), '[]'::jsonb)
                            from public.polybot_notification_channels c where c.user_id = p_user));
    if not v_before ? p_channel::text then
      return 'already';
    end if;
    v_after := v_before - p_channel::text;
    if not private.is_alert_event(p_kind)
       or exists (select 1 from public.polybot_notification_channels c, jsonb_array_elements_text(v_after) e
                   where c.user_id = p_user and c.id::text = e and c.verified_at is not null and c.enabled) then
      insert into public.polybot_notification_settings (user_id, routes)
      values (p_user, jsonb_build_object(p_kind, v_after))
      on conflict (user_id) do update set routes = public.polybot_notification_settings.routes || excluded.routes;
      return 'kind_off';
    end if;
  end if;
  if not v_channel.enabled then
    return 'already';
  end if;
  update public.polybot_notification_channels set enabled = false where id = v_channel.id;
  return 'channel_off';
end
$$;

revoke execute on function private.unsubscribe_notification_channel(uuid, uuid, text)
  from public, anon, authenticated, service_role;
grant execute on function private.unsubscribe_notification_channel(uuid, uuid, text) to polybot_web;
