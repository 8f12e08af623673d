-- =====================================================================================================================
-- Many bot-managers (issue 15): membership leases, user shards and shard ownership. docs/ARCHITECTURE.md §4
-- "Coordination tables and fencing" and §7.9.
--
--   * Every user belongs to one of manager_shard_count() = 64 shards (user_shard(uuid): the ONE home of that rule;
--     the manager selects it, never re-implements it).
--   * Each running manager *incarnation* holds a lease row in private.manager_leases with an expiry it renews; its
--     primary key is a fencing token from a sequence, so a restarted manager (same manager_id) gets a new, larger token
--     and the two incarnations are told apart while the old one expires.
--   * private.shard_owners says which lease owns each shard. A shard is validly owned iff its token's lease is live
--     (expires_at > the database's clock). An expired lease is never revived: its manager must rejoin with a new token,
--     so a takeover by another manager after the expiry can never be undone by a late renewal.
--   * Writes on a user's behalf carry the token (20261208000110_fenced_writes.sql): the database refuses a stale owner.
--
-- Leases, not advisory locks: a session lock vanishes the instant its connection dies (another manager could take a
-- user over while the cut-off manager's runners still trade) and a frozen manager holds it forever. A lease expires on
-- the database's clock; its owner stops a stated margin before that; others wait for the expiry.
--
-- The tables are in schema private with RLS on and no grants: every read and write goes through the security definer
-- functions below, which only polybot_manager may execute. Each change of membership or ownership sends
-- NOTIFY polybot_shards_changed (payload '') so the other managers react at once instead of at their next renewal.
--
-- Clock: the functions judge liveness with clock_timestamp() taken AFTER their row locks, not the transaction start:
-- a renewal and a takeover of the same lease serialize on the lease row, and whichever comes second sees the first's
-- result against the current time (a renewal that started just before the expiry but reached the row after a takeover
-- is refused, instead of extending a lease whose shards were already taken).
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- Shards
-- ---------------------------------------------------------------------------------------------------------------------

-- A constant, not a setting: every manager must map users to the same shards at all times, so changing it means
-- stopping every manager first (shard_owners rows beyond the new count must be deleted too).
create or replace function public.manager_shard_count()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$ select 64 $$;
comment on function public.manager_shard_count() is
  'The number of user shards (64). A constant: changing it means stopping every bot-manager first.';

-- md5 of the uuid's text, first byte, modulo the count: stable across Postgres versions (unlike hashtext/uuid_hash,
-- which are internal and may change), spreads any uuids (also non-random test ones) evenly, and 256 is a multiple of
-- 64 so no shard is favoured.
create or replace function public.user_shard(p_user_id uuid)
returns integer
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
  select pg_catalog.get_byte(pg_catalog.decode(pg_catalog.md5(p_user_id::text), 'hex'), 0)
         % public.manager_shard_count()
$$;
comment on function public.user_shard(uuid) is
  'The shard (0..manager_shard_count()-1) of a user: the one definition of the user-to-shard rule. Immutable.';

-- ---------------------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------------------

create sequence if not exists private.manager_fence_tokens as bigint;
comment on sequence private.manager_fence_tokens is
  'Fencing tokens: one per manager incarnation (manager_join), strictly increasing.';

create table if not exists private.manager_leases (
  token bigint primary key default nextval('private.manager_fence_tokens'),
  manager_id text not null check (length(manager_id) between 1 and 200),
  started_at timestamptz not null default clock_timestamp(),
  renewed_at timestamptz not null default clock_timestamp(),
  expires_at timestamptz not null,
  -- A draining manager (SIGTERM) still owns its shards until it releases them, but others stop counting it as a
  -- member, so their rendezvous hashing already plans to take its shards.
  draining boolean not null default false
);
alter sequence private.manager_fence_tokens owned by private.manager_leases.token;
create index if not exists manager_leases_expires_at on private.manager_leases (expires_at);
comment on table private.manager_leases is
  'One row per bot-manager incarnation: its fencing token and lease expiry. Written only by the manager_* functions.';

create table if not exists private.shard_owners (
  shard integer primary key check (shard >= 0 and shard < 64),
  -- A deleted lease (expired over an hour, removed by manager_join) frees its shards.
  token bigint not null references private.manager_leases (token) on delete cascade,
  acquired_at timestamptz not null default clock_timestamp()
);
create index if not exists shard_owners_token on private.shard_owners (token);
comment on table private.shard_owners is
  'Which lease owns each user shard; valid only while that lease is live. Written only by the manager_* functions.';

alter table private.manager_leases enable row level security;
alter table private.shard_owners enable row level security;
-- No policies and no grants: only the definer functions (owned by the migration role) read or write them.
revoke all on table private.manager_leases, private.shard_owners
  from public, anon, authenticated, service_role, polybot_web, polybot_manager;
revoke all on sequence private.manager_fence_tokens
  from public, anon, authenticated, service_role, polybot_web, polybot_manager;

-- ---------------------------------------------------------------------------------------------------------------------
-- Membership
-- ---------------------------------------------------------------------------------------------------------------------

-- Bounds of a lease's TTL: short ones for tests, at most an hour (a longer lease would make a failover that slow).
create or replace function private.check_lease_ttl(p_ttl_ms integer)
returns interval
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_ttl_ms is null or p_ttl_ms < 50 or p_ttl_ms > 3600000 then
    raise exception 'lease ttl must be between 50 and 3600000 ms (got %)', p_ttl_ms using errcode = '22023';
  end if;
  return make_interval(secs => p_ttl_ms / 1000.0);
end
$$;

-- Live members and valid owners, as a renewal reports them (p_now: the caller's clock after its locks).
create or replace function private.coordination_view(p_now timestamptz)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('managerId', l.manager_id, 'token', l.token::text, 'draining', l.draining)
                       order by l.manager_id, l.token)
        from private.manager_leases l where l.expires_at > p_now), '[]'::jsonb),
    'owners', coalesce((
      select jsonb_agg(jsonb_build_object('shard', o.shard, 'token', o.token::text, 'managerId', l.manager_id)
                       order by o.shard)
        from private.shard_owners o join private.manager_leases l on l.token = o.token
       where l.expires_at > p_now), '[]'::jsonb))
