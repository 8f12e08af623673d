-- =====================================================================================================================
-- Machine-readable codes beside the bot status's human text. halt_reason and last_error are the manager's words for
-- people (admins in Studio, the user on the dashboard); the web app used to decide what to tell the user by matching
-- regexes over last_error. Now the manager writes a code beside each text, and the web app decides by the code.
-- The lists are BotHaltCodeSchema and BotErrorCodeSchema in packages/schemas (src/bot-status.ts);
-- supabase/tests/enums.test.ts fails when a CHECK here and the TypeScript enum differ.
-- =====================================================================================================================

alter table public.polybot_bot_status add column if not exists halt_code text;
alter table public.polybot_bot_status add column if not exists error_code text;

alter table public.polybot_bot_status drop constraint if exists polybot_bot_status_halt_code_check;
alter table public.polybot_bot_status add constraint polybot_bot_status_halt_code_check
  check (halt_code in ('account_missing', 'suspended', 'onboarding_incomplete', 'no_config', 'paused_by_user',
                       'subscription_inactive', 'stopped_by_service', 'service_restarting', 'daily_loss_limit',
                       'monthly_limit_reached'));
alter table public.polybot_bot_status drop constraint if exists polybot_bot_status_error_code_check;
alter table public.polybot_bot_status add constraint polybot_bot_status_error_code_check
  check (error_code in ('invalid_config', 'crash_loop', 'runner_exited', 'runner_killed', 'runner_silent',
                        'runner_memory', 'keys_rejected', 'insufficient_balance', 'venue_unreachable', 'runner_error'));

-- Rows written before this migration: their codes, read from the text once, here (the wording the user sees for
-- them stays what the web app's regexes made of it). The error patterns are the web app's former ones, in order.
update public.polybot_bot_status set error_code = case
    when last_error ~* '401|403|auth|signature|api key' then 'keys_rejected'
    when last_error ~* 'balance|insufficient|funds' then 'insufficient_balance'
    when last_error ~* 'crash|exit|backoff|restart' then 'crash_loop'
    when last_error ~* 'timeout|ECONN|network|unreachable' then 'venue_unreachable'
    else 'runner_error'
  end
 where last_error is not null and error_code is null;
update public.polybot_bot_status set halt_code = case
    when halt_reason = 'account not found' then 'account_missing'
    when halt_reason like 'suspended by PolyBot support:%' then 'suspended'
    when halt_reason = 'onboarding is not finished' then 'onboarding_incomplete'
    when halt_reason = 'no bot settings saved yet' then 'no_config'
    when halt_reason = 'paused by you' then 'paused_by_user'
    when halt_reason like 'the % subscription is %' then 'subscription_inactive'
    when halt_reason = 'stopped by the bot service' then 'stopped_by_service'
    when halt_reason like 'the bot service is restarting%' then 'service_restarting'
    when halt_reason like 'daily loss limit reached%' then 'daily_loss_limit'
    when halt_reason like 'monthly trade limit reached%' then 'monthly_limit_reached'
  end
 where halt_reason is not null and halt_code is null;

-- A code says what its text says: no code without a text (a code may be missing beside a text only for a halt the
-- backfill above could not read).
alter table public.polybot_bot_status drop constraint if exists polybot_bot_status_halt_code_has_reason;
alter table public.polybot_bot_status add constraint polybot_bot_status_halt_code_has_reason
  check (halt_code is null or halt_reason is not null);
alter table public.polybot_bot_status drop constraint if exists polybot_bot_status_error_code_has_error;
alter table public.polybot_bot_status add constraint polybot_bot_status_error_code_has_error
  check (error_code is null or last_error is not null);

comment on column public.polybot_bot_status.halt_code is
  'Why trading is halted, as a code (BotHaltCodeSchema in packages/schemas) beside halt_reason''s words.';
comment on column public.polybot_bot_status.error_code is
  'What the last error was, as a code (BotErrorCodeSchema in packages/schemas) beside last_error''s words; the dashboard explains it by this code.';
comment on column public.polybot_bot_status.stats is
  'The runner''s heartbeat stats, snake_case: BotStatsSchema in packages/schemas (pnl_today_usd, open_positions, recent_opportunities, trades_this_month, ...).';
