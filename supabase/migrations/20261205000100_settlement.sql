-- =====================================================================================================================
-- Settlement: when a market resolves, every user's open positions in it are closed at the resolution's payout, in one
-- idempotent, set-based step, and each user can read a record of it. Before this nothing closed a position at
-- resolution and nothing wrote polybot_trades.realized_pnl_usd, so the dashboard's realized P&L stayed at $0.00.
--
--   * polybot_market_resolutions — the public fact "market M resolved (or was voided) with these payouts". The first
--     recorded resolution wins; a different second one is refused (settle_market raises SQLSTATE PB409).
--   * polybot_settlements        — one row per settled position (RLS: a user reads their own).
--   * polybot_positions          — gains close_reason ('sold' | 'settled'), strategy and leg_group_id (of the buy that
--     opened it: the P&L summaries by strategy and the basket valuation in @polybot/schemas pnl.ts read them).
--   * settle_market(...)         — service only: records the resolution and settles, returning only what THIS call
--     settled. A replay (the same event again, a restarted manager) returns nothing and changes nothing; an interrupted
--     call (one transaction) leaves nothing behind, so its retry settles once.
--
-- The rule (also in docs/ARCHITECTURE.md section 4 and packages/schemas/src/pnl.ts, which mirrors it for replayFills):
--   payout per contract = the resolution's payout for the position's instrument: 1 for the winner, 0 for a loser,
--                         0.5 each for a Polymarket 50-50, settlement_value / 100 for Kalshi (YES; NO gets the rest);
--   voided              → each position is paid back its average entry price per contract (money back, fees lost);
--   realized P&L        = size × payout per contract − cost_basis_usd (the cost basis already holds the buy fees);
--   rule                = voided | won (payout 1) | lost (payout 0) | split (anything between).
-- Live Polymarket winnings are not paid by the venue automatically: such a settlement is 'redeemable' until the
-- manager records the redemption; live Kalshi settlements are reconciled with the venue's settlements endpoint
-- (venue_payout_usd, venue_reference, reconciled_at). Paper settlements are 'not_applicable'.
--
-- Position booking (packages/db applyFillToPosition) is also tightened here, in TypeScript: a sale realizes against
-- the average COST per contract (cost_basis_usd / size, buy fees included) through sale_realized_pnl_usd, and the
-- trade's own realized_pnl_usd is written, so realized P&L = sales' realized + settlements' realized, and
-- realized + unrealized = cash delta + mark value holds to the cent (every fee is counted exactly once).
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_market_resolutions
-- ---------------------------------------------------------------------------------------------------------------------
create table if not exists public.polybot_market_resolutions (
  platform text not null check (platform in ('polymarket', 'kalshi')),
  market_id text not null check (length(market_id) between 1 and 200),
  status text not null check (status in ('resolved', 'voided')),
  payouts jsonb not null default '{}'::jsonb check (jsonb_typeof(payouts) = 'object'),
  winning_outcome text check (winning_outcome is null or length(winning_outcome) between 1 and 200),
  resolved_at timestamptz not null,
  source text not null check (source in ('venue', 'admin')),
  recorded_at timestamptz not null default now(),
  primary key (platform, market_id)
);

comment on table public.polybot_market_resolutions is 'One row per resolved market (a public market fact). Written only by settle_market; the first recorded resolution wins.';
comment on column public.polybot_market_resolutions.platform is 'polymarket or kalshi.';
comment on column public.polybot_market_resolutions.market_id is 'Polymarket condition id / Kalshi market ticker.';
comment on column public.polybot_market_resolutions.status is 'resolved (paid by payouts) or voided (every position paid back its average entry price).';
comment on column public.polybot_market_resolutions.payouts is 'JSON object {instrument_id: payout per contract in USD, 0..1}: 1 winner, 0 loser, 0.5 each for a 50-50, Kalshi settlement_value/100. Empty for voided.';
comment on column public.polybot_market_resolutions.winning_outcome is 'The winning outcome as the venue names it (null for a 50-50 or voided market).';
comment on column public.polybot_market_resolutions.resolved_at is 'When the venue resolved the market.';
comment on column public.polybot_market_resolutions.source is 'venue (seen by the market watcher) or admin (entered by hand).';
comment on column public.polybot_market_resolutions.recorded_at is 'When the platform recorded it.';

