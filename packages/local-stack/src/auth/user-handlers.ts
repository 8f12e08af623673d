// GET/PUT /user, POST /logout, and the public GET endpoints (settings, health, JWKS) — supabase/auth user.go,
// logout.go, settings.go, jwks.go.
import { z } from 'zod';
import { parseBody, requireAuthentication, type AuthContext, type AuthRequest, type Reply } from './context.ts';
import { badRequest, unprocessable } from './errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { checkPasswordStrength } from './session-handlers.ts';
import { asAuthAdmin, deleteSessions, updateUser, type LogoutScope } from './store.ts';
import { toUserJson } from './user-json.ts';

export async function getUser(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const { user } = await requireAuthentication(ctx, req);
  return { status: 200, body: toUserJson(user) };
}

const UpdateUserBody = z.looseObject({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
  nonce: z.string().optional(),
  data: z.record(z.string(), z.unknown()).nullish(),
});

export async function putUser(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const { user } = await requireAuthentication(ctx, req);
  const body = parseBody(UpdateUserBody, req.body);
  if (body.email !== undefined && body.email.trim().toLowerCase() !== (user.email ?? '')) {
    throw badRequest(
      'validation_failed',
      'Email changes are not supported by the local auth server (they need a mailer)',
    );
  }
  if (body.phone !== undefined && body.phone !== (user.phone ?? '')) {
    throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  }
  let encryptedPassword: string | undefined;
  if (body.password !== undefined) {
    checkPasswordStrength(ctx, body.password);
    if (await verifyPassword(ctx.sql, body.password, user.encrypted_password)) {
      throw unprocessable('same_password', 'New password should be different from the old password.');
    }
    encryptedPassword = await hashPassword(ctx.sql, body.password);
  }
  // GoTrue's UpdateUserMetaData: keys are merged into user_metadata; a null value removes the key.
  let userMetadata: Record<string, unknown> | undefined;
  if (body.data) {
    userMetadata = { ...(user.raw_user_meta_data ?? {}) };
    for (const [key, value] of Object.entries(body.data)) {
      if (value === null) delete userMetadata[key];
      else userMetadata[key] = value;
    }
  }
  const changes = { ...(encryptedPassword ? { encryptedPassword } : {}), ...(userMetadata ? { userMetadata } : {}) };
  const updated = await asAuthAdmin(ctx.sql, (tx) => updateUser(tx, user.id, changes));
  return { status: 200, body: toUserJson(updated ?? user) };
}

export async function logout(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const scopeParam = req.query.get('scope') ?? '';
  const scope: LogoutScope | undefined =
    scopeParam === '' ? 'global' : z.enum(['global', 'local', 'others']).safeParse(scopeParam).data;
  if (scope === undefined) throw badRequest('validation_failed', `Unsupported logout scope "${scopeParam}"`);
  const { user, sessionId } = await requireAuthentication(ctx, req);
  await asAuthAdmin(ctx.sql, (tx) => deleteSessions(tx, scope, user.id, sessionId));
  return { status: 204 };
}

export function settings(ctx: AuthContext): Reply {
  const providers = [
    'anonymous_users',
    'apple',
    'azure',
    'bitbucket',
    'discord',
    'facebook',
    'figma',
    'github',
    'gitlab',
    'google',
    'keycloak',
    'kakao',
    'linkedin_oidc',
    'notion',
    'phone',
    'slack_oidc',
    'spotify',
    'twitch',
    'twitter',
    'workos',
    'zoom',
  ];
  return {
    status: 200,
    body: {
      external: { ...Object.fromEntries(providers.map((p) => [p, false])), email: true },
      disable_signup: false,
      mailer_autoconfirm: ctx.mailerAutoconfirm,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
    },
  };
}

export function health(): Reply {
  return {
    status: 200,
    body: { version: 'local', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' },
  };
}

export function jwks(ctx: AuthContext): Reply {
  return { status: 200, body: { keys: [ctx.keys.publicJwk] } };
}
