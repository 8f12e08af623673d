// The slice of GoTrue's admin API (supabase/auth internal/api/admin.go) that tests and dev scripts reach for through
// `supabase.auth.admin`: create a user (optionally confirmed), fetch one, delete one. Only a service_role token may.
import { z } from 'zod';
import { parseBody, type AuthContext, type AuthRequest, type Reply } from './context.ts';
import { AuthHttpError, badRequest, forbidden, unprocessable } from './errors.ts';
import { hashPassword } from './password.ts';
import { checkPasswordStrength, EMAIL } from './session-handlers.ts';
import { asAuthAdmin, deleteUser, findUserById, insertUser, type UserRow } from './store.ts';
import { verifyBearer } from './tokens.ts';
import { toUserJson } from './user-json.ts';

const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);
const BEARER = /^[Bb]earer (\S+)$/;

async function requireAdmin(ctx: AuthContext, req: AuthRequest): Promise<void> {
  const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
  if (token === undefined) throw new AuthHttpError(401, 'no_authorization', 'This endpoint requires a Bearer token');
  const claims = await verifyBearer(ctx.keys, token);
  if (!claims.role || !ADMIN_ROLES.has(claims.role)) throw forbidden('not_admin', 'User not allowed');
}

const CreateUserBody = z.looseObject({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
  email_confirm: z.boolean().optional(),
  user_metadata: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
});

export async function adminCreateUser(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  await requireAdmin(ctx, req);
  const body = parseBody(CreateUserBody, req.body);
  if (!body.email)
    throw badRequest('validation_failed', 'The local auth server creates email users only: email is required');
  const email = body.email.trim().toLowerCase();
  if (email.length > 255 || !EMAIL.test(email))
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  let encryptedPassword = '';
  if (body.password !== undefined) {
    checkPasswordStrength(ctx, body.password);
    encryptedPassword = await hashPassword(ctx.sql, body.password);
  }
  const user = await asAuthAdmin(ctx.sql, (tx) =>
    insertUser(tx, {
      email,
      encryptedPassword,
      userMetadata: body.user_metadata ?? {},
      appMetadata: body.app_metadata ?? {},
      confirmed: body.email_confirm ?? false,
    }),
  );
  if (!user) throw unprocessable('email_exists', 'A user with this email address has already been registered');
  return { status: 200, body: toUserJson(user) };
}

async function userFromPath(ctx: AuthContext, req: AuthRequest): Promise<UserRow> {
  const id = req.params.id ?? '';
  if (!z.uuid().safeParse(id).success) throw new AuthHttpError(404, 'user_not_found', 'User not found');
  const user = await asAuthAdmin(ctx.sql, (tx) => findUserById(tx, id));
  if (!user) throw new AuthHttpError(404, 'user_not_found', 'User not found');
  return user;
}

export async function adminGetUser(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  await requireAdmin(ctx, req);
  return { status: 200, body: toUserJson(await userFromPath(ctx, req)) };
}

export async function adminDeleteUser(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  await requireAdmin(ctx, req);
  const user = await userFromPath(ctx, req);
  await asAuthAdmin(ctx.sql, (tx) => deleteUser(tx, user.id));
  return { status: 200, body: {} };
}
