-- =====================================================================================================================
-- One tenant cannot starve others (issue 14): one more reason a bot is not trading, in the status row's halt_code
-- beside halt_reason's words.
--   cpu_budget  the bot needed more CPU than its budget for too long, even after it was throttled (the bot-manager's
--               apps/bot-manager/src/manager/cpu-budget.ts): stopped until the user changes their settings or keys,
--               or pauses and resumes it.
-- The list is BotHaltCodeSchema in packages/schemas (src/bot-status.ts); supabase/tests/enums.test.ts fails when this
-- CHECK and the TypeScript enum differ. Landed migrations are never edited, so the whole list is restated here.
-- =====================================================================================================================

alter table public.polybot_bot_status drop constraint if exists polybot_bot_status_halt_code_check;
alter table public.polybot_bot_status add constraint polybot_bot_status_halt_code_check
  check (halt_code in ('account_missing', 'suspended', 'onboarding_incomplete', 'no_config', 'paused_by_user',
                       'subscription_inactive', 'stopped_by_service', 'service_restarting', 'daily_loss_limit',
                       'monthly_limit_reached',
                       -- a running bot that cannot trade (the runner's blocked.ts)
                       'no_venue_enabled', 'no_strategy_enabled', 'no_markets', 'trade_size_below_minimum',
                       'max_positions_reached', 'stale_data', 'live_keys_missing', 'live_not_in_plan',
                       -- live trading (issue 13)
                       'venue_paused', 'live_key_invalid',
                       -- one tenant cannot starve others (issue 14)
                       'cpu_budget'));
