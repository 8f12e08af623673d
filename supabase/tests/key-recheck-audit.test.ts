// set_user_secret_validation (20261206000300): every check moves last_validated_at, which schedules the next hourly
// re-check, but only a check that changes the status or the venue's words is written to the audit log.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAuthUser, createTestDatabase, saveSecret, testKeys, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'recheck@example.test');
  await saveSecret(db.sql, userId, {
    platform: 'polymarket',
    isPaper: false,
    apiKey: null,
    apiSecret: null,
    privateKey: 'a'.repeat(64),
    additional: { address: testKeys.address },
  });
});
afterAll(async () => db?.stop());

const validate = (status: string, error: string | null) =>
  db.sql`select public.set_user_secret_validation(${userId}, 'polymarket', false, ${status}, ${error})`;
const audited = async (): Promise<string[]> =>
  (
    await db.sql<{ status: string }[]>`
      select details->>'status' as status from public.polybot_audit_log
       where user_id = ${userId} and action = 'secret.validated' order by id`
  ).map((r) => r.status);
async function checkedAt(): Promise<Date> {
  const [row] = await db.sql<{ at: Date }[]>`
    select last_validated_at as at from public.polybot_user_secrets where user_id = ${userId} and platform = 'polymarket'`;
  if (!row) throw new Error('no key row');
  return row.at;
}

test('a re-check that finds nothing new moves last_validated_at and writes no audit row; a change is audited', async () => {
  await validate('valid', null);
  expect(await audited()).toEqual(['valid']);
  const first = await checkedAt();

  // The hourly re-check: still valid.
  await validate('valid', null);
  await validate('valid', null);
  expect(await audited()).toEqual(['valid']);
  expect((await checkedAt()).getTime()).toBeGreaterThanOrEqual(first.getTime());

  // Revoked at the venue: audited once, with the venue's words; the same words again are not news.
  await validate('invalid', 'Polymarket live keys: the venue refused the key (401).');
  await validate('invalid', 'Polymarket live keys: the venue refused the key (401).');
  expect(await audited()).toEqual(['valid', 'invalid']);
  // Different words are.
  await validate('invalid', 'Polymarket live keys: the venue refused the key (403).');
  expect(await audited()).toEqual(['valid', 'invalid', 'invalid']);
});

test('an unknown key is not found: nothing written', async () => {
  const [row] = await db.sql<{ found: boolean }[]>`
    select public.set_user_secret_validation(${userId}, 'kalshi', false, 'valid', null) as found`;
  expect(row?.found).toBe(false);
});
