-- =====================================================================================================================
-- Messages the web sends for a user outside the queue are rate-limited where every web instance sees the same count
-- (issue 16's settings page; SECURITY.md §7.3).
-- Two messages go out at a user's click, not through the notification queue (whose per-user hourly limit does not see
-- them): the confirmation email of an address the user typed (any address: "add, remove, add again" would make the
-- platform mail a stranger over and over) and "Send test" (a post to the user's own URL channel, or a message to their
-- confirmed email or linked Telegram chat, as fast as they can click). The web asks private.limit_user_sends(kind)
-- before each one (apps/web/src/app/actions/notification-channels.ts), and it refuses
--   'confirmation': a 6th confirmation email of a user within any hour,
--   'test':         an 11th test message of a user within any 10 minutes,
-- with SQLSTATE 54000 (program_limit_exceeded) and words the web shows as they are: how many, in how long, when to try
-- again. The numbers are NOTIFICATION_SEND_LIMITS (packages/schemas/src/notification-settings.ts), which the settings
-- page quotes; supabase/tests/notification-send-limits.test.ts holds the two equal.
-- The sends are kept in private.notification_sends (not exposed), pruned of anything older than its window on each
-- call, so a user has at most 15 rows there. Only polybot_web may call the function: users cannot spend or reset
-- their allowance through the Data API, and they have no way to send either message without the web.
-- =====================================================================================================================

create table if not exists private.notification_sends (
  user_id uuid not null references auth.users (id) on delete cascade,
  kind text not null check (kind in ('confirmation', 'test')),
  sent_at timestamptz not null default now()
);
create index if not exists notification_sends_user_kind_time on private.notification_sends (user_id, kind, sent_at);
comment on table private.notification_sends is
  'Confirmation emails and test messages the web sent for each user within their windows: the rate limit of private.limit_user_sends.';
revoke all on table private.notification_sends from public, anon, authenticated, service_role;

create or replace function private.limit_user_sends(p_kind text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := private.require_user();
  v_max integer;
  v_window interval;
  v_recent integer;
  v_oldest timestamptz;
  v_wait_minutes integer;
begin
  case p_kind
    when 'confirmation' then v_max := 5; v_window := interval '1 hour';
    when 'test' then v_max := 10; v_window := interval '10 minutes';
    else raise exception 'unknown kind of message: %', p_kind using errcode = '22023';
  end case;
  -- Two tabs or two web instances clicking at once: one user's calls are serialized, so the count cannot race.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('polybot.limit_user_sends'),
                                           pg_catalog.hashtext(v_user::text));
  delete from private.notification_sends
   where user_id = v_user and kind = p_kind and sent_at <= now() - v_window;
  select count(*), min(sent_at) into v_recent, v_oldest
    from private.notification_sends where user_id = v_user and kind = p_kind;
  if v_recent >= v_max then
    v_wait_minutes := greatest(1, ceil(extract(epoch from (v_oldest + v_window - now())) / 60)::integer);
    raise exception using
      errcode = '54000',
      message = format(
        '%s %s in the last %s, the most allowed. Try again in %s minute%s.',
        case p_kind when 'confirmation' then 'We sent you' else 'You sent' end,
        case p_kind when 'confirmation' then format('%s confirmation emails', v_recent)
                    else format('%s test messages', v_recent) end,
        case p_kind when 'confirmation' then 'hour' else '10 minutes' end,
        v_wait_minutes,
        case when v_wait_minutes = 1 then '' else 's' end);
  end if;
  insert into private.notification_sends (user_id, kind) values (v_user, p_kind);
end
$$;
comment on function private.limit_user_sends(text) is
  'Counts a confirmation email or test message the web is about to send for the signed-in user; refuses (54000) beyond 5 confirmations per hour or 10 tests per 10 minutes. polybot_web only.';
revoke execute on function private.limit_user_sends(text) from public, anon, authenticated, service_role;
grant execute on function private.limit_user_sends(text) to polybot_web;
