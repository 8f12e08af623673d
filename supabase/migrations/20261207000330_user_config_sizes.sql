-- =====================================================================================================================
-- Byte limits on what users write to polybot_user_config themselves (issue 14 item 2). A user calling the Data API
-- with their own token skips the web app's zod schemas; the manager then loads, hashes and ships the row to the
-- user's runner on every change.
--   * advanced_config: the old CHECK measured pg_column_size, the *compressed* size, so a 2 MB value of repetitive
--     text passed. Now the UTF-8 bytes of its text form, the measure zod uses too (jsonbTextBytes,
--     packages/schemas/src/json-size.ts), at ADVANCED_CONFIG_MAX_BYTES (config.ts).
--   * notification_channels: at most 5 entries was checked, but not what they are (one entry could be 2 MB). Now
--     each entry is a string from NotificationChannelSchema (email, webhook, telegram).
-- The profile's user-writable text (display_name) was already bounded: at most 100 characters (400 bytes).
-- supabase/tests/user-config-sizes.test.ts: the SQL and zod agree at the limit and one byte past it.
-- =====================================================================================================================

-- Existing rows must already fit (the constraints are validated, not NOT VALID: a row the app cannot parse any more
-- would break that user's bot quietly). Say which rows do not, instead of Postgres' bare "violated by some row".
do $$
declare
  v_large int;
  v_channels int;
begin
  select count(*) filter (where octet_length(advanced_config::text) > 65536),
         count(*) filter (where exists (select 1 from jsonb_array_elements(notification_channels) e
                                        where e not in ('"email"'::jsonb, '"webhook"'::jsonb, '"telegram"'::jsonb)))
    into v_large, v_channels
    from public.polybot_user_config;
  if v_large > 0 or v_channels > 0 then
    raise exception 'polybot_user_config: % rows with advanced_config over 65536 bytes, % with unknown notification channels',
      v_large, v_channels
      using hint = 'Shorten those advanced_config values (news rules, followed wallets) and remove unknown channels, then run this migration again.';
  end if;
end
$$;

alter table public.polybot_user_config drop constraint if exists polybot_user_config_advanced_config_check;
alter table public.polybot_user_config drop constraint if exists polybot_user_config_advanced_config_size;
alter table public.polybot_user_config add constraint polybot_user_config_advanced_config_size
  check (jsonb_typeof(advanced_config) = 'object' and octet_length(advanced_config::text) <= 65536);

alter table public.polybot_user_config drop constraint if exists polybot_user_config_notification_channels_check;
alter table public.polybot_user_config drop constraint if exists polybot_user_config_notification_channels_known;
alter table public.polybot_user_config add constraint polybot_user_config_notification_channels_known
  check (jsonb_typeof(notification_channels) = 'array'
         and jsonb_array_length(notification_channels) <= 5
         and not jsonb_path_exists(notification_channels, 'strict $[*] ? (@.type() != "string")')
         and notification_channels <@ '["email", "webhook", "telegram"]'::jsonb);

comment on column public.polybot_user_config.advanced_config is
  'JSON object: news rules, followed wallets and other strategy parameters (validated by the app: AdvancedConfigSchema); at most 65536 bytes of text (ADVANCED_CONFIG_MAX_BYTES).';
comment on column public.polybot_user_config.notification_channels is
  'JSON array of up to 5 channels from NotificationChannelSchema: email, webhook, telegram.';
