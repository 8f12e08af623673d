-- =====================================================================================================================
-- polybot_manager: the bot-manager's own database role, with exactly the grants its queries need (issue 14 item 1;
-- docs/SECURITY.md §1.2). Until now the manager connected as `postgres` and switched to `service_role`, which bypasses
-- RLS and may read and write every table, Vault included. Now:
--
--   * polybot_manager is a NOLOGIN group role. Production: an operator creates the login once
--       create role polybot_manager_login login password '…' in role polybot_manager;
--     and gives the manager that URL (DATABASE_URL). Locally and in tests localLoginUrl (@polybot/local-stack/postgres)
--     creates polybot_manager_local the same way.
--   * Every query of packages/db/src/service the manager runs (apps/bot-manager/src) is covered below, and nothing
--     else: no DELETE anywhere, no DDL (it owns nothing and has no CREATE on any schema), no auth.* or vault.* table,
--     no admin_* function, no audit-log access (private.audit writes it as definer).
--   * RLS stays on for it: the policies `to polybot_manager` below. Not BYPASSRLS: it would open every row of every
--     table (the grants would be the only fence), and only a role that has BYPASSRLS may give it (Postgres 16+; hosted
--     Supabase's `postgres` has it today, but nothing here depends on that). Policies work the same everywhere.
--   * Plaintext keys only through get_user_secrets_decrypted (security definer, as before): the role itself cannot
--     read vault.secrets, vault.decrypted_secrets or the Vault ids in polybot_user_secrets.
--   * Market links: it may only write proposals (status 'proposed', proposed_by 'matcher') and refresh its own pending
--     ones; it can never approve, reject or touch a reviewed link — that stays admin_review_market_link's.
--   * LISTEN and pg_notify need no grant.
-- supabase/tests/manager-role.test.ts proves what it can and cannot do; apps/bot-manager's suites run the manager as
-- it, so a missing grant fails them.
-- =====================================================================================================================

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'polybot_manager') then
    -- No attributes beyond the defaults (nosuperuser nocreatedb nocreaterole noreplication nobypassrls): hosted
    -- Supabase's postgres may not state some of them explicitly, and the defaults are what we want.
    create role polybot_manager nologin;
  end if;
end
$$;
comment on role polybot_manager is 'PolyBot bot-manager (group role, NOLOGIN): exactly the grants its queries need. Logins are members: polybot_manager_login (production), polybot_manager_local (local).';

grant usage on schema public to polybot_manager;

-- ---------------------------------------------------------------------------------------------------------------------
-- What a user's runner is built from: plan columns of the profile (readRunnerUser; the heartbeat reads
-- trades_this_month), the whole config row (UserConfigRowSchema), key metadata (not the Vault ids).
-- ---------------------------------------------------------------------------------------------------------------------
grant select (id, subscription_tier, features_enabled, live_trading_allowed, max_trade_size_usd, max_daily_loss_usd,
              max_positions, monthly_trade_limit, trades_this_month)
  on public.polybot_user_profiles to polybot_manager;
drop policy if exists "The bot-manager reads profiles" on public.polybot_user_profiles;
create policy "The bot-manager reads profiles" on public.polybot_user_profiles
  for select to polybot_manager using (true);

grant select on public.polybot_user_config to polybot_manager;
drop policy if exists "The bot-manager reads configs" on public.polybot_user_config;
create policy "The bot-manager reads configs" on public.polybot_user_config
  for select to polybot_manager using (true);

grant select (user_id, platform, is_paper, is_active, validation_status, validation_error, last_validated_at,
              rotated_at, created_at)
  on public.polybot_user_secrets to polybot_manager;
-- lockSecretAtStamp's `select … for update` needs an UPDATE privilege on some column (Postgres' rule for row locks);
-- the least one is the check time, which the manager records anyway (through set_user_secret_validation).
grant update (last_validated_at) on public.polybot_user_secrets to polybot_manager;
drop policy if exists "The bot-manager reads key metadata" on public.polybot_user_secrets;
create policy "The bot-manager reads key metadata" on public.polybot_user_secrets
  for select to polybot_manager using (true);
drop policy if exists "The bot-manager locks key rows" on public.polybot_user_secrets;
create policy "The bot-manager locks key rows" on public.polybot_user_secrets
  for update to polybot_manager using (true) with check (true);