alter table public.polybot_market_resolutions enable row level security;
grant select on public.polybot_market_resolutions to authenticated;
grant select, insert, update, delete on public.polybot_market_resolutions to service_role;

drop policy if exists "Signed-in users can read resolutions" on public.polybot_market_resolutions;
create policy "Signed-in users can read resolutions" on public.polybot_market_resolutions
  for select to authenticated using (true);

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_positions: why a position closed, and what opened it
-- ---------------------------------------------------------------------------------------------------------------------
alter table public.polybot_positions add column if not exists close_reason text;
alter table public.polybot_positions add column if not exists strategy text;
alter table public.polybot_positions add column if not exists leg_group_id text;

alter table public.polybot_positions drop constraint if exists polybot_positions_close_reason_check;
alter table public.polybot_positions add constraint polybot_positions_close_reason_check
  check (close_reason is null or close_reason in ('sold', 'settled'));
alter table public.polybot_positions drop constraint if exists polybot_positions_strategy_check;
alter table public.polybot_positions add constraint polybot_positions_strategy_check
  check (strategy is null or strategy in ('single_platform', 'cross_platform', 'overlapping', 'news', 'copy_trading', 'unwind'));

comment on column public.polybot_positions.close_reason is 'Why it closed: sold (a sale left nothing) or settled (its market resolved). Null while open.';
comment on column public.polybot_positions.strategy is 'The strategy of the buy that opened the position (P&L by strategy counts its result there).';
comment on column public.polybot_positions.leg_group_id is 'The basket (leg group) of the buy that opened it: open positions sharing it are valued as one basket.';

-- Rows booked before this migration: the reason follows from the status, the opener from the first buy.
update public.polybot_positions set close_reason = case status when 'closed' then 'sold' else 'settled' end
 where status <> 'open' and close_reason is null;
update public.polybot_positions p set strategy = t.strategy, leg_group_id = t.leg_group_id
  from (select distinct on (user_id, platform, instrument_id, mode) user_id, platform, instrument_id, mode, strategy, leg_group_id
          from public.polybot_trades where side = 'buy' and filled_size > 0
         order by user_id, platform, instrument_id, mode, created_at, id) t
 where p.strategy is null and p.user_id = t.user_id and p.platform = t.platform
   and p.instrument_id = t.instrument_id and p.mode = t.mode;

-- settle_market finds a market's open positions by the first; the periodic mark update (packages/db writeMarks) finds
-- the open positions in an instrument by the second.
create index if not exists polybot_positions_market_open_idx on public.polybot_positions (platform, market_id)
  where status = 'open';
create index if not exists polybot_positions_instrument_open_idx on public.polybot_positions (platform, instrument_id)
  where status = 'open';

-- ---------------------------------------------------------------------------------------------------------------------
-- polybot_settlements
-- ---------------------------------------------------------------------------------------------------------------------
create table if not exists public.polybot_settlements (
  id bigint generated by default as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  position_id bigint not null unique references public.polybot_positions (id) on delete cascade,
  platform text not null check (platform in ('polymarket', 'kalshi')),
  market_id text not null,
  instrument_id text not null,
  outcome text,
  mode text not null check (mode in ('paper', 'live')),
  size numeric(18, 6) not null check (size >= 0),
  cost_basis_usd numeric(18, 6) not null check (cost_basis_usd >= 0),
  payout_per_contract numeric(10, 6) not null check (payout_per_contract >= 0 and payout_per_contract <= 1),
  payout_usd numeric(18, 6) not null check (payout_usd >= 0),
  realized_pnl_usd numeric(18, 6) not null,
  rule text not null check (rule in ('won', 'lost', 'split', 'voided')),
  settled_at timestamptz not null default now(),
  redeem_status text not null default 'not_applicable'
    check (redeem_status in ('not_applicable', 'redeemable', 'redeemed')),
  venue_payout_usd numeric(18, 6),
  venue_reference text check (venue_reference is null or length(venue_reference) between 1 and 200),
  reconciled_at timestamptz,
  foreign key (platform, market_id) references public.polybot_market_resolutions (platform, market_id)
);

