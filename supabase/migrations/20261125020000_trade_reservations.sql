-- =====================================================================================================================
-- Per-order trade reservations. The monthly trade limit counts orders: a runner reserves one trade per order of an
-- arbitrage, for every leg at once, before the first leg is sent — so the limit can never cut an arbitrage in half —
-- and hands back the reservations of legs it then did not send (an earlier leg failed, the process is stopping).
--   * increment_user_trades(user, n) — reserve n trades, all or nothing, in one UPDATE.
--   * release_user_trades(user, n)   — give back up to n reservations of the current month.
-- The one-argument increment_user_trades(user) (20261125000900) stays as it is: it reserves one.
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- Reserve p_count trades. Same shape as the one-argument version: one UPDATE rolls the period over when the UTC month
-- changed and adds p_count only if the result stays within the limit. Concurrent callers serialize on the row lock and
-- re-check the condition, so at limit − k exactly as many requests succeed as fit, and a request that does not fit
-- whole reserves nothing. Suspended users get nothing.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.increment_user_trades(p_user_id uuid, p_count integer)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if p_count is null or p_count < 1 then
    raise exception 'p_count must be at least 1 (got %)', p_count using errcode = '22023';
  end if;
  update public.polybot_user_profiles p
     set trades_this_month = case
           when p.trade_period_start < date_trunc('month', now(), 'UTC') then p_count
           else p.trades_this_month + p_count
         end,
         trade_period_start = greatest(p.trade_period_start, date_trunc('month', now(), 'UTC'))
   where p.id = p_user_id
     and not p.is_suspended
     and case
           when p.trade_period_start < date_trunc('month', now(), 'UTC') then p_count <= p.monthly_trade_limit
           else p.trades_this_month + p_count <= p.monthly_trade_limit
         end;
  return found;
end
$$;
revoke execute on function public.increment_user_trades(uuid, integer) from public, anon, authenticated;
grant execute on function public.increment_user_trades(uuid, integer) to service_role;
comment on function public.increment_user_trades(uuid, integer) is
  'Service only: atomically reserve p_count trades of the user''s monthly limit, all or nothing (rolling the UTC month over). True = reserved.';

-- ---------------------------------------------------------------------------------------------------------------------
-- Hand back up to p_count reservations for orders that were never sent. Only within the period they were taken in:
-- after a rollover the counter already restarted, and a late release must not eat into the new month. Never below 0.
-- Returns how many were actually handed back.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.release_user_trades(p_user_id uuid, p_count integer)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_held integer;
begin
  if p_count is null or p_count < 1 then
    raise exception 'p_count must be at least 1 (got %)', p_count using errcode = '22023';
  end if;
  -- The row lock makes read-then-write one step for concurrent releases and reservations.
  select p.trades_this_month into v_held
    from public.polybot_user_profiles p
   where p.id = p_user_id
     and p.trade_period_start >= date_trunc('month', now(), 'UTC')
     for update;
  if not found or v_held <= 0 then
    return 0;
  end if;
  update public.polybot_user_profiles p
     set trades_this_month = greatest(0, v_held - p_count)
   where p.id = p_user_id;
  return least(v_held, p_count);
end
$$;
revoke execute on function public.release_user_trades(uuid, integer) from public, anon, authenticated;
grant execute on function public.release_user_trades(uuid, integer) to service_role;
comment on function public.release_user_trades(uuid, integer) is
  'Service only: give back up to p_count trade reservations of the current UTC month for orders never sent (never below 0). Returns how many.';
