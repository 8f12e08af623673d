// auth.users / auth.sessions / auth.refresh_tokens, written the way GoTrue writes them.
// Every table access runs inside a transaction after `set local role supabase_auth_admin`: the tables belong to that
// role (as on hosted Supabase), so RLS and grants behave as they do for GoTrue, and a sign-up's insert fires
// handle_new_user as supabase_auth_admin exactly like the real thing. The pool itself connects as `postgres`, which
// is granted supabase_auth_admin by the bootstrap, so no extra login role or password is needed.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

const JsonObjectSchema = z.record(z.string(), z.unknown());

export const UserRowSchema = z.object({
  id: z.string(),
  aud: z.string().nullable(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  encrypted_password: z.string().nullable(),
  email_confirmed_at: z.date().nullable(),
  phone_confirmed_at: z.date().nullable(),
  last_sign_in_at: z.date().nullable(),
  raw_app_meta_data: JsonObjectSchema.nullable(),
  raw_user_meta_data: JsonObjectSchema.nullable(),
  created_at: z.date().nullable(),
  updated_at: z.date().nullable(),
  banned_until: z.date().nullable(),
  deleted_at: z.date().nullable(),
  is_anonymous: z.boolean(),
});
export type UserRow = z.infer<typeof UserRowSchema>;

const RefreshTokenRowSchema = z.object({
  id: z.number(),
  token: z.string(),
  user_id: z.string().nullable(),
  revoked: z.boolean().nullable(),
  updated_at: z.date().nullable(),
  parent: z.string().nullable(),
  session_id: z.string().nullable(),
});
type RefreshTokenRow = z.infer<typeof RefreshTokenRowSchema>;

const SessionRowSchema = z.object({ id: z.string(), user_id: z.string(), created_at: z.date().nullable() });
export type SessionRow = z.infer<typeof SessionRowSchema>;

const USER_COLUMNS = [
  'id',
  'aud',
  'role',
  'email',
  'phone',
  'encrypted_password',
  'email_confirmed_at',
  'phone_confirmed_at',
  'last_sign_in_at',
  'raw_app_meta_data',
  'raw_user_meta_data',
  'created_at',
  'updated_at',
  'banned_until',
  'deleted_at',
  'is_anonymous',
] as const;

export type AuthTx = TransactionSql;

export async function asAuthAdmin<T>(sql: Sql, fn: (tx: AuthTx) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx`set local role supabase_auth_admin`;
    return fn(tx);
  });
  return result as T;
}

function parseUser(rows: readonly unknown[]): UserRow | null {
  return rows[0] === undefined ? null : UserRowSchema.parse(rows[0]);
}

export async function findUserByEmail(tx: AuthTx, email: string): Promise<UserRow | null> {
  // Same lookup as GoTrue's FindUserByEmailAndAudience: case-insensitive, SSO users excluded.
  return parseUser(
    await tx`
    select ${tx(USER_COLUMNS)} from auth.users
     where lower(email) = lower(${email}) and aud = 'authenticated' and is_sso_user = false
     limit 1`,
  );
}

export async function findUserById(tx: AuthTx, id: string): Promise<UserRow | null> {
  return parseUser(await tx`select ${tx(USER_COLUMNS)} from auth.users where id = ${id}`);
}

export interface NewUser {
  email: string;
  /** '' for a user created by an admin without a password (GoTrue stores the empty string too). */
  encryptedPassword: string;
  userMetadata: Record<string, unknown>;
  appMetadata?: Record<string, unknown>;
  /** Sign-up confirms at once (confirmations are off locally); admin createUser only with email_confirm. */
  confirmed: boolean;
}

