// Hints written before 20261207000310 from a Polymarket private key ('…' + its last 4, for a key saved without API
// credentials) are removed by that migration, from the key row and from the audit log; a hint from an API key stays.
// The database is migrated up to just before it, keys are saved through the old save_user_secret, then the rest runs.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { applyMigrations } from '@polybot/db/migrate';
import { MIGRATIONS_DIR } from '@polybot/local-stack/postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, saveSecret, type TestDatabase } from './helpers.ts';

const FIRST_WITH_SAFE_HINTS = '20261207000310';
let db: TestDatabase;
let dir: string;
let userId: string;
const privateKey = randomBytes(32).toString('hex');
const apiKey = randomUUID();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'polybot-legacy-hints-'));
  for (const f of await readdir(MIGRATIONS_DIR))
    if (f.endsWith('.sql') && f < FIRST_WITH_SAFE_HINTS) await cp(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  db = await createTestDatabase({ migrationsDir: dir });
  userId = await createAuthUser(db, 'legacy@example.test');
  await saveSecret(db.sql, userId, {
    platform: 'polymarket',
    isPaper: true,
    apiKey: null,
    apiSecret: null,
    privateKey,
  });
  await saveSecret(db.sql, userId, {
    platform: 'polymarket',
    isPaper: false,
    apiKey,
    apiSecret: JSON.stringify({ secret: 's'.repeat(20), passphrase: 'p'.repeat(8) }),
    privateKey,
  });
});
afterAll(async () => {
  await db?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const hints = () =>
  db.sql<{ is_paper: boolean; key_hint: string | null; updated_at: Date }[]>`
    select is_paper, key_hint, updated_at from public.polybot_user_secrets where user_id = ${userId} order by is_paper`;
const audited = async () =>
  (
    await db.sql<{ hint: string | null }[]>`
      select details ->> 'key_hint' as hint from public.polybot_audit_log where user_id = ${userId} order by id`
  ).map((r) => r.hint);

it('the old hint of a key saved without API credentials showed the key; after the migration it is gone', async () => {
  const last4 = privateKey.slice(-4);
  const before = await hints();
  expect(before.map((r) => r.key_hint)).toEqual([`…${apiKey.slice(-4)}`, `…${last4}`]);
  expect(await audited()).toEqual([`…${last4}`, `…${apiKey.slice(-4)}`]);

  await applyMigrations(db.sql, MIGRATIONS_DIR);

  const after = await hints();
  expect(after.map((r) => r.key_hint)).toEqual([`…${apiKey.slice(-4)}`, null]);
  // Nothing a bot uses changed: "saved" keeps its time.
  expect(after.map((r) => r.updated_at.getTime())).toEqual(before.map((r) => r.updated_at.getTime()));
  expect(await audited()).toEqual([null, `…${apiKey.slice(-4)}`]);
});
