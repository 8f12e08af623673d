// Runs queries as a signed-in user, exactly as PostgREST does per request (docs/WIRE-CONTRACTS.md): inside one
// transaction, `set local role authenticated` and the whole claims JSON in `request.jwt.claims`. RLS policies, not
// application code, then decide what the user may see and change.
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

export const JwtClaimsSchema = z.looseObject({
  sub: z.uuid(),
  role: z.literal('authenticated').default('authenticated'),
  aud: z.string().default('authenticated'),
  email: z.string().optional(),
});
export type JwtClaims = z.input<typeof JwtClaimsSchema>;

export type UserTx = TransactionSql;

/**
 * Runs fn in one transaction as a Supabase role with these claims, as PostgREST does per request: with withUserClaims
 * below, the one place the role and `request.jwt.claims` are set. `role` is one of three fixed names, so it is
 * written into the statement.
 */
export async function asRole<T>(
  sql: Sql,
  role: 'authenticated' | 'anon' | 'service_role',
  claims: Record<string, unknown>,
  fn: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    return fn(tx);
  });
  return result as T;
}

/**
 * Runs fn in one transaction with the user's claims in `request.jwt.claims` but the connection's own role, not
 * `authenticated`: for the few security definer functions granted to a service's role (not to users) that act only on
 * auth.uid() — the web's private.store_own_stripe_customer (docs/SECURITY.md §1.1).
 */
export async function withUserClaims<T>(
  sql: Sql,
  user: string | JwtClaims,
  fn: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  const claims = JwtClaimsSchema.parse(typeof user === 'string' ? { sub: user } : user);
  const result = await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    return fn(tx);
  });
  return result as T;
}

export async function withUser<T>(sql: Sql, user: string | JwtClaims, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  const claims = JwtClaimsSchema.parse(typeof user === 'string' ? { sub: user } : user);
  return asRole(sql, 'authenticated', claims, fn);
}

/** The unauthenticated visitor: PostgREST's `anon` role with `{"role":"anon"}` claims. */
export function withAnon<T>(sql: Sql, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  return asRole(sql, 'anon', { role: 'anon' }, fn);
}