-- ---------------------------------------------------------------------------------------------------------------------
-- What the bots do, written by the manager on its runners' behalf (db-ops.ts, status writes, marks, intents).
-- Never deleted.
-- ---------------------------------------------------------------------------------------------------------------------
grant select, insert, update on public.polybot_trades to polybot_manager;
grant select, insert, update on public.polybot_positions to polybot_manager;
grant select, insert, update on public.polybot_bot_status to polybot_manager;
grant select, insert, update on public.polybot_order_intents to polybot_manager;
-- Settlements are created by settle_market (definer); the manager reads them and records the venue's payout and the
-- redeem status (recordVenueSettlement, markRedeemable).
grant select on public.polybot_settlements to polybot_manager;
grant update (venue_payout_usd, venue_reference, reconciled_at, redeem_status)
  on public.polybot_settlements to polybot_manager;

drop policy if exists "The bot-manager books trades" on public.polybot_trades;
create policy "The bot-manager books trades" on public.polybot_trades
  for all to polybot_manager using (true) with check (true);
drop policy if exists "The bot-manager books positions" on public.polybot_positions;
create policy "The bot-manager books positions" on public.polybot_positions
  for all to polybot_manager using (true) with check (true);
drop policy if exists "The bot-manager writes bot status" on public.polybot_bot_status;
create policy "The bot-manager writes bot status" on public.polybot_bot_status
  for all to polybot_manager using (true) with check (true);
drop policy if exists "The bot-manager writes order intents" on public.polybot_order_intents;
create policy "The bot-manager writes order intents" on public.polybot_order_intents
  for all to polybot_manager using (true) with check (true);
drop policy if exists "The bot-manager reconciles settlements" on public.polybot_settlements;
create policy "The bot-manager reconciles settlements" on public.polybot_settlements
  for all to polybot_manager using (true) with check (true);
-- (The grants above decide which commands: a `for all` policy grants no command by itself.)

-- ---------------------------------------------------------------------------------------------------------------------
-- Market links: read all (approved ones trade; reviewed ones are never proposed again), write proposals only.
-- ---------------------------------------------------------------------------------------------------------------------
grant select on public.polybot_market_links to polybot_manager;
grant insert (relation, a_platform, a_market_id, a_title, b_platform, b_market_id, b_title, status, proposed_by,
              match_score, match_reasons)
  on public.polybot_market_links to polybot_manager;
grant update (a_title, b_title, match_score, match_reasons) on public.polybot_market_links to polybot_manager;
drop policy if exists "The bot-manager reads market links" on public.polybot_market_links;
create policy "The bot-manager reads market links" on public.polybot_market_links
  for select to polybot_manager using (true);
drop policy if exists "The bot-manager proposes market links" on public.polybot_market_links;
create policy "The bot-manager proposes market links" on public.polybot_market_links
  for insert to polybot_manager with check (status = 'proposed' and proposed_by = 'matcher');
drop policy if exists "The bot-manager refreshes its pending proposals" on public.polybot_market_links;
create policy "The bot-manager refreshes its pending proposals" on public.polybot_market_links
  for update to polybot_manager
  using (status = 'proposed' and proposed_by = 'matcher')
  with check (status = 'proposed' and proposed_by = 'matcher');

-- ---------------------------------------------------------------------------------------------------------------------
-- The functions it calls. All security definer except sale_realized_pnl_usd (plain arithmetic).
-- ---------------------------------------------------------------------------------------------------------------------
grant execute on function public.list_desired_bots() to polybot_manager;
grant execute on function public.bot_run_decisions(uuid) to polybot_manager;
grant execute on function public.get_user_secrets_decrypted(uuid) to polybot_manager;
grant execute on function public.set_user_secret_validation(uuid, text, boolean, text, text) to polybot_manager;
grant execute on function public.increment_user_trades(uuid, integer) to polybot_manager;
grant execute on function public.release_user_trades(uuid, integer) to polybot_manager;
grant execute on function public.settle_market(text, text, text, jsonb, text, timestamptz, text) to polybot_manager;
grant execute on function public.sale_realized_pnl_usd(numeric, numeric, numeric, numeric, numeric) to polybot_manager;
