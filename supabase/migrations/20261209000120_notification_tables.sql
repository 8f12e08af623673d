-- =====================================================================================================================
-- Notifications (issue 16; docs/NOTIFICATIONS.md "Events and data"): where a user wants to be told (channels), how
-- (settings: time zone, daily summary hour, quiet hours, which event goes to which channel), and what was sent
-- (notifications, one delivery per channel). Users read their own rows; every write goes through the definer
-- functions of 20261209000130 (which check ownership, formats and limits), the producers of 20261209000140 and the
-- worker's functions. Values and sizes are packages/schemas' (notification-events.ts, notification-settings.ts):
-- supabase/tests/enums.test.ts and notification-tables.test.ts keep them equal.
-- =====================================================================================================================

-- The one SQL home of ALWAYS_ON_EVENT_KINDS (packages/schemas notification-events.ts; notification-producers.test.ts
-- holds them equal): an alert cannot be turned off, rate-limited or held by quiet hours.
create or replace function private.is_alert_event(p_kind text)
returns boolean
language sql
immutable
set search_path = ''
as $$ select p_kind not in ('trade_executed', 'opportunity_found', 'daily_summary') $$;
revoke execute on function private.is_alert_event(text) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_notification_channels: one destination of one user.
-- ---------------------------------------------------------------------------------------------------------------------
create table if not exists public.polybot_notification_channels (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  kind text not null check (kind in ('email', 'webhook', 'slack', 'discord', 'telegram')),
  target text not null,
  label text check (label is null or length(label) between 1 and 60),
  enabled boolean not null default true,
  verified_at timestamptz,
  -- Email confirmation: sha256 of the token mailed to the address; null once confirmed (never readable by users).
  confirm_token_hash bytea,
  confirm_expires_at timestamptz,
  -- Webhook signing secret (Standard Webhooks whsec_…), in Vault; this is its id (never readable by users).
  webhook_secret_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, kind, target),
  -- The target's format per kind (NotificationChannelTargetSchema): an address, an https URL, a Telegram chat id.
  constraint polybot_notification_channels_target_format check (
    case kind
      when 'email' then length(target) <= 254 and target ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
      when 'telegram' then target ~ '^-?[0-9]{1,20}$'
      else length(target) <= 2000 and target ~ '^https://[^[:space:]/?#]+[^[:space:]]*$'
    end),
  constraint polybot_notification_channels_secret_is_webhook check (webhook_secret_id is null or kind = 'webhook'),
  constraint polybot_notification_channels_token_unverified check (confirm_token_hash is null or verified_at is null)
);

comment on table public.polybot_notification_channels is 'Where a user''s notifications go (at most 10 per user). Written only through add/remove/set_notification_channel_enabled, confirm_notification_channel, rotate_webhook_secret and private.link_telegram_chat.';
comment on column public.polybot_notification_channels.kind is 'email, webhook (Standard Webhooks, signed), slack, discord (their incoming-webhook URLs) or telegram.';
comment on column public.polybot_notification_channels.target is 'The address: an email, an https URL, or a Telegram chat id.';
comment on column public.polybot_notification_channels.label is 'The user''s name for it.';
comment on column public.polybot_notification_channels.enabled is 'Off: nothing is sent to it (kept, still verified).';
comment on column public.polybot_notification_channels.verified_at is 'When the user proved it is theirs (email confirmed, Telegram linked); null: nothing is sent to it.';
comment on column public.polybot_notification_channels.confirm_token_hash is 'sha256 of the pending email confirmation token. Not readable by users.';
comment on column public.polybot_notification_channels.confirm_expires_at is 'When the pending confirmation token expires.';
comment on column public.polybot_notification_channels.webhook_secret_id is 'Vault id of the webhook signing secret. Not readable by users; the worker reads the secret through private.notification_webhook_secret.';

create index if not exists polybot_notification_channels_user_idx on public.polybot_notification_channels (user_id);
create unique index if not exists polybot_notification_channels_confirm_idx
  on public.polybot_notification_channels (confirm_token_hash) where confirm_token_hash is not null;

drop trigger if exists _100_set_updated_at on public.polybot_notification_channels;
create trigger _100_set_updated_at before update on public.polybot_notification_channels
  for each row execute function private.set_updated_at();

alter table public.polybot_notification_channels enable row level security;
revoke all on public.polybot_notification_channels from anon, authenticated;
-- Every column but the token hash and the Vault id.
grant select (id, user_id, kind, target, label, enabled, verified_at, confirm_expires_at, created_at, updated_at)
  on public.polybot_notification_channels to authenticated;
grant select, insert, update, delete on public.polybot_notification_channels to service_role;
drop policy if exists "Users read their own notification channels" on public.polybot_notification_channels;
create policy "Users read their own notification channels" on public.polybot_notification_channels
  for select to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_notification_settings: one row per user once they save settings; without a row the defaults apply
