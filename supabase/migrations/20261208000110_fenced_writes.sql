-- =====================================================================================================================
-- Fenced writes (issue 15 item 2): a bot-manager that lost a user's shard — its lease expired while it was frozen or
-- cut off — can no longer write for that user, whatever its runners still believe. docs/ARCHITECTURE.md §4
-- "Coordination tables and fencing".
--
-- The manager puts its lease token into the transaction-local setting polybot.fence (asManager does it in the same
-- statement that sets its role claims, once bindManagerFence gave it the token). private.assert_fenced_write(user):
--   * polybot.fence set: the user's shard (user_shard) must be owned by that token and its lease live, else SQLSTATE
--     PBF01 "stale owner: …" (the manager then fences itself: stops its runners and rejoins);
--   * no fence, and the session's login is a (non-superuser) member of polybot_manager: PBF02 — a manager write
--     without a token is a bug, never silently allowed;
--   * otherwise (admins, migrations, the web app's login, users): allowed, these are not the manager.
-- session_user, not current_user: inside security definer functions current_user is the owner, but the login is still
-- the manager's. USAGE (inherited privileges), not MEMBER: on Postgres 16+ the role that created polybot_manager holds
-- an ADMIN-only membership (no inherit), which MEMBER would count.
--
-- What is fenced — every write the manager makes for ONE user (packages/db/src/service/*):
--   * polybot_bot_status insert/update (updateBotStatus, writeBotHeartbeat),
--   * polybot_trades insert/update (recordTrade; the realized P&L that applyFillToPosition writes on the trade),
--   * polybot_order_intents insert/update (recordIntents, markIntentsSent, bookIntent, resolveIntent,
--     abandonPaperIntents),
--   * polybot_settlements update (recordVenueSettlement, markRedeemed: the venue reconciliation of one user),
--   * trade reservations: increment_user_trades(uuid, integer) / release_user_trades(uuid, integer).
-- What is NOT fenced, and why:
--   * settle_market: market-level, settles every user's positions in a market at once, whichever manager runs them.
--     It writes polybot_market_resolutions, polybot_positions and INSERTS polybot_settlements (never updates them:
--     on conflict do nothing) — none of which is fenced, so it needs no exemption.
--   * markRedeemable right after settling (not_applicable → redeemable only, nothing else changed): the same
--     market-level step for every settled user; the settlements trigger lets exactly that update through.
--   * polybot_positions (applyFillToPosition books a fill onto the position; writeMarks writes marks for every held
--     instrument of every user, market-level): a booking always also writes its trade, which is fenced, in the same
--     transaction — so a stale owner's booking fails as a whole — and marks are prices, the same whoever writes them.
--   * market link proposals (polybot_market_links) and key validation (set_user_secret_validation, the key row lock on
--     polybot_user_secrets): not a user's trading; any manager may do them.
-- The one-argument increment_user_trades(uuid) is service_role's, not the manager's: not fenced.
-- =====================================================================================================================

create or replace function private.assert_fenced_write(p_user_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_fence text := nullif(current_setting('polybot.fence', true), '');
  v_shard integer := public.user_shard(p_user_id);
  v_owner record;
begin
  if v_fence is not null then
    if v_fence !~ '^[0-9]{1,18}$' then
      raise exception using errcode = 'PBF01',
        message = format('stale owner: polybot.fence %L is not a fencing token; refusing a write for user %s',
                         v_fence, p_user_id);
    end if;
    -- clock_timestamp(), not now(): a transaction that began while the lease was live must not write after it expired.
    if exists (select 1 from private.shard_owners o join private.manager_leases l on l.token = o.token
                where o.shard = v_shard and o.token = v_fence::bigint and l.expires_at > clock_timestamp()) then
      return;
    end if;
    select o.token, l.manager_id, l.expires_at into v_owner
      from private.shard_owners o left join private.manager_leases l on l.token = o.token
     where o.shard = v_shard;
    raise exception using errcode = 'PBF01',
      message = format('stale owner: fencing token %s does not own user %s (shard %s); %s', v_fence, p_user_id, v_shard,
        case when v_owner.token is null then 'nobody owns that shard now'
             when v_owner.token = v_fence::bigint then format('its lease expired at %s', v_owner.expires_at)
             when v_owner.expires_at is null or v_owner.expires_at <= clock_timestamp()
               then format('its owner now is token %s, whose lease has expired too', v_owner.token)
             else format('it is owned by manager %s (token %s) now', v_owner.manager_id, v_owner.token) end),
      hint = 'This manager lost the shard: stop its runners and rejoin.';
  end if;
  if pg_catalog.pg_has_role(session_user, 'polybot_manager', 'USAGE')
     and not (select r.rolsuper from pg_catalog.pg_roles r where r.rolname = session_user) then
    raise exception using errcode = 'PBF02',
      message = format('a bot-manager write without a fencing token (login %s, user %s) is refused', session_user,
                       p_user_id),
      hint = 'Join, acquire the user''s shard and write through asManager with bindManagerFence.';
  end if;
end
$$;
revoke execute on function private.assert_fenced_write(uuid) from public, anon, authenticated, service_role, polybot_web;
comment on function private.assert_fenced_write(uuid) is
  'Refuses a write for the user unless polybot.fence is the live owner of the user''s shard (PBF01), or when a bot-manager login writes without a fence (PBF02).';

-- The trigger for the per-user tables (all have user_id). Definer: it reads private tables the writer cannot.
create or replace function private.fence_user_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.assert_fenced_write(new.user_id);
  return new;
end
$$;
revoke execute on function private.fence_user_write() from public, anon, authenticated, service_role, polybot_web;

-- Settlements: only updates are fenced (settle_market inserts them for every user), and not the market-level
-- not_applicable → redeemable step that settling does for every user (markRedeemable): that update changes nothing else.
create or replace function private.fence_settlement_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.redeem_status = 'not_applicable' and new.redeem_status = 'redeemable'
     and (to_jsonb(new) - 'redeem_status') = (to_jsonb(old) - 'redeem_status') then
    return new;
  end if;
  perform private.assert_fenced_write(new.user_id);
  return new;
end
$$;
revoke execute on function private.fence_settlement_update() from public, anon, authenticated, service_role, polybot_web;

drop trigger if exists fence_user_write on public.polybot_bot_status;
create trigger fence_user_write before insert or update on public.polybot_bot_status
  for each row execute function private.fence_user_write();
drop trigger if exists fence_user_write on public.polybot_trades;
create trigger fence_user_write before insert or update on public.polybot_trades
  for each row execute function private.fence_user_write();
drop trigger if exists fence_user_write on public.polybot_order_intents;
create trigger fence_user_write before insert or update on public.polybot_order_intents
  for each row execute function private.fence_user_write();
drop trigger if exists fence_settlement_update on public.polybot_settlements;
create trigger fence_settlement_update before update on public.polybot_settlements
  for each row execute function private.fence_settlement_update();

-- ---------------------------------------------------------------------------------------------------------------------
-- Trade reservations: restated from 20261125020000_trade_reservations.sql with the fence check first; otherwise
-- identical (grants and comments carry over with create or replace).
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.increment_user_trades(p_user_id uuid, p_count integer)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform private.assert_fenced_write(p_user_id);
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
  perform private.assert_fenced_write(p_user_id);
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
