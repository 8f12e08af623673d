// Shared set-up for the database suites: a throwaway cluster with bootstrap + migrations, users created the way
// Supabase Auth creates them, and a way to run one statement as a given role and always roll it back.
import { createAuthUser as insertAuthUser, createTestDatabase, type TestDatabase } from '@polybot/local-stack/postgres';
import type { Db } from '@polybot/db';
import postgres, { type TransactionSql } from 'postgres';

export type { TestDatabase };
export { createTestDatabase };

/** Insert into auth.users as GoTrue does (role supabase_auth_admin), which fires handle_new_user. */
export function createAuthUser(db: TestDatabase, email: string, meta: Record<string, unknown> = {}): Promise<string> {
  return insertAuthUser(db, { email, meta });
}

export type Actor = { role: 'anon' } | { role: 'authenticated'; userId: string } | { role: 'service_role' };

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

class Rollback extends Error {
  constructor(readonly outcome: Outcome<unknown>) {
    super('rollback');
  }
}

/**
 * Runs `fn` as `actor` inside a transaction that is always rolled back, so cases never affect each other.
 * `verify` runs afterwards in the same transaction as the migration owner (RLS bypassed) to check what really changed.
 */
export async function attempt<T, V = undefined>(
  sql: Db,
  actor: Actor,
  fn: (tx: TransactionSql) => Promise<T>,
  verify?: (tx: TransactionSql) => Promise<V>,
): Promise<{ outcome: Outcome<T>; verified: V | undefined }> {
  let verified: V | undefined;
  try {
    await sql.begin(async (tx) => {
      const claims =
        actor.role === 'authenticated'
          ? { sub: actor.userId, role: 'authenticated', aud: 'authenticated' }
          : { role: actor.role };
      await tx.unsafe(`set local role ${actor.role}`);
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      let outcome: Outcome<T>;
      await tx`savepoint attempt`;
      try {
        outcome = { ok: true, value: await fn(tx) };
      } catch (error) {
        const e = error as { code?: string; message?: string };
        outcome = { ok: false, code: e.code ?? 'unknown', message: e.message ?? String(error) };
        await tx`rollback to savepoint attempt`;
      }
      if (verify) {
        await tx`reset role`;
        await tx`select set_config('request.jwt.claims', '', true)`;
        verified = await verify(tx);
      }
      throw new Rollback(outcome);
    });
  } catch (error) {
    if (error instanceof Rollback) return { outcome: error.outcome as Outcome<T>, verified };
    throw error;
  }
  throw new Error('unreachable: attempt always rolls back');
}

/**
 * Key parts in the formats save_user_secret accepts (20261207000310), for suites about something else. `mark` puts a
 * searchable word (base64 letters) inside a PEM so a suite can look for leaks.
 */
export const testKeys = {
  /** Where a Polymarket key saved without API credentials says it signs (the web app derives it from the key). */
  address: `0x${'5a'.repeat(20)}`,
  kalshiPem: (mark = 'MIIBVQ'): string => `-----BEGIN PRIVATE KEY-----\n${mark}==\n-----END PRIVATE KEY-----`,
};

/** Saves keys for a user through the real RPC, as the web app does. */
export async function saveSecret(
  sql: Db,
  userId: string,
  args: {
    platform: string;
    isPaper: boolean;
    apiKey: string | null;
    apiSecret: string | null;
    privateKey: string | null;
    additional?: Record<string, unknown>;
  },
): Promise<Record<string, unknown>> {
  return sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
    const rows = await tx<{ r: Record<string, unknown> }[]>`
      select public.save_user_secret(${args.platform}, ${args.isPaper}, ${args.apiKey}, ${args.apiSecret},
                                     ${args.privateKey}, ${tx.json((args.additional ?? {}) as never)}) as r`;
    const first = rows[0];
    if (!first) throw new Error('save_user_secret returned nothing');
    return first.r;
  }) as Promise<Record<string, unknown>>;
}

/**
 * Runs `fn` on `n` separate connections at once, each in its own transaction as the service role, so the calls
 * really race in the server (not queued on one connection); each call's result, in order.
 */
export async function raceAsServiceRole<T>(
  db: TestDatabase,
  n: number,
  fn: (tx: TransactionSql) => Promise<T>,
): Promise<T[]> {
  const clients = Array.from({ length: n }, () => postgres(db.url, { max: 1, onnotice: () => undefined }));
  try {
    await Promise.all(clients.map((c) => c`select 1`));
    return await Promise.all(
      clients.map(
        (c) =>
          c.begin(async (tx) => {
            await tx`set local role service_role`;
            return fn(tx);
          }) as Promise<T>,
      ),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** 'ok' when `p` resolves, else the SQLSTATE it was refused with (or the error's text when it has none). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