-- (UTC, summary at 08:00, no quiet hours, every event to every verified channel).
-- ---------------------------------------------------------------------------------------------------------------------
create table if not exists public.polybot_notification_settings (
  user_id uuid primary key references auth.users (id) on delete cascade,
  -- An IANA name; checked against pg_timezone_names by update_notification_settings (a CHECK may not read a catalog).
  time_zone text not null default 'UTC' check (length(time_zone) between 1 and 64),
  summary_hour smallint not null default 8 check (summary_hour between 0 and 23),
  -- Local hours [quiet_start, quiet_end): non-alert notifications wait until quiet_end. Both or neither; may wrap
  -- midnight (22 → 7).
  quiet_start smallint check (quiet_start between 0 and 23),
  quiet_end smallint check (quiet_end between 0 and 23),
  -- Event kind → channel ids. A kind absent: every verified, enabled channel. [] turns an optional kind off; an alert
  -- (ALWAYS_ON_EVENT_KINDS) always reaches at least every channel when its own list has none left.
  routes jsonb not null default '{}'::jsonb
    check (jsonb_typeof(routes) = 'object' and octet_length(routes::text) <= 8000),
  updated_at timestamptz not null default now(),
  constraint polybot_notification_settings_quiet_pair check ((quiet_start is null) = (quiet_end is null)),
  constraint polybot_notification_settings_quiet_not_empty check (quiet_start is null or quiet_start <> quiet_end)
);

comment on table public.polybot_notification_settings is 'Per-user notification settings; written through update_notification_settings. No row = defaults.';
comment on column public.polybot_notification_settings.time_zone is 'IANA time zone for the daily summary and quiet hours.';
comment on column public.polybot_notification_settings.summary_hour is 'Local hour (0-23) the daily summary of the previous day is sent.';
comment on column public.polybot_notification_settings.quiet_start is 'Quiet hours start (local hour); non-alerts wait until quiet_end. Alerts are never held.';
comment on column public.polybot_notification_settings.quiet_end is 'Quiet hours end (local hour, exclusive).';
comment on column public.polybot_notification_settings.routes is 'Event kind -> array of channel ids. Absent kind: every verified enabled channel.';

drop trigger if exists _100_set_updated_at on public.polybot_notification_settings;
create trigger _100_set_updated_at before update on public.polybot_notification_settings
  for each row execute function private.set_updated_at();

alter table public.polybot_notification_settings enable row level security;
revoke all on public.polybot_notification_settings from anon, authenticated;
grant select on public.polybot_notification_settings to authenticated;
grant select, insert, update, delete on public.polybot_notification_settings to service_role;
drop policy if exists "Users read their own notification settings" on public.polybot_notification_settings;
create policy "Users read their own notification settings" on public.polybot_notification_settings
  for select to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_notifications: every event a producer emitted for a user (history), with why it was not sent if it was not.
-- ---------------------------------------------------------------------------------------------------------------------
create table if not exists public.polybot_notifications (
  id bigint generated by default as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  kind text not null check (kind in ('trade_executed', 'opportunity_found', 'daily_summary', 'bot_stopped',
    'bot_error', 'key_invalid', 'loss_limit_reached', 'monthly_limit_reached', 'payment_failed', 'plan_ended',
    'suspended', 'resumed')),
  -- NotificationPayloadSchema; bounded like NOTIFICATION_PAYLOAD_MAX_BYTES.
  payload jsonb not null check (jsonb_typeof(payload) = 'object' and payload ->> 'kind' = kind
                                and octet_length(payload::text) <= 16000),
  -- Producers that may repeat (a daily summary re-run) name the event; a second emit with the same key is a no-op.
  dedupe_key text check (dedupe_key is null or length(dedupe_key) <= 200),
  -- Quiet hours: deliveries wait until then (null: at once).
  deliver_after timestamptz,
  -- Not sent at all: rate_limited (over the hourly budget of non-alerts) or no_channel (nowhere to send it).
  suppressed text check (suppressed in ('rate_limited', 'no_channel')),
  created_at timestamptz not null default now(),
  unique (user_id, dedupe_key)
);

comment on table public.polybot_notifications is 'Every notification emitted for a user (private.emit_notification), newest last. Users read their own.';
comment on column public.polybot_notifications.payload is 'What the message is rendered from (NotificationPayloadSchema in packages/schemas).';
comment on column public.polybot_notifications.dedupe_key is 'Names a repeatable event (daily_summary:<date>); unique per user.';
comment on column public.polybot_notifications.deliver_after is 'Held by quiet hours until then; null = at once.';
comment on column public.polybot_notifications.suppressed is 'Why nothing was sent: rate_limited or no_channel. Null = deliveries exist.';

