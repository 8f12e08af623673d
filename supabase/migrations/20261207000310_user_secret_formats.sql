-- =====================================================================================================================
-- save_user_secret checks what it stores itself (issue 14 items 2, 3 and 4). A signed-in user can call it through the
-- Data API with their own token, skipping the web app's zod schemas, so the function now refuses what those schemas
-- refuse (packages/schemas/src/secrets.ts; supabase/tests/user-secret-formats.test.ts runs the same cases through both):
--   * sizes first, in bytes (SECRET_FIELD_MAX_BYTES), so a 2 MB value is refused before anything reads it;
--   * Polymarket: a private key of 64 hex digits (optionally 0x), API credentials only as a whole (a UUID key plus the
--     JSON {"secret", "passphrase"} toSaveUserSecretArgs writes), additional_config with only signatureType (0–3),
--     funderAddress (required for wallet types 1–3) and address (the key's own address, derived by the web app);
--   * Kalshi: a UUID key id, a whole PEM private key block, no API secret, an empty additional_config.
-- The key hint reveals nothing secret: Kalshi's is the key id's last characters (an id, not a secret); Polymarket's is
-- the wallet address the key signs for ("0x…" and its last 4), which the caller must pass when it saves a key without
-- API credentials (SQL cannot derive an address from a key). It never falls back to the private key's characters.
-- Hints and audit entries written before from a Polymarket private key are removed below.
-- Same signature, grants and callers as 20261125000600.
-- =====================================================================================================================

-- ---------------------------------------------------------------------------------------------------------------------
-- What is wrong with a key as given, in words for the user (the zod schemas' words), or null when it may be stored.
-- Immutable and side-effect free so tests can ask it directly about many values.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function private.user_secret_format_error(
  p_platform text, p_api_key text, p_api_secret text, p_private_key text, p_additional_config jsonb
) returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
  -- The same patterns as packages/schemas/src/secrets.ts (z.uuid() is zod's RFC 9562 pattern).
  c_uuid constant text := '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$';
  c_address constant text := '^0x[0-9a-fA-F]{40}$';
  c_polymarket_key constant text := '^(0x)?[0-9a-fA-F]{64}$';
  -- JS's [\s\S] (any character, newlines included) is '.' here: Postgres regexes match newlines with '.' by default.
  c_pem constant text := '^-----BEGIN (RSA )?PRIVATE KEY-----.+-----END (RSA )?PRIVATE KEY-----$';
  v_config jsonb := coalesce(p_additional_config, '{}'::jsonb);
  v_creds jsonb;
  v_unknown text;
  v_sig jsonb;
begin
  -- Sizes (SECRET_FIELD_MAX_BYTES in secrets.ts), before any parsing.
  if octet_length(p_api_key) > 512 then
    return 'API key is too long (at most 512 bytes)';
  elsif octet_length(p_api_secret) > 4096 then
    return 'API secret is too long (at most 4096 bytes)';
  elsif octet_length(p_private_key) > 8192 then
    return 'Private key is too long (at most 8192 bytes)';
  elsif octet_length(v_config::text) > 1024 then
    return 'additional_config is too large (at most 1024 bytes)';
  elsif jsonb_typeof(v_config) <> 'object' then
    return 'additional_config must be a JSON object';
  end if;

  if p_platform = 'kalshi' then
    if p_api_key is null or p_api_key !~ c_uuid then
      return 'Kalshi API key id must be a UUID';
    elsif p_private_key is null or p_private_key !~ c_pem then
      return 'Kalshi private key must be a whole PEM block: the BEGIN PRIVATE KEY line, the key, and the END PRIVATE KEY line';
    elsif p_api_secret is not null then
      return 'Kalshi keys have no API secret: pass the key id and the private key only';
    elsif v_config <> '{}'::jsonb then
      return 'Kalshi keys take no additional_config';
    end if;
    return null;
  end if;

  -- Polymarket
  if p_private_key is null or p_private_key !~ c_polymarket_key then
    return 'Polymarket private key must be 64 hex digits (optionally 0x-prefixed)';
  end if;
  if (p_api_key is null) <> (p_api_secret is null) then
    return 'Polymarket API credentials go together: the API key with its secret and passphrase, or none of them';
  end if;
  if p_api_key is not null then
    if p_api_key !~ c_uuid then
      return 'Polymarket API key must be a UUID';
    end if;
    begin
      v_creds := p_api_secret::jsonb;
    exception when others then
      v_creds := null;
    end;
    if v_creds is null or jsonb_typeof(v_creds) <> 'object'
       or (select array_agg(k order by k) from jsonb_object_keys(v_creds) k) <> array['passphrase', 'secret']
       or jsonb_typeof(v_creds -> 'secret') <> 'string' or jsonb_typeof(v_creds -> 'passphrase') <> 'string' then
      return 'Polymarket API secret must be the JSON {"secret": …, "passphrase": …} (the secret and passphrase Polymarket gave with the API key)';
    elsif char_length(v_creds ->> 'secret') < 20 then
      return 'Polymarket API secret looks too short';
    elsif char_length(v_creds ->> 'secret') > 200 then
      return 'Polymarket API secret is too long (at most 200 characters)';
    elsif char_length(v_creds ->> 'passphrase') < 8 then
      return 'Polymarket API passphrase looks too short';
    elsif char_length(v_creds ->> 'passphrase') > 200 then
      return 'Polymarket API passphrase is too long (at most 200 characters)';
    end if;
  end if;

  select string_agg(k, ', ' order by k) into v_unknown
    from jsonb_object_keys(v_config) k where k not in ('signatureType', 'funderAddress', 'address');
  if v_unknown is not null then
    return format('additional_config has unknown keys (%s): Polymarket takes signatureType, funderAddress and address', v_unknown);
  end if;
  v_sig := coalesce(v_config -> 'signatureType', '0'::jsonb);
  if v_sig not in ('0'::jsonb, '1'::jsonb, '2'::jsonb, '3'::jsonb) then
    return 'Choose your Polymarket wallet type (signatureType 0, 1, 2 or 3)';
  end if;
  if v_config ? 'funderAddress' and (jsonb_typeof(v_config -> 'funderAddress') <> 'string' or v_config ->> 'funderAddress' !~ c_address) then
    return 'Funder address must be a 0x-prefixed 40-hex-digit address';
  elsif v_sig <> '0'::jsonb and not v_config ? 'funderAddress' then
    return 'Funder address is required for this wallet type: copy the address shown on polymarket.com under your profile (the wallet that holds your USDC/pUSD).';
  end if;
  if v_config ? 'address' and (jsonb_typeof(v_config -> 'address') <> 'string' or v_config ->> 'address' !~ c_address) then
    return 'address (the key''s own address) must be a 0x-prefixed 40-hex-digit address';
  elsif p_api_key is null and not v_config ? 'address' then
    return 'A Polymarket key saved without API credentials needs its own address in additional_config.address (the key hint is built from it, never from the key)';
  end if;
  return null;
end
$$;
revoke execute on function private.user_secret_format_error(text, text, text, text, jsonb) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------------------------------
-- save_user_secret: as before (store or rotate the caller's keys for one platform and mode; null removes a field's
-- key), now trimming surrounding whitespace, refusing malformed or oversized input (22023 / 22001, the message says
-- what is wrong) and building the hint from non-secret values only.
-- ---------------------------------------------------------------------------------------------------------------------
create or replace function public.save_user_secret(
  p_platform text,
  p_is_paper boolean,
  p_api_key text,
  p_api_secret text,
  p_private_key text,
  p_additional_config jsonb
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_row public.polybot_user_secrets%rowtype;
  v_existed boolean;
  v_prefix text;
  v_hint text;
  v_error text;
  v_config jsonb := coalesce(p_additional_config, '{}'::jsonb);
  -- Trimmed like the zod schemas trim (a PEM file ends with a newline); what is stored is the trimmed value.
  v_api_key text := nullif(btrim(p_api_key, E' \t\r\n'), '');
  v_api_secret text := nullif(btrim(p_api_secret, E' \t\r\n'), '');
  v_private_key text := nullif(btrim(p_private_key, E' \t\r\n'), '');
  v_fields text[] := array[]::text[];
begin
  if v_uid is null then
    raise exception 'save_user_secret needs a signed-in user' using errcode = '42501';
  end if;
  if p_platform is null or p_platform not in ('polymarket', 'kalshi') then
    raise exception 'unsupported platform: %', coalesce(left(p_platform, 40), 'null') using errcode = '22023',
      hint = 'Use polymarket or kalshi.';
  end if;
  if p_is_paper is null then
    raise exception 'p_is_paper must be true (paper keys) or false (live keys)' using errcode = '22023';
  end if;
  if v_api_key is null and v_api_secret is null and v_private_key is null then
    raise exception 'no key given: pass at least one of api key, api secret, private key' using errcode = '22023';
  end if;
  v_error := private.user_secret_format_error(p_platform, v_api_key, v_api_secret, v_private_key, v_config);
  if v_error is not null then
    raise exception '%', v_error
      using errcode = case when v_error like '%too long%' or v_error like '%too large%' then '22001' else '22023' end;
  end if;

  select * into v_row from public.polybot_user_secrets
   where user_id = v_uid and platform = p_platform and is_paper = p_is_paper
   for update;
  v_existed := found;

  v_prefix := format('polybot/%s/%s/%s/', v_uid, p_platform, case when p_is_paper then 'paper' else 'live' end);
  v_row.api_key_secret_id := private.put_vault_secret(v_row.api_key_secret_id, v_api_key, v_prefix || 'api_key');
  v_row.api_secret_secret_id := private.put_vault_secret(v_row.api_secret_secret_id, v_api_secret, v_prefix || 'api_secret');
  v_row.private_key_secret_id := private.put_vault_secret(v_row.private_key_secret_id, v_private_key, v_prefix || 'private_key');

  if v_api_key is not null then v_fields := array_append(v_fields, 'api_key'); end if;
  if v_api_secret is not null then v_fields := array_append(v_fields, 'api_secret'); end if;
  if v_private_key is not null then v_fields := array_append(v_fields, 'private_key'); end if;
  -- Only non-secret values: Kalshi's key id; Polymarket's wallet address, else its API key (an id; the secret and
  -- passphrase are what sign). user_secret_format_error guarantees one of the two for Polymarket.
  v_hint := case
    when p_platform = 'kalshi' then '…' || right(v_api_key, 4)
    when v_config ? 'address' then '0x…' || right(v_config ->> 'address', 4)
    else '…' || right(v_api_key, 4)
  end;

  if v_existed then
    update public.polybot_user_secrets
       set api_key_secret_id = v_row.api_key_secret_id,
           api_secret_secret_id = v_row.api_secret_secret_id,
           private_key_secret_id = v_row.private_key_secret_id,
           additional_config = v_config,
           key_hint = v_hint,
           is_active = true,
           validation_status = 'pending',
           validation_error = null,
           last_validated_at = null,
           rotated_at = now()
     where id = v_row.id;
  else
    insert into public.polybot_user_secrets
      (user_id, platform, is_paper, api_key_secret_id, api_secret_secret_id, private_key_secret_id, additional_config, key_hint)
    values
      (v_uid, p_platform, p_is_paper, v_row.api_key_secret_id, v_row.api_secret_secret_id, v_row.private_key_secret_id,
       v_config, v_hint)
    returning id into v_row.id;
  end if;

  perform private.audit(v_uid, case when v_existed then 'secret.rotated' else 'secret.saved' end, 'polybot_user_secrets',
    jsonb_build_object('platform', p_platform, 'is_paper', p_is_paper, 'key_hint', v_hint, 'fields', to_jsonb(v_fields)));

  return jsonb_build_object('id', v_row.id, 'platform', p_platform, 'is_paper', p_is_paper, 'key_hint', v_hint,
    'rotated', v_existed, 'validation_status', 'pending');
end
$$;
revoke execute on function public.save_user_secret(text, boolean, text, text, text, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.save_user_secret(text, boolean, text, text, text, jsonb) to authenticated;
comment on function public.save_user_secret(text, boolean, text, text, text, jsonb) is
  'Store or rotate the caller''s keys for one platform and mode in Vault, after checking their formats and sizes (private.user_secret_format_error); returns non-secret metadata. Polymarket keys saved without API credentials need additional_config.address (the key''s own address) for the hint.';

-- The stored copy is bounded too (the function is its only writer; this holds if that ever changes).
alter table public.polybot_user_secrets drop constraint if exists polybot_user_secrets_additional_config_size;
alter table public.polybot_user_secrets add constraint polybot_user_secrets_additional_config_size
  check (octet_length(additional_config::text) <= 1024);

-- ---------------------------------------------------------------------------------------------------------------------
-- Hints made before from a Polymarket private key: a key saved without an API key got '…' + the private key's last 4.
-- Remove them (the keys page shows '—' until the key is saved again) and the same characters from the audit log.
-- Triggers off for the row update: nothing a bot uses changed, so no NOTIFY, and updated_at ("saved") stays true.
-- ---------------------------------------------------------------------------------------------------------------------
alter table public.polybot_user_secrets disable trigger user;
update public.polybot_user_secrets set key_hint = null
 where platform = 'polymarket' and api_key_secret_id is null and key_hint is not null;
alter table public.polybot_user_secrets enable trigger user;

update public.polybot_audit_log
   set details = details - 'key_hint'
 where table_name = 'polybot_user_secrets' and action in ('secret.saved', 'secret.rotated', 'secret.deleted')
   and details ->> 'platform' = 'polymarket' and details ? 'key_hint'
   and not coalesce(details -> 'fields' ? 'api_key', false);

comment on column public.polybot_user_secrets.key_hint is
  'Non-secret hint for display: Kalshi "…" + the key id''s last 4; Polymarket "0x…" + the last 4 of the key''s address (else "…" + the API key''s last 4). Never characters of a private key.';
