// supabase/seed.sql (demo users with a known password) runs only on a database the local stack bootstrapped: on one
// without the polybot_local.instance marker — any hosted project — it refuses before writing anything
// (docs/SECURITY.md §10.2). The CLI's own seeding is off in config.toml too.
import { readFileSync } from 'node:fs';
import { applySeed } from '@polybot/db/migrate';
import { applyBootstrap, SEED_FILE } from '@polybot/local-stack/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

const demoUsers = async (): Promise<number> =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from auth.users where email like '%@demo.polybot.local'`)[0]
    ?.n ?? -1;
const seedRecorded = async (): Promise<number> =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from supabase_migrations.seed_files`)[0]?.n ?? -1;

describe('the demo seed', () => {
  it('refuses on a database without the local-stack marker, before writing anything', async () => {
    // As a hosted project looks: no polybot_local schema.
    await db.superuser`drop schema polybot_local cascade`;
    await expect(applySeed(db.sql, SEED_FILE)).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('supabase/seed.sql refused: this is not a local-stack database'),
    });
    expect(await demoUsers()).toBe(0);
    expect(await seedRecorded()).toBe(0);
  });

  it('loads on a database the local stack bootstrapped (the bootstrap sets the marker)', async () => {
    await applyBootstrap(db.superuser);
    await applySeed(db.sql, SEED_FILE);
    expect(await demoUsers()).toBe(3);
  });

  it('the Supabase CLI does not seed (config.toml [db.seed] enabled = false)', () => {
    const toml = readFileSync(new URL('../config.toml', import.meta.url), 'utf8');
    const seed = /^\[db\.seed\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? '';
    expect(seed).toMatch(/^enabled = false$/m);
  });
});