$$;

-- Join: a new lease (new token) for this incarnation. Also deletes leases expired over an hour (and so frees shards
-- still pointing at them); younger expired rows stay so a takeover can report when the previous owner expired.
create or replace function public.manager_join(p_manager_id text, p_ttl_ms integer)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_ttl interval := private.check_lease_ttl(p_ttl_ms);
  v_lease private.manager_leases;
begin
  if p_manager_id is null or length(p_manager_id) not between 1 and 200 then
    raise exception 'manager id must be 1 to 200 characters' using errcode = '22023';
  end if;
  delete from private.manager_leases where expires_at < clock_timestamp() - interval '1 hour';
  insert into private.manager_leases (manager_id, expires_at)
  values (p_manager_id, clock_timestamp() + v_ttl)
  returning * into v_lease;
  perform pg_notify('polybot_shards_changed', '');
  return jsonb_build_object('token', v_lease.token::text, 'expiresAt', v_lease.expires_at,
                            'shardCount', public.manager_shard_count());
end
$$;

-- Renew: extend a live lease (and set draining). ok=false when it expired or is gone: never revived.
create or replace function public.manager_renew(p_token bigint, p_ttl_ms integer, p_draining boolean)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_ttl interval := private.check_lease_ttl(p_ttl_ms);
  v_lease private.manager_leases;
  v_now timestamptz;
  v_ok boolean := false;
  v_was_draining boolean;
  v_found boolean;
begin
  -- The row lock orders this renewal with a takeover judging this lease (manager_acquire_shards locks it for share).
  select * into v_lease from private.manager_leases where token = p_token for update;
  v_found := found;
  v_now := clock_timestamp();
  if v_found and v_lease.expires_at > v_now then
    v_was_draining := v_lease.draining;
    update private.manager_leases
       set renewed_at = v_now, expires_at = v_now + v_ttl, draining = coalesce(p_draining, false)
     where token = p_token
    returning * into v_lease;
    v_ok := true;
    -- Others stop counting a draining member at once (its shards are about to be released).
    if v_lease.draining <> v_was_draining then
      perform pg_notify('polybot_shards_changed', '');
    end if;
  end if;
  return jsonb_build_object('ok', v_ok, 'expiresAt', case when v_ok then v_lease.expires_at end)
         || private.coordination_view(v_now);
end
$$;

-- Acquire: take each listed shard that is free or whose owner's lease expired or vanished. Refused (empty) unless our
-- own lease is live. Shards are locked in ascending order (no deadlock between two acquirers) and each owner's lease
-- row is locked for share before it is judged, so a renewal in flight either finishes first (and the shard stays its
-- owner's) or comes second and is refused. Returns the shards newly taken; previousExpiredAt (null if the shard was
-- free or its lease row is gone) lets the manager measure the time to take over.
create or replace function public.manager_acquire_shards(p_token bigint, p_shards integer[])
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_me private.manager_leases;
  v_shard integer;
  v_owner bigint;
  v_prev_expires timestamptz;
  v_prev_found boolean;
  v_taken jsonb := '[]'::jsonb;