comment on table public.polybot_settlements is 'One row per position settled at its market''s resolution (written by settle_market). Users read their own.';
comment on column public.polybot_settlements.user_id is 'Owner.';
comment on column public.polybot_settlements.position_id is 'The settled position (one settlement per position, ever).';
comment on column public.polybot_settlements.platform is 'polymarket or kalshi.';
comment on column public.polybot_settlements.market_id is 'The resolved market.';
comment on column public.polybot_settlements.instrument_id is 'Polymarket token id / Kalshi ticker:side.';
comment on column public.polybot_settlements.outcome is 'Outcome name of the position.';
comment on column public.polybot_settlements.mode is 'paper or live.';
comment on column public.polybot_settlements.size is 'Contracts held at settlement.';
comment on column public.polybot_settlements.cost_basis_usd is 'Cost basis of those contracts (buy fees included).';
comment on column public.polybot_settlements.payout_per_contract is 'USD paid per contract: the resolution''s payout, or the average entry price for a voided market.';
comment on column public.polybot_settlements.payout_usd is 'size × payout_per_contract.';
comment on column public.polybot_settlements.realized_pnl_usd is 'payout_usd − cost_basis_usd.';
comment on column public.polybot_settlements.rule is 'won (payout 1), lost (0), split (between, e.g. a 50-50) or voided (money back, fees lost).';
comment on column public.polybot_settlements.settled_at is 'When the platform settled it.';
comment on column public.polybot_settlements.redeem_status is 'not_applicable (paper, Kalshi, nothing to collect), redeemable (live Polymarket winnings to redeem on chain) or redeemed.';
comment on column public.polybot_settlements.venue_payout_usd is 'What the venue reports it paid (live Kalshi reconciliation, Polymarket redemption).';
comment on column public.polybot_settlements.venue_reference is 'The venue''s reference for that payout (Kalshi settlement, redemption transaction hash).';
comment on column public.polybot_settlements.reconciled_at is 'When the venue''s payout was recorded.';

create index if not exists polybot_settlements_user_settled_idx on public.polybot_settlements (user_id, settled_at desc);
create index if not exists polybot_settlements_market_idx on public.polybot_settlements (platform, market_id);

alter table public.polybot_settlements enable row level security;
grant select on public.polybot_settlements to authenticated;
grant select, insert, update, delete on public.polybot_settlements to service_role;

drop policy if exists "Users can read their own settlements" on public.polybot_settlements;
create policy "Users can read their own settlements" on public.polybot_settlements
  for select to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------------------------------
-- settle_market: record the resolution and settle the market, in one statement per step and one transaction.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.settle_market(
  p_platform text,
  p_market_id text,
  p_status text,
  p_payouts jsonb,
  p_winning_outcome text,
  p_resolved_at timestamptz,
  p_source text
)
returns table (user_id uuid, position_id bigint, instrument_id text, mode text, realized_pnl_usd numeric)
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_res public.polybot_market_resolutions;
  v_missing text;
