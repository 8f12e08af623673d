// Passwords are bcrypt hashes from pgcrypto — the same function supabase/seed.sql uses, so seeded users sign in.
// These statements touch no table and run as the pool's own role (`postgres`), not as supabase_auth_admin: on hosted
// Supabase GoTrue hashes in Go and supabase_auth_admin is not granted the `extensions` schema, so neither do we.
// The password travels only as a bind parameter, never inside the SQL text.
import type { Sql } from 'postgres';
import { z } from 'zod';

const HashRowSchema = z.object({ hash: z.string() });
const MatchRowSchema = z.object({ ok: z.boolean() });

/** A valid bcrypt hash of a random string: checked when the email is unknown, so both cases cost one bcrypt. */
let dummyHash: string | undefined;

export async function hashPassword(sql: Sql, password: string): Promise<string> {
  const [row] = await sql`select extensions.crypt(${password}, extensions.gen_salt('bf', 10)) as hash`;
  return HashRowSchema.parse(row).hash;
}

export async function verifyPassword(sql: Sql, password: string, hash: string | null): Promise<boolean> {
  if (hash === null || hash === '') {
    dummyHash ??= await hashPassword(sql, crypto.randomUUID());
    await sql`select extensions.crypt(${password}, ${dummyHash}) as hash`;
    return false;
  }
  const [row] = await sql`select extensions.crypt(${password}, ${hash}) = ${hash} as ok`;
  return MatchRowSchema.parse(row).ok;
}