create index if not exists polybot_notifications_user_created_idx
  on public.polybot_notifications (user_id, created_at desc);

alter table public.polybot_notifications enable row level security;
revoke all on public.polybot_notifications from anon, authenticated;
grant select on public.polybot_notifications to authenticated;
grant select, insert, update, delete on public.polybot_notifications to service_role;
drop policy if exists "Users read their own notifications" on public.polybot_notifications;
create policy "Users read their own notifications" on public.polybot_notifications
  for select to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_notification_deliveries: one notification to one channel, and how sending it went.
-- ---------------------------------------------------------------------------------------------------------------------
create table if not exists public.polybot_notification_deliveries (
  id bigint generated by default as identity primary key,
  notification_id bigint not null references public.polybot_notifications (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  -- Null once the channel is removed (the history stays; an unsent delivery is then skipped).
  channel_id uuid references public.polybot_notification_channels (id) on delete set null,
  channel_kind text not null check (channel_kind in ('email', 'webhook', 'slack', 'discord', 'telegram')),
  status text not null default 'pending' check (status in ('pending', 'sent', 'retrying', 'dead', 'skipped')),
  attempts integer not null default 0 check (attempts >= 0),
  last_error text check (last_error is null or length(last_error) <= 1000),
  -- Sent with the message (webhook-id, Idempotency-Key) so a receiver can drop a retried duplicate.
  idempotency_key text not null unique check (length(idempotency_key) <= 100),
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (notification_id, channel_id)
);

comment on table public.polybot_notification_deliveries is 'One notification to one channel: pending, sent, retrying, dead (dead letters: admin_notification_dead_letters) or skipped.';
comment on column public.polybot_notification_deliveries.idempotency_key is 'ntf_<notification id>_<channel id>: the same on every attempt; receivers dedupe on it.';
comment on column public.polybot_notification_deliveries.attempts is 'Attempts made (claim_notification_delivery counts them).';
comment on column public.polybot_notification_deliveries.last_error is 'The last attempt''s error, for the user and admins.';

create index if not exists polybot_notification_deliveries_user_idx on public.polybot_notification_deliveries (user_id, id desc);
create index if not exists polybot_notification_deliveries_dead_idx on public.polybot_notification_deliveries (updated_at)
  where status = 'dead';

drop trigger if exists _100_set_updated_at on public.polybot_notification_deliveries;
create trigger _100_set_updated_at before update on public.polybot_notification_deliveries
  for each row execute function private.set_updated_at();

alter table public.polybot_notification_deliveries enable row level security;
revoke all on public.polybot_notification_deliveries from anon, authenticated;
grant select on public.polybot_notification_deliveries to authenticated;
grant select, insert, update, delete on public.polybot_notification_deliveries to service_role;
drop policy if exists "Users read their own notification deliveries" on public.polybot_notification_deliveries;
create policy "Users read their own notification deliveries" on public.polybot_notification_deliveries
  for select to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------------------------------
-- Private bookkeeping: Telegram link tokens (hashed, one-time, 15 min) and how far each user's trades were notified.
-- ---------------------------------------------------------------------------------------------------------------------
create table if not exists private.telegram_link_tokens (
  token_hash bytea primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
comment on table private.telegram_link_tokens is 'Pending Telegram links: sha256 of the one-time token the user sends the bot (/start <token>), valid 15 minutes.';
create index if not exists telegram_link_tokens_user_idx on private.telegram_link_tokens (user_id);

create table if not exists private.trade_notification_cursors (
  user_id uuid primary key references auth.users (id) on delete cascade,
  last_trade_id bigint not null
);
comment on table private.trade_notification_cursors is 'The last polybot_trades.id already in a trade_executed notification, per user (private.flush_trade_notifications).';

-- ---------------------------------------------------------------------------------------------------------------------
-- Dead letters for admins (Studio runs as postgres; service_role for tools): deliveries that gave up, with why.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace view public.admin_notification_dead_letters as
select d.id as delivery_id,
       d.user_id,
       u.email,
       n.kind,
       d.channel_kind,
       d.channel_id,
       d.attempts,
       d.last_error,
       n.created_at as emitted_at,
       d.updated_at as died_at
  from public.polybot_notification_deliveries d
  join public.polybot_notifications n on n.id = d.notification_id
  left join auth.users u on u.id = d.user_id
 where d.status = 'dead';

comment on view public.admin_notification_dead_letters is 'Admin: notification deliveries that gave up (status dead), newest by died_at. Not readable by anon/authenticated.';
revoke all on public.admin_notification_dead_letters from public, anon, authenticated;
grant select on public.admin_notification_dead_letters to service_role;
