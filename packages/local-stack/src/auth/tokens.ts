// Access tokens with Supabase's claim set (supabase/auth internal/tokens/service.go: AccessTokenClaims), signed ES256
// with the published `kid`; and the legacy anon / service_role API keys, HS256 with the project's JWT secret, in
// the shape the Supabase CLI gives local projects.
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { forbidden, type AuthHttpError } from './errors.ts';
import type { AuthKeys } from './keys.ts';
import type { UserRow } from './store.ts';

export interface AmrEntry {
  method: string;
  timestamp: number;
}

export interface IssueAccessTokenInput {
  user: UserRow;
  sessionId: string;
  amr: readonly AmrEntry[];
  issuer: string;
  expirySeconds: number;
  now?: Date;
}

export async function issueAccessToken(
  keys: AuthKeys,
  input: IssueAccessTokenInput,
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const exp = iat + input.expirySeconds;
  const { user } = input;
  // Key order as GoTrue emits them, so a decoded token looks the same as one from hosted Supabase.
  const claims = {
    iss: input.issuer,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    exp,
    iat,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? 'authenticated',
    aal: 'aal1',
    amr: input.amr,
    session_id: input.sessionId,
    is_anonymous: user.is_anonymous,
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT' })
    .sign(keys.privateKey);
  return { token, expiresAt: exp };
}

const VerifiedClaimsSchema = z.looseObject({
  sub: z.string().optional(),
  session_id: z.string().optional(),
  role: z.string().optional(),
  is_anonymous: z.boolean().optional(),
});
export type VerifiedClaims = z.infer<typeof VerifiedClaimsSchema>;

/**
 * Verifies a bearer token the way GoTrue's parseJWTClaims does: a `kid` selects the asymmetric key (an unknown kid
 * fails), HS256 without a kid falls back to the JWT secret. Any failure is GoTrue's 403 `bad_jwt`.
 */
export async function verifyBearer(keys: AuthKeys, token: string): Promise<VerifiedClaims> {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw badJwt(error);
  }
  try {
    if (typeof header.kid === 'string') {
      if (header.kid !== keys.kid) throw new Error(`unknown kid ${header.kid}`);
      const { payload } = await jwtVerify(token, keys.publicKey, { algorithms: ['ES256'] });
      return VerifiedClaimsSchema.parse(payload);
    }
    if (header.alg === 'HS256') {
      const { payload } = await jwtVerify(token, keys.jwtSecret, { algorithms: ['HS256'] });
      return VerifiedClaimsSchema.parse(payload);
    }
    throw new Error('missing kid');
  } catch (error) {
    throw badJwt(error);
  }
}

function badJwt(error: unknown): AuthHttpError {
  const detail = error instanceof Error ? error.message : String(error);
  return forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${detail}`);
}

/** The Supabase CLI's local keys carry exactly these claims; a fixed `exp` keeps them stable for a given secret. */
const API_KEY_EXP = 1983812996;

export type ApiKeyRole = 'anon' | 'service_role';

export async function issueApiKey(keys: AuthKeys, role: ApiKeyRole): Promise<string> {
  return new SignJWT({ iss: 'supabase-demo', role, exp: API_KEY_EXP })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(keys.jwtSecret);
}

/** The role of a valid API key (what Supabase's gateway checks in the `apikey` header), or null. */
export async function verifyApiKey(keys: AuthKeys, apiKey: string): Promise<ApiKeyRole | null> {
  try {
    const { payload } = await jwtVerify(apiKey, keys.jwtSecret, { algorithms: ['HS256'] });
    return payload.role === 'anon' || payload.role === 'service_role' ? payload.role : null;
  } catch {
    return null;
  }
}
