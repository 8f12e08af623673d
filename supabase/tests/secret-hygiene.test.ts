// Keys saved through save_user_secret must exist in plaintext nowhere but inside Vault's decryption: not in any
// text/json/bytea column of any table outside `vault`, not in vault.secrets.secret (ciphertext), not in the audit
// log. The service gets them back exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { createAuthUser, createTestDatabase, saveSecret, testKeys, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;
let scannedColumns = 0;
const run = Math.random().toString(36).slice(2, 10);
const hex = (n: number) => randomBytes(n).toString('hex');
// Each key part is a marker (unique to this run) in the format save_user_secret accepts (20261207000310).
const markers = {
  apiKey: `${randomUUID().slice(0, -4)}7f3a`,
  pmApiKey: randomUUID(),
  apiSecret: `MARKER-APISECRET-${run}-91bc`,
  passphrase: `MARKER-PASS-${run}`,
  privateKey: testKeys.kalshiPem(`MARKERPRIVKEY${run}44d1`),
  rotated: hex(32),
};
const pmApiSecret = JSON.stringify({ secret: markers.apiSecret, passphrase: markers.passphrase });
const address = `0x${hex(18)}0e0e`;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'hygiene@example.test');
  await saveSecret(db.sql, userId, {
    platform: 'kalshi',
    isPaper: true,
    apiKey: markers.apiKey,
    apiSecret: null,
    privateKey: markers.privateKey,
  });
  await saveSecret(db.sql, userId, {
    platform: 'polymarket',
    isPaper: false,
    apiKey: markers.pmApiKey,
    apiSecret: pmApiSecret,
    privateKey: markers.rotated,
    additional: { signatureType: 0, address },
  });
});
afterAll(async () => db?.stop());

/** Every text-like column of every ordinary table outside vault and the system schemas. */
async function scanForMarkers(needles: string[]): Promise<Array<{ table: string; column: string; needle: string }>> {
  const columns = await db.superuser<{ schema: string; table: string; column: string; type: string }[]>`
    select n.nspname as schema, c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'm')
       and a.attnum > 0 and not a.attisdropped
       and n.nspname not in ('vault', 'pg_catalog', 'information_schema', 'pg_toast')
       and (a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'json'::regtype, 'jsonb'::regtype,
                           'bytea'::regtype, 'text[]'::regtype, 'name'::regtype))`;
  const hits: Array<{ table: string; column: string; needle: string }> = [];
  scannedColumns = columns.length;
  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const col of columns) {
    const value = col.type === 'bytea' ? `encode(${ident(col.column)}, 'escape')` : `${ident(col.column)}::text`;
    for (const needle of needles) {
      const rows = await db.superuser.unsafe(
        `select count(*)::int as n from ${ident(col.schema)}.${ident(col.table)} where position($1::text in ${value}) > 0`,
        [needle],
      );
      if ((rows[0]?.n ?? 0) > 0) hits.push({ table: `${col.schema}.${col.table}`, column: col.column, needle });
    }
  }
  return hits;
}

