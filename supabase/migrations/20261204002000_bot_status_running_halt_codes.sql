-- =====================================================================================================================
-- "Say why" (issue 12 item 6): a running bot that cannot trade reports why in the status row's halt_code, the one
-- home of "why is my bot not trading" (beside halt_reason's words), rather than in a second column: the dashboard and
-- Studio read one code whatever stopped the trading — the manager (paused, unpaid, …) or the runner itself (a cap, no
-- venue or strategy enabled, no markets, stale data, live chosen without usable live keys).
-- The list is BotHaltCodeSchema in packages/schemas (src/bot-status.ts); supabase/tests/enums.test.ts fails when this
-- CHECK and the TypeScript enum differ. 20261204000200 is not edited: landed migrations are never changed.
-- =====================================================================================================================

alter table public.polybot_bot_status drop constraint if exists polybot_bot_status_halt_code_check;
alter table public.polybot_bot_status add constraint polybot_bot_status_halt_code_check
  check (halt_code in ('account_missing', 'suspended', 'onboarding_incomplete', 'no_config', 'paused_by_user',
                       'subscription_inactive', 'stopped_by_service', 'service_restarting', 'daily_loss_limit',
                       'monthly_limit_reached',
                       -- a running bot that cannot trade (the runner's blocked.ts)
                       'no_venue_enabled', 'no_strategy_enabled', 'no_markets', 'trade_size_below_minimum',
                       'max_positions_reached', 'stale_data', 'live_keys_missing', 'live_not_in_plan'));
