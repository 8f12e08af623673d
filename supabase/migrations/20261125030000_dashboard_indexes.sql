-- =====================================================================================================================
-- Indexes for the web dashboard's reads of polybot_trades (measured by bench/dashboard.bench.ts; numbers in
-- docs/PERFORMANCE.md, "Web dashboard"). The table is shared by every tenant and ids follow time across all of them,
-- so without these a user's newest trades are found by walking everyone's newest trades.
-- =====================================================================================================================

-- The trades list: `where user_id = $me [and platform/strategy/mode = …] [and id < $before] order by id desc limit 26`.
-- Walks only this user's trades, newest first, and stops after one page; the optional filters are checked on the
-- way (they are not selective enough on their own to need an index per combination).
create index if not exists polybot_trades_user_id_desc_idx on public.polybot_trades (user_id, id desc);

-- The month's P&L: `where user_id = $me and coalesce(executed_at, created_at) >= <start of month>`, summing
-- realized_pnl_usd per day. Reads only this month's trades (not the user's whole history) from the index alone:
-- the plain columns are included because Postgres allows an index-only scan only when every column the query
-- names is in the index (it does not match the coalesce expression for that).
create index if not exists polybot_trades_user_booked_at_idx
  on public.polybot_trades (user_id, (coalesce(executed_at, created_at)))
  include (executed_at, created_at, realized_pnl_usd);
