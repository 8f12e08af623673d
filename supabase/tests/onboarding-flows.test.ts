// Terms and onboarding through functions the Data API cannot skip (20261207000320): accept_terms stamps the server's
// time and only the current version; advance_onboarding moves one step at a time when its conditions hold. Called as
// `authenticated` with a user's claims, the way a token reaches them through PostgREST.
import { ONBOARDING_STEPS } from '@polybot/db/user';
import { TERMS_VERSION } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let fresh: string;
let other: string;

beforeAll(async () => {
  db = await createTestDatabase();
  fresh = await createAuthUser(db, 'fresh@example.test');
  other = await createAuthUser(db, 'other@example.test');
});
afterAll(async () => db?.stop());

type Profile = { onboarding_step: string; onboarding_completed: boolean; accepted_terms_version: string | null };
const profileOf = (tx: TransactionSql, id: string) =>
  tx<(Profile & { accepted_terms_at: Date | null; now: Date })[]>`
    select onboarding_step, onboarding_completed, accepted_terms_version, accepted_terms_at, now() as now
      from public.polybot_user_profiles where id = ${id}`.then((r) => r[0]);

/** Runs `fn` as `userId`, rolled back; the outcome and the user's profile afterwards (same transaction). */
const as = <T>(userId: string, fn: (tx: TransactionSql) => Promise<T>) =>
  attempt(db.sql, { role: 'authenticated', userId }, fn, (tx) => profileOf(tx, userId));

const accept = (tx: TransactionSql, version = TERMS_VERSION) => tx`select public.accept_terms(${version})`;
const advance = (tx: TransactionSql, step: string) =>
  tx<{ step: string }[]>`select public.advance_onboarding(${step}) as step`.then((r) => r[0]?.step);

describe('one home for the terms version and the steps', () => {
  it('the database accepts exactly TERMS_VERSION', async () => {
    const [r] = await db.sql<{ v: string }[]>`select private.current_terms_version() as v`;
    expect(r?.v).toBe(TERMS_VERSION);
  });
  it("the steps advance_onboarding walks are the profile CHECK's and ONBOARDING_STEPS, in order", async () => {
    const { outcome, verified } = await as(fresh, async (tx) => {
      await accept(tx);
      const reached = [];
      for (const step of ONBOARDING_STEPS.slice(2)) reached.push(await advance(tx, step));
      return reached;
    });
    expect(outcome).toEqual({ ok: true, value: ONBOARDING_STEPS.slice(2) });
    expect(verified).toMatchObject({ onboarding_step: 'done', onboarding_completed: true });
  });
});

describe('accept_terms', () => {
  it('stamps the server time and the current version, and leaves the terms step', async () => {
    const { outcome, verified } = await as(fresh, (tx) => accept(tx));
    expect(outcome.ok).toBe(true);
    expect(verified).toMatchObject({ accepted_terms_version: TERMS_VERSION, onboarding_step: 'platforms' });
    expect(verified?.accepted_terms_at?.getTime()).toBe(verified?.now.getTime());
  });
  it('refuses any other version, saying which is current', async () => {
    const { outcome, verified } = await as(fresh, (tx) => accept(tx, '2020-01-01'));
    expect(outcome).toMatchObject({ ok: false, code: '22023' });
    if (!outcome.ok) expect(outcome.message).toMatch(`accept version ${TERMS_VERSION}`);
    expect(verified).toMatchObject({ accepted_terms_version: null, accepted_terms_at: null, onboarding_step: 'terms' });
  });
  it("changes only the caller's own profile", async () => {
    const { verified } = await attempt(
      db.sql,
      { role: 'authenticated', userId: fresh },
      (tx) => accept(tx),
      (tx) => profileOf(tx, other),
    );
    expect(verified).toMatchObject({ accepted_terms_at: null, onboarding_step: 'terms' });
  });
  it('anon cannot call it', async () => {
    const { outcome } = await attempt(db.sql, { role: 'anon' }, (tx) => accept(tx));
    expect(outcome).toMatchObject({ ok: false, code: '42501' });
  });
});

describe('advance_onboarding', () => {
  it('needs the terms accepted', async () => {
    const { outcome, verified } = await as(fresh, (tx) => advance(tx, 'platforms'));
    expect(outcome).toMatchObject({ ok: false, message: 'Accept the terms first.' });
    expect(verified).toMatchObject({ onboarding_step: 'terms', onboarding_completed: false });
  });
  it('cannot skip a step (done straight after the terms)', async () => {
    const { outcome, verified } = await as(fresh, async (tx) => {
      await accept(tx);
      return advance(tx, 'done');
    });
    expect(outcome).toMatchObject({ ok: false, message: 'Finish the platforms step first.' });
    // The refusal rolls the whole attempt back: the profile is as it was.
    expect(verified).toMatchObject({ onboarding_step: 'terms', onboarding_completed: false });
  });
  it('the plan step (and so done) needs the config row', async () => {
    const { outcome, verified } = await as(fresh, async (tx) => {
      await accept(tx);
      await advance(tx, 'risk');
      await tx`reset role`;
      await tx`delete from public.polybot_user_config where user_id = ${fresh}`;
      await tx`set local role authenticated`;
      return advance(tx, 'plan');
    });
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/no configuration yet/) });
    expect(verified).toMatchObject({ onboarding_step: 'terms', onboarding_completed: false });
  });
  it('never goes backwards: a step already reached changes nothing', async () => {
    const { outcome, verified } = await as(fresh, async (tx) => {
      await accept(tx);
      for (const step of ['risk', 'plan', 'done']) await advance(tx, step);
      return advance(tx, 'risk');
    });
    expect(outcome).toEqual({ ok: true, value: 'done' });
    expect(verified).toMatchObject({ onboarding_step: 'done', onboarding_completed: true });
  });
  it('refuses an unknown step', async () => {
    const { outcome } = await as(fresh, (tx) => advance(tx, 'finished'));
    expect(outcome).toMatchObject({ ok: false, code: '22023' });
  });
  it("moves only the caller's own wizard", async () => {
    const { verified } = await attempt(
      db.sql,
      { role: 'authenticated', userId: fresh },
      async (tx) => {
        await accept(tx);
        return advance(tx, 'risk');
      },
      (tx) => profileOf(tx, other),
    );
    expect(verified).toMatchObject({ onboarding_step: 'terms', onboarding_completed: false });
  });
  it('anon cannot call it', async () => {
    const { outcome } = await attempt(db.sql, { role: 'anon' }, (tx) => advance(tx, 'platforms'));
    expect(outcome).toMatchObject({ ok: false, code: '42501' });
  });
});