describe('secret hygiene', () => {
  it('no marker appears in any text/json/bytea column outside vault', async () => {
    const hits = await scanForMarkers(Object.values(markers));
    // The scan must have looked somewhere meaningful: the audit log and key metadata are text/jsonb.
    expect(scannedColumns).toBeGreaterThan(50);
    expect(hits).toEqual([]);
  });

  it('the scan does find a marker that leaked (control)', async () => {
    const planted = `MARKER-PLANTED-${run}`;
    await db.superuser`update public.polybot_user_secrets set additional_config = ${db.superuser.json({ note: planted })} where user_id = ${userId} and platform = 'polymarket'`;
    try {
      expect(await scanForMarkers([planted])).toEqual([
        { table: 'public.polybot_user_secrets', column: 'additional_config', needle: planted },
      ]);
    } finally {
      await db.superuser`update public.polybot_user_secrets set additional_config = '{}' where user_id = ${userId} and platform = 'polymarket'`;
    }
  });

  it('vault.secrets.secret holds ciphertext, not the markers', async () => {
    const rows = await db.superuser<{ secret: string }[]>`select secret from vault.secrets`;
    expect(rows).toHaveLength(5);
    for (const { secret } of rows) {
      for (const m of Object.values(markers)) expect(secret).not.toContain(m);
      expect(secret).toMatch(/^[A-Za-z0-9+/=\n]+$/);
    }
  });

  it('the root key is not in any table', async () => {
    const key = (await db.superuser<{ k: string }[]>`select vault._root_key() as k`)[0]?.k ?? '';
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await scanForMarkers([key])).toEqual([]);
    const inVault =
      await db.superuser`select 1 from vault.secrets where position(${key} in secret) > 0 or position(${key} in description) > 0`;
    expect(inVault).toHaveLength(0);
  });

  it('get_user_secrets_decrypted (service) returns them exactly', async () => {
    const rows = await db.sql.begin(async (tx) => {
      await tx`set local role service_role`;
      return tx`select platform, is_paper, api_key, api_secret, private_key from public.get_user_secrets_decrypted(${userId})`;
    });
    expect(rows).toEqual([
      {
        platform: 'kalshi',
        is_paper: true,
        api_key: markers.apiKey,
        api_secret: null,
        private_key: markers.privateKey,
      },
      {
        platform: 'polymarket',
        is_paper: false,
        api_key: markers.pmApiKey,
        api_secret: pmApiSecret,
        private_key: markers.rotated,
      },
    ]);
  });

  it('the user sees only a hint of their keys', async () => {
    const rows = await db.sql.begin(async (tx) => {
      await tx`set local role authenticated`;
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
      return tx`select platform, key_hint from public.polybot_user_secrets order by platform`;
    });
    expect(rows).toEqual([
      { platform: 'kalshi', key_hint: '…7f3a' },
      // The address the key signs for, never characters of the key itself.
      { platform: 'polymarket', key_hint: '0x…0e0e' },
    ]);
  });

  it('rotation updates Vault rows in place and deleting removes them: no orphans', async () => {
    const before = await db.superuser<{ id: string }[]>`select id from vault.secrets order by id`;
    const newKey = hex(32);
    await saveSecret(db.sql, userId, {
      platform: 'polymarket',
      isPaper: false,
      apiKey: null,
      apiSecret: null,
      privateKey: newKey,
      additional: { address },
    });
    const after = await db.superuser<{ id: string }[]>`select id from vault.secrets order by id`;
    // The API key and secret were not passed on rotation, so their Vault rows are gone; the key was updated in place.
    expect(after.length).toBe(before.length - 2);
    expect(after.every((r) => before.some((b) => b.id === r.id))).toBe(true);
    const rotated = await db.superuser<{ rotated_at: Date | null; validation_status: string }[]>`
      select rotated_at, validation_status from public.polybot_user_secrets where user_id = ${userId} and platform = 'polymarket'`;
    expect(rotated[0]?.rotated_at).toBeInstanceOf(Date);
    expect(rotated[0]?.validation_status).toBe('pending');

    await db.sql.begin(async (tx) => {
      await tx`set local role authenticated`;
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
      await tx`select public.delete_user_secret('kalshi', true)`;
    });
    const orphans = await db.superuser`
      select v.id from vault.secrets v
       where not exists (select 1 from public.polybot_user_secrets s
                          where v.id in (s.api_key_secret_id, s.api_secret_secret_id, s.private_key_secret_id))`;
    expect(orphans).toHaveLength(0);
    expect(await scanForMarkers([newKey])).toEqual([]);
  });

  it('audit entries record the key changes without the keys', async () => {
    const rows = await db.superuser<{ action: string; details: Record<string, unknown> }[]>`
      select action, details from public.polybot_audit_log where user_id = ${userId} order by id`;
    expect(rows.map((r) => r.action)).toEqual(['secret.saved', 'secret.saved', 'secret.rotated', 'secret.deleted']);
    expect(JSON.stringify(rows)).not.toMatch(/MARKER/);
    for (const m of Object.values(markers)) expect(JSON.stringify(rows)).not.toContain(m.slice(-8));
  });
});
