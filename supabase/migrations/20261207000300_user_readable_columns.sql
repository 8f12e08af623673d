-- =====================================================================================================================
-- What a signed-in user may read of the platform's operational columns (issue 14 item 10). A user calling the Data API
-- with their own token used to read every column of their bot status row (including manager_id, the hostname of the
-- BotManager that runs it, and pid, a process id on that host) and of every approved market link (including
-- reviewed_by, the reviewing admin's email, and notes, the reviewer's internal remarks). Table-wide SELECT is replaced
-- by column grants: exactly what the web app shows. RLS still decides which rows.
--
-- The user-readable bot status columns are BotStatusSchema's keys (packages/db/src/user/queries.ts, read by
-- getOwnBotStatus); supabase/tests/readable-columns.test.ts keeps the grant equal to them. A column added to either
-- table later is readable by users only once a migration grants it.
-- =====================================================================================================================

revoke select on public.polybot_bot_status from authenticated;
grant select (user_id, state, mode, started_at, heartbeat_at, config_version, config_applied_at, last_error,
              last_error_at, error_code, restart_count, trading_halted_until, halt_reason, halt_code, stats, updated_at)
  on public.polybot_bot_status to authenticated;

revoke select on public.polybot_market_links from authenticated;
grant select (id, relation, a_platform, a_market_id, a_title, b_platform, b_market_id, b_title, status, proposed_by,
              match_score, match_reasons, reviewed_at, created_at, updated_at)
  on public.polybot_market_links to authenticated;

comment on column public.polybot_bot_status.manager_id is
  'Which BotManager instance runs this bot (its host). Not readable by users (column grants, 20261207000300).';
comment on column public.polybot_bot_status.pid is
  'Runner process id on its manager host. Not readable by users (column grants, 20261207000300).';
comment on column public.polybot_market_links.notes is
  'Reviewer notes (e.g. differing resolution sources). Admins only: not readable by users (20261207000300).';
comment on column public.polybot_market_links.reviewed_by is
  'Who approved or rejected it (set by admin_review_market_link: the caller''s email, else its role). Admins only: not readable by users (20261207000300).';