begin
  if p_status is null or p_status not in ('resolved', 'voided') then
    raise exception 'settle_market: status must be resolved or voided, not %', p_status using errcode = '22023';
  end if;
  if p_payouts is null or jsonb_typeof(p_payouts) <> 'object' then
    raise exception 'settle_market: payouts must be a JSON object' using errcode = '22023';
  end if;
  if exists (select 1 from jsonb_each(p_payouts) e
              where jsonb_typeof(e.value) <> 'number' or (e.value #>> '{}')::numeric not between 0 and 1) then
    raise exception 'settle_market: every payout must be a number between 0 and 1' using errcode = '22023';
  end if;
  if p_status = 'resolved' and p_payouts = '{}'::jsonb then
    raise exception 'settle_market: a resolved market needs payouts' using errcode = '22023';
  end if;

  -- First write wins. A concurrent call for the same market waits here on the primary key until the first commits.
  insert into public.polybot_market_resolutions as r
    (platform, market_id, status, payouts, winning_outcome, resolved_at, source)
  values (p_platform, p_market_id, p_status, case when p_status = 'voided' then '{}'::jsonb else p_payouts end,
          p_winning_outcome, p_resolved_at, p_source)
  on conflict (platform, market_id) do nothing;

  select * into strict v_res from public.polybot_market_resolutions r
   where r.platform = p_platform and r.market_id = p_market_id;
  -- The same event again is a replay; different facts about an already resolved market are refused, never applied.
  if v_res.status <> p_status or (p_status = 'resolved' and v_res.payouts <> p_payouts) then
    raise exception 'settle_market: % market % is already recorded as % with payouts %, refusing % %',
      p_platform, p_market_id, v_res.status, v_res.payouts, p_status, p_payouts using errcode = 'PB409';
  end if;

  -- A resolved market must say what each held instrument pays: settling a position at a guessed 0 is worse than
  -- settling nothing (the caller sees the error and the market stays open until the payouts are complete).
  if v_res.status = 'resolved' then
    select p.instrument_id into v_missing from public.polybot_positions p
     where p.platform = p_platform and p.market_id = p_market_id and p.status = 'open'
       and not (v_res.payouts ? p.instrument_id)
     limit 1;
    if v_missing is not null then
      raise exception 'settle_market: % market % payouts name no payout for held instrument %',
        p_platform, p_market_id, v_missing using errcode = '22023';
    end if;
  end if;

  return query
  with due as (
    -- Lock the open positions first, so a concurrent settle (or a booking) of the same rows waits and then sees them
    -- settled: nothing is settled twice.
    select p.id,
           case when v_res.status = 'voided' then p.avg_price
                else (v_res.payouts ->> p.instrument_id)::numeric end as payout
      from public.polybot_positions p
     where p.platform = p_platform and p.market_id = p_market_id and p.status = 'open'
       for update
  ),
  closed as (
    update public.polybot_positions p set
      status = 'settled',
      close_reason = 'settled',
      closed_at = now(),
      mark_price = due.payout,
      realized_pnl_usd = p.realized_pnl_usd + round(p.size * due.payout, 6) - p.cost_basis_usd
      from due
     where p.id = due.id and p.status = 'open'
    returning p.id, p.user_id, p.platform, p.market_id, p.instrument_id, p.outcome, p.mode, p.size, p.cost_basis_usd,
              due.payout, round(p.size * due.payout, 6) as payout_usd
  ),
  booked as (
    insert into public.polybot_settlements as s
      (user_id, position_id, platform, market_id, instrument_id, outcome, mode, size, cost_basis_usd,
       payout_per_contract, payout_usd, realized_pnl_usd, rule, redeem_status)
    select c.user_id, c.id, c.platform, c.market_id, c.instrument_id, c.outcome, c.mode, c.size, c.cost_basis_usd,
           c.payout, c.payout_usd, c.payout_usd - c.cost_basis_usd,
           case when v_res.status = 'voided' then 'voided'
                when c.payout >= 1 then 'won'
                when c.payout <= 0 then 'lost'
                else 'split' end,
           case when c.mode = 'live' and c.platform = 'polymarket' and c.payout_usd > 0 then 'redeemable'
                else 'not_applicable' end
      from closed c
    on conflict (position_id) do nothing
    returning s.user_id, s.position_id, s.instrument_id, s.mode, s.realized_pnl_usd
  )
  select b.user_id, b.position_id, b.instrument_id, b.mode, b.realized_pnl_usd::numeric from booked b;
end;
$$;
revoke execute on function public.settle_market(text, text, text, jsonb, text, timestamptz, text)
  from public, anon, authenticated;
grant execute on function public.settle_market(text, text, text, jsonb, text, timestamptz, text) to service_role;
comment on function public.settle_market(text, text, text, jsonb, text, timestamptz, text) is
  'Service only: records a market''s resolution (first write wins; a different one raises PB409) and settles every open position in it for every user, set-based and idempotent. Returns the positions settled by this call only.';

comment on function public.sale_realized_pnl_usd(numeric, numeric, numeric, numeric, numeric) is
  'Service only: realized P&L (USD) of selling p_sold_size at p_price with p_fee from a position of p_held_size whose average cost per contract is p_avg_price (the booking passes cost_basis_usd / size, buy fees included). The one definition of realized P&L on a sale.';