/** Inserts an email user. Returns null if the email is taken. */
export async function insertUser(tx: AuthTx, user: NewUser): Promise<UserRow | null> {
  const id = randomUUID();
  // GoTrue merges the email identity's data into user_metadata (sub, email, email_verified, phone_verified).
  const userMetadata = {
    ...user.userMetadata,
    email: user.email,
    email_verified: user.confirmed,
    phone_verified: false,
    sub: id,
  };
  const appMetadata = { ...user.appMetadata, provider: 'email', providers: ['email'] };
  const rows = await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                            raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${user.email},
            ${user.encryptedPassword}, ${user.confirmed ? new Date() : null}, ${tx.json(jsonValue(appMetadata))},
            ${tx.json(jsonValue(userMetadata))}, now(), now(), false, false)
    on conflict do nothing
    returning ${tx(USER_COLUMNS)}`;
  return parseUser(rows);
}

export async function deleteUser(tx: AuthTx, id: string): Promise<boolean> {
  const rows = await tx`delete from auth.users where id = ${id} returning id`;
  return rows.length > 0;
}

export async function updateUser(
  tx: AuthTx,
  id: string,
  changes: { encryptedPassword?: string; userMetadata?: Record<string, unknown> },
): Promise<UserRow | null> {
  const rows = await tx`
    update auth.users
       set encrypted_password = coalesce(${changes.encryptedPassword ?? null}, encrypted_password),
           raw_user_meta_data = coalesce(${changes.userMetadata ? tx.json(jsonValue(changes.userMetadata)) : null}::jsonb, raw_user_meta_data),
           updated_at = now()
     where id = ${id}
    returning ${tx(USER_COLUMNS)}`;
  return parseUser(rows);
}

export async function recordSignIn(tx: AuthTx, userId: string): Promise<UserRow | null> {
  return parseUser(
    await tx`
    update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId} returning ${tx(USER_COLUMNS)}`,
  );
}

/** GoTrue's refresh tokens are short random strings; only their unguessability matters. */
function newRefreshTokenString(): string {
  return randomBytes(16).toString('base64url');
}

export async function createSession(
  tx: AuthTx,
  userId: string,
): Promise<{ session: SessionRow; refreshToken: string }> {
  const [row] = await tx`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal)
    values (${randomUUID()}, ${userId}, now(), now(), 'aal1')
    returning id, user_id, created_at`;
  const session = SessionRowSchema.parse(row);
  const refreshToken = await insertRefreshToken(tx, { userId, sessionId: session.id, parent: null });
  return { session, refreshToken };
}

async function insertRefreshToken(
  tx: AuthTx,
  t: { userId: string; sessionId: string; parent: string | null },
): Promise<string> {
  const token = newRefreshTokenString();
  await tx`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values ('00000000-0000-0000-0000-000000000000', ${token}, ${t.userId}, false, now(), now(), ${t.parent}, ${t.sessionId})`;
  return token;
}

export async function findSession(tx: AuthTx, id: string): Promise<SessionRow | null> {
  const [row] = await tx`select id, user_id, created_at from auth.sessions where id = ${id}`;
  return row === undefined ? null : SessionRowSchema.parse(row);
}

/** The token row, locked against concurrent refreshes of the same token or session. */
export async function lockRefreshToken(tx: AuthTx, token: string): Promise<RefreshTokenRow | null> {
  const [row] = await tx`
    select id, token, user_id, revoked, updated_at, parent, session_id
      from auth.refresh_tokens where token = ${token} for update`;
  return row === undefined ? null : RefreshTokenRowSchema.parse(row);
}

export async function lockSession(tx: AuthTx, id: string): Promise<SessionRow | null> {
  const [row] = await tx`select id, user_id, created_at from auth.sessions where id = ${id} for update`;
  return row === undefined ? null : SessionRowSchema.parse(row);
}

export async function deleteRefreshToken(tx: AuthTx, id: number): Promise<void> {
  await tx`delete from auth.refresh_tokens where id = ${id}`;
}

/** GoTrue's FindCurrentlyActiveRefreshToken: the newest unrevoked token of the session. */
export async function activeRefreshToken(tx: AuthTx, sessionId: string): Promise<RefreshTokenRow | null> {
  const [row] = await tx`
    select id, token, user_id, revoked, updated_at, parent, session_id
      from auth.refresh_tokens where session_id = ${sessionId} and revoked = false order by id desc limit 1`;
  return row === undefined ? null : RefreshTokenRowSchema.parse(row);
}

/** GoTrue's GrantRefreshTokenSwap: revoke the presented token, issue its child in the same session. */
export async function swapRefreshToken(
  tx: AuthTx,
  old: RefreshTokenRow,
  userId: string,
  sessionId: string,
): Promise<string> {
  await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${old.id}`;
  await tx`update auth.sessions set updated_at = now() where id = ${sessionId}`;
  return insertRefreshToken(tx, { userId, sessionId, parent: old.token });
}

/** GoTrue's RevokeTokenFamily: a reused token revokes every live token of its session. */
export async function revokeTokenFamily(tx: AuthTx, sessionId: string): Promise<void> {
  await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${sessionId} and revoked = false`;
}

export type LogoutScope = 'global' | 'local' | 'others';

/** Deleting sessions deletes their refresh tokens (on delete cascade), as GoTrue's Logout* functions do. */
export async function deleteSessions(
  tx: AuthTx,
  scope: LogoutScope,
  userId: string,
  sessionId: string | undefined,
): Promise<void> {
  if (scope === 'global') {
    await tx`delete from auth.sessions where user_id = ${userId}`;
  } else if (sessionId === undefined) {
    return; // local / others need the caller's session; a token without one has nothing to end
  } else if (scope === 'local') {
    await tx`delete from auth.sessions where id = ${sessionId}`;
  } else {
    await tx`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  }
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** postgres.js wants JSON-typed values for tx.json; the metadata came through zod as unknown. */
function jsonValue(value: Record<string, unknown>): { [key: string]: JsonValue } {
  const parsed: unknown = JSON.parse(JSON.stringify(value));
  return z.record(z.string(), z.json()).parse(parsed) as { [key: string]: JsonValue };
}
