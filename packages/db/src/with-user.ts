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

export async function withUser<T>(sql: Sql, user: string | JwtClaims, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  const claims = JwtClaimsSchema.parse(typeof user === 'string' ? { sub: user } : user);
  const result = await sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    return fn(tx);
  });
  return result as T;
}

/** The unauthenticated visitor: PostgREST's `anon` role with `{"role":"anon"}` claims. */
export async function withAnon<T>(sql: Sql, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx`set local role anon`;
    await tx`select set_config('request.jwt.claims', '{"role":"anon"}', true)`;
    return fn(tx);
  });
  return result as T;
}
