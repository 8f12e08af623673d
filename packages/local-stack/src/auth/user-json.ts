// The user object GoTrue returns (supabase/auth internal/models/user.go JSON tags), built from an auth.users row.
// There is no auth.identities table locally, so the email identity GoTrue would have stored is derived from the row.
import type { UserRow } from './store.ts';

const iso = (d: Date | null): string | undefined => (d === null ? undefined : d.toISOString());

export function toUserJson(user: UserRow): Record<string, unknown> {
  const confirmedAt = iso(user.email_confirmed_at ?? user.phone_confirmed_at);
  const email = user.email ?? '';
  const identities =
    user.email === null
      ? []
      : [
          {
            identity_id: user.id,
            id: user.id,
            user_id: user.id,
            identity_data: {
              email,
              email_verified: user.email_confirmed_at !== null,
              phone_verified: false,
              sub: user.id,
            },
            provider: 'email',
            last_sign_in_at: iso(user.last_sign_in_at),
            created_at: iso(user.created_at),
            updated_at: iso(user.updated_at),
            email,
          },
        ];
  return dropUndefined({
    id: user.id,
    aud: user.aud ?? 'authenticated',
    role: user.role ?? 'authenticated',
    email,
    email_confirmed_at: iso(user.email_confirmed_at),
    phone: user.phone ?? '',
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmed_at: confirmedAt,
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities,
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    banned_until: iso(user.banned_until),
    is_anonymous: user.is_anonymous,
  });
}

/** GoTrue's AccessTokenResponse: what sign-up, password sign-in and refresh return. */
export function toSessionJson(input: {
  accessToken: string;
  expiresIn: number;
  expiresAt: number;
  refreshToken: string;
  user: UserRow;
}): Record<string, unknown> {
  return {
    access_token: input.accessToken,
    token_type: 'bearer',
    expires_in: input.expiresIn,
    expires_at: input.expiresAt,
    refresh_token: input.refreshToken,
    user: toUserJson(input.user),
  };
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
