-- =====================================================================================================================
-- Local Supabase platform bootstrap.
--
-- Recreates, on a plain Postgres 15+ (locally: embedded Postgres 17), the part of the hosted Supabase platform our
-- migrations rely on: roles and their attributes, the 2026 default-privilege revocation, the `auth` schema
-- (`auth.users`, `auth.uid/role/email/jwt`) and Vault's API (`vault.secrets`, `vault.decrypted_secrets`,
-- `vault.create_secret`, `vault.update_secret`). Contract: docs/WIRE-CONTRACTS.md (from supabase/postgres init
-- scripts, supabase/auth migrations, supabase/vault 0.3.x). Same names, signatures and grants as hosted Supabase.
--
-- NEVER applied to hosted Supabase: `db:setup` runs it only when the `auth` schema is missing.
-- Must be run by a superuser (it creates roles, writes the Vault root key file and owns Vault's internals).
-- Idempotent: safe to run twice.
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- Roles (supabase/postgres migrations/db/init-scripts/00000000000000-initial-schema.sql and later migrations)
-- ---------------------------------------------------------------------------------------------------------------------
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit createrole;
  end if;
  -- Hosted projects: postgres is NOT a superuser. Locally the cluster superuser is supabase_admin and postgres is
  -- created with the hosted attributes, so a migration that needs superuser fails here exactly as it would there.
  -- On a plain Postgres whose superuser is already called postgres, that role is left as it is.
  if not exists (select 1 from pg_roles where rolname = 'postgres') then
    create role postgres nosuperuser createdb createrole login replication bypassrls;
  end if;
end
$$;

-- Later Supabase migrations made the API roles inherit.
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;

grant anon, authenticated, service_role to authenticator;
-- With ADMIN OPTION, as on hosted projects: migrations (run as postgres) grant these to the services' group roles
-- (polybot_web becomes authenticated; docs/SECURITY.md §1).
grant anon, authenticated, service_role to postgres with admin option;
grant supabase_auth_admin to postgres;

alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- postgres owns the database's public schema on hosted projects (it runs the migrations).
do $$
begin
  execute format('alter database %I owner to postgres', current_database());
exception when insufficient_privilege then
  raise notice 'bootstrap: could not make postgres the database owner (not a superuser?): %', sqlerrm;
end
$$;
alter schema public owner to postgres;

-- ---------------------------------------------------------------------------------------------------------------------
-- Extensions live in their own schema, as on Supabase.
-- ---------------------------------------------------------------------------------------------------------------------
create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------------------
-- The 2026 default-privilege revocation (Supabase changelog #45329; supabase/cli RevokeDefaultDataApiPrivilegesSql):
-- new objects in public are granted to nobody by default, so every migration grants explicitly.
-- ---------------------------------------------------------------------------------------------------------------------
alter default privileges for role postgres in schema public revoke select, insert, update, delete on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public revoke usage, select on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public revoke execute on functions from anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------------------
-- auth schema (supabase/auth migrations). Owned by supabase_auth_admin, as on hosted projects.
-- ---------------------------------------------------------------------------------------------------------------------
create schema if not exists auth authorization supabase_auth_admin;
grant usage on schema auth to anon, authenticated, service_role, postgres;

create table if not exists auth.users (
  instance_id uuid,
  id uuid not null primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique default null,
  phone_confirmed_at timestamptz,
  banned_until timestamptz,
  deleted_at timestamptz,
  is_sso_user boolean not null default false,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
create index if not exists users_instance_id_idx on auth.users (instance_id);
alter table auth.users owner to supabase_auth_admin;
alter table auth.users enable row level security;
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';

-- Refresh tokens and sessions, for the local GoTrue-compatible auth server.
create table if not exists auth.sessions (
  id uuid not null primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz,
  updated_at timestamptz,
  aal text,
  not_after timestamptz
);
alter table auth.sessions owner to supabase_auth_admin;
alter table auth.sessions enable row level security;

create table if not exists auth.refresh_tokens (
  instance_id uuid,
  id bigserial primary key,
  token varchar(255) unique,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz,
  updated_at timestamptz,
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade
);
alter table auth.refresh_tokens owner to supabase_auth_admin;
alter table auth.refresh_tokens enable row level security;

-- postgres may reference auth.users and put triggers on it (Supabase's handle_new_user pattern).
grant all on auth.users, auth.sessions, auth.refresh_tokens to postgres;

-- supabase/auth migrations/20220224000811_update_auth_functions.up.sql
create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

-- supabase/auth migrations/20220531120530_add_auth_jwt_function.up.sql
create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
alter function auth.jwt() owner to supabase_auth_admin;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to anon, authenticated, service_role, postgres;

-- ---------------------------------------------------------------------------------------------------------------------
-- Vault (supabase/vault sql/supabase_vault--0.3.0.sql API; grants from supabase/postgres .../supabase_vault/after-create.sql)
--
-- Hosted Vault encrypts with a root key held by the server, never in a table. Locally the root key is 32 random bytes
-- generated INSIDE the server and written to a file in the data directory (mode 0600, owned by the server's OS user);
-- only superuser-owned security definer functions can read it (pg_read_file). It never crosses the wire and never
-- lands in a table. Ciphertext (PGP symmetric, AES-256, with integrity check) goes to vault.secrets.secret as base64.
-- ---------------------------------------------------------------------------------------------------------------------
create schema if not exists vault;
revoke all on schema vault from public;

do $$
begin
  if pg_catalog.pg_stat_file('polybot_vault_root.key', true) is null then
    execute format(
      $copy$copy (select encode(extensions.gen_random_bytes(32), 'hex')) to %L$copy$,
      current_setting('data_directory') || '/polybot_vault_root.key');
  end if;
end
$$;

create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default extensions.gen_random_bytes(24),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
create unique index if not exists secrets_name_idx on vault.secrets (name) where name is not null;
comment on table vault.secrets is 'Table with encrypted `secret` column for storing sensitive information on disk.';

create or replace function vault._root_key() returns text
language sql stable security definer set search_path = ''
as $$
  select pg_catalog.btrim(pg_catalog.pg_read_file('polybot_vault_root.key'), E' \n\r\t')
$$;

-- The per-secret nonce is mixed into the passphrase so equal plaintexts never share a key stream.
create or replace function vault._crypto_encrypt(message text, nonce bytea) returns text
language sql volatile security definer set search_path = ''
as $$
  select pg_catalog.encode(
    extensions.pgp_sym_encrypt(message, vault._root_key() || pg_catalog.encode(nonce, 'hex'), 'cipher-algo=aes256, s2k-mode=1'),
    'base64')
$$;

create or replace function vault._crypto_decrypt(ciphertext text, nonce bytea) returns text
language sql stable security definer set search_path = ''
as $$
  select extensions.pgp_sym_decrypt(
    pg_catalog.decode(ciphertext, 'base64'), vault._root_key() || pg_catalog.encode(nonce, 'hex'), 'cipher-algo=aes256')
$$;

create or replace function vault.create_secret(
  new_secret text,
  new_name text default null,
  new_description text default '',
  new_key_id uuid default null
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  rec record;
  v_nonce bytea := extensions.gen_random_bytes(24);
begin
  insert into vault.secrets (secret, name, description, key_id, nonce)
  values (vault._crypto_encrypt(new_secret, v_nonce), new_name, coalesce(new_description, ''), new_key_id, v_nonce)
  returning * into rec;
  return rec.id;
end
$$;

create or replace function vault.update_secret(
  secret_id uuid,
  new_secret text default null,
  new_name text default null,
  new_description text default null,
  new_key_id uuid default null
) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_nonce bytea;
begin
  select nonce into v_nonce from vault.secrets where id = secret_id;
  update vault.secrets s
     set secret = case when new_secret is null then s.secret else vault._crypto_encrypt(new_secret, v_nonce) end,
         name = coalesce(new_name, s.name),
         description = coalesce(new_description, s.description),
         key_id = coalesce(new_key_id, s.key_id),
         updated_at = now()
   where s.id = secret_id;
end
$$;

create or replace view vault.decrypted_secrets as
select s.id,
       s.name,
       s.description,
       s.secret,
       case when s.secret is null then null else vault._crypto_decrypt(s.secret, s.nonce) end as decrypted_secret,
       s.key_id,
       s.nonce,
       s.created_at,
       s.updated_at
  from vault.secrets s;

revoke all on all tables in schema vault from public, anon, authenticated, service_role, postgres;
revoke execute on all functions in schema vault from public, anon, authenticated;
grant usage on schema vault to postgres, service_role;
grant select, delete on vault.secrets, vault.decrypted_secrets to postgres, service_role;
grant execute on function vault.create_secret(text, text, text, uuid), vault.update_secret(uuid, text, text, text, uuid)
  to postgres, service_role;
-- The view decrypts by calling this function as the reader, so its readers need it; nobody else does.
grant execute on function vault._crypto_decrypt(text, bytea) to postgres, service_role;
revoke execute on function vault._root_key(), vault._crypto_encrypt(text, bytea) from postgres, service_role;

-- ---------------------------------------------------------------------------------------------------------------------
-- The local stack's marker: this database was bootstrapped here (embedded Postgres, `npm run db:setup` on a plain
-- Postgres), so it is not a hosted Supabase project, which never runs this file. supabase/seed.sql — demo users with a
-- known password — refuses to run where this table is missing (docs/SECURITY.md §10.2). Nobody but the owner reads it.
-- ---------------------------------------------------------------------------------------------------------------------
create schema if not exists polybot_local;
revoke all on schema polybot_local from public;
comment on schema polybot_local is 'Local stack only (packages/local-stack bootstrap): never present on a hosted project.';
create table if not exists polybot_local.instance (
  bootstrapped_at timestamptz not null default now()
);
insert into polybot_local.instance (bootstrapped_at)
select now() where not exists (select 1 from polybot_local.instance);
comment on table polybot_local.instance is 'Marks a database bootstrapped by the local stack; supabase/seed.sql runs only where it exists.';
