-- =====================================================================================================================
-- One definition of realized P&L. Before this, the BotManager's position booking wrote the formula inline in its
-- UPDATE and nothing said what the trades' realized_pnl_usd (what the dashboard sums) was meant to hold.
--
-- Realized P&L of a sale from a position, in USD:
--     sold_size × price − fee − avg_price × least(held_size, sold_size)
-- i.e. what the sale brought in, less its fee, less the average entry cost of the contracts it closed (never more
-- contracts than were held: selling beyond the position realizes no cost for the excess). A buy realizes nothing:
-- its fee goes into the position's cost basis. Settlement at resolution is not booked here yet.
-- =====================================================================================================================

create or replace function public.sale_realized_pnl_usd(
  p_sold_size numeric,
  p_price numeric,
  p_fee numeric,
  p_avg_price numeric,
  p_held_size numeric
)
returns numeric
language sql
immutable
parallel safe
set search_path = ''
as $$
  select p_sold_size * p_price - p_fee - p_avg_price * least(p_held_size, p_sold_size);
$$;
-- Only the platform books positions; users read the stored result through RLS and need not call it.
revoke execute on function public.sale_realized_pnl_usd(numeric, numeric, numeric, numeric, numeric)
  from public, anon, authenticated;
grant execute on function public.sale_realized_pnl_usd(numeric, numeric, numeric, numeric, numeric) to service_role;
comment on function public.sale_realized_pnl_usd(numeric, numeric, numeric, numeric, numeric) is
  'Service only: realized P&L (USD) of selling p_sold_size at p_price with p_fee from a position of p_held_size at p_avg_price. The one definition of realized P&L.';

comment on column public.polybot_positions.realized_pnl_usd is
  'Realized profit/loss so far: the sum of sale_realized_pnl_usd over the sales booked against this position.';
comment on column public.polybot_trades.realized_pnl_usd is
  'Realized profit/loss attributed to this trade once known, as defined by sale_realized_pnl_usd (the dashboard sums it per day).';
