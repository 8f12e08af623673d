-- =====================================================================================================================
-- Market titles on trades and positions. A Polymarket condition id (0x4e4a…) or a Kalshi ticker means nothing to the
-- user reading their dashboard; the runner knows the market's question when it books the trade, so it is stored
-- with it (a copy at booking time: venues rename markets rarely, and the trade should say what was traded then).
-- Nullable: rows booked before this migration, and venues that return no title, show the id instead.
-- =====================================================================================================================

alter table public.polybot_trades add column if not exists market_title text;
alter table public.polybot_positions add column if not exists market_title text;

-- Bounded like every other text column a runner writes (a venue could send anything).
alter table public.polybot_trades drop constraint if exists polybot_trades_market_title_length;
alter table public.polybot_trades add constraint polybot_trades_market_title_length
  check (market_title is null or length(market_title) between 1 and 300);
alter table public.polybot_positions drop constraint if exists polybot_positions_market_title_length;
alter table public.polybot_positions add constraint polybot_positions_market_title_length
  check (market_title is null or length(market_title) between 1 and 300);

comment on column public.polybot_trades.market_title is 'The market''s question as the venue named it when the trade was booked (null for older rows).';
comment on column public.polybot_positions.market_title is 'The market''s question as the venue named it when the position was opened (null for older rows).';