begin
  if exists (select 1 from unnest(p_shards) s where s is null or s < 0 or s >= public.manager_shard_count()) then
    raise exception 'shards must be between 0 and %', public.manager_shard_count() - 1 using errcode = '22023';
  end if;
  select * into v_me from private.manager_leases where token = p_token for share;
  if not found or v_me.expires_at <= clock_timestamp() then
    return v_taken;
  end if;
  for v_shard in select distinct s from unnest(p_shards) s order by s loop
    insert into private.shard_owners (shard, token) values (v_shard, p_token) on conflict (shard) do nothing;
    if found then
      v_taken := v_taken || jsonb_build_array(
        jsonb_build_object('shard', v_shard, 'previousToken', null, 'previousExpiredAt', null));
      continue;
    end if;
    select o.token into v_owner from private.shard_owners o where o.shard = v_shard for update;
    if v_owner = p_token then
      continue; -- already ours: not listed
    end if;
    select l.expires_at into v_prev_expires from private.manager_leases l where l.token = v_owner for share;
    v_prev_found := found;
    if v_prev_found and v_prev_expires > clock_timestamp() then
      continue; -- a live owner keeps it
    end if;
    update private.shard_owners set token = p_token, acquired_at = clock_timestamp() where shard = v_shard;
    v_taken := v_taken || jsonb_build_array(jsonb_build_object(
      'shard', v_shard, 'previousToken', v_owner::text,
      'previousExpiredAt', case when v_prev_found then v_prev_expires end));
  end loop;
  if jsonb_array_length(v_taken) > 0 then
    perform pg_notify('polybot_shards_changed', '');
  end if;
  return v_taken;
end
$$;

-- Release: give back those of the listed shards that are ours (whether or not our lease is still live).
create or replace function public.manager_release_shards(p_token bigint, p_shards integer[])
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_released integer;
begin
  with gone as (
    delete from private.shard_owners where token = p_token and shard = any(p_shards) returning 1
  )
  select count(*) into v_released from gone;
  if v_released > 0 then
    perform pg_notify('polybot_shards_changed', '');
  end if;
  return v_released;
end
$$;

-- Leave: release all our shards and expire our lease now (the row stays an hour, see manager_join). Our shard rows are
-- locked in ascending order first, like an acquirer does, and only then our lease row: no lock cycle with an acquire.
create or replace function public.manager_leave(p_token bigint)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform 1 from private.shard_owners where token = p_token order by shard for update;
  delete from private.shard_owners where token = p_token;
  update private.manager_leases set expires_at = least(expires_at, clock_timestamp()) where token = p_token;
  perform pg_notify('polybot_shards_changed', '');
end
$$;

comment on function public.manager_join(text, integer) is
  'Bot-manager only: a new lease (new fencing token) for this manager incarnation. {token, expiresAt, shardCount}.';
comment on function public.manager_renew(bigint, integer, boolean) is
  'Bot-manager only: extends a live lease ({ok:false} if it expired or is gone: rejoin), with live members and valid shard owners.';
comment on function public.manager_acquire_shards(bigint, integer[]) is
  'Bot-manager only: takes the listed shards that are free or whose owner lease expired; lists those newly taken.';
comment on function public.manager_release_shards(bigint, integer[]) is
  'Bot-manager only: releases those of the listed shards this lease owns; returns how many.';
comment on function public.manager_leave(bigint) is
  'Bot-manager only: releases all shards of this lease and expires it now.';

-- Only the bot-manager coordinates (the default privileges already keep EXECUTE from everyone else; stated anyway).
revoke execute on function public.manager_shard_count(), public.user_shard(uuid),
  public.manager_join(text, integer), public.manager_renew(bigint, integer, boolean),
  public.manager_acquire_shards(bigint, integer[]), public.manager_release_shards(bigint, integer[]),
  public.manager_leave(bigint)
  from public, anon, authenticated, service_role, polybot_web;
revoke execute on function private.check_lease_ttl(integer), private.coordination_view(timestamptz)
  from public, anon, authenticated, service_role, polybot_web;
grant execute on function public.manager_shard_count(), public.user_shard(uuid),
  public.manager_join(text, integer), public.manager_renew(bigint, integer, boolean),
  public.manager_acquire_shards(bigint, integer[]), public.manager_release_shards(bigint, integer[]),
  public.manager_leave(bigint)
  to polybot_manager;
