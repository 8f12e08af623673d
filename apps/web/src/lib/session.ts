// Who is asking: derived only from verified token claims (getClaims checks the signature against the JWKS),
// never from a cookie's contents or a form field. Data access then runs as that user under RLS.
import 'server-only';
import { withUser, type JwtClaims, type UserTx } from '@polybot/db';
import { redirect } from 'next/navigation';
import { db } from './db.ts';
import { createSupabaseServerClient } from './supabase/server.ts';

export async function getClaims(): Promise<JwtClaims | null> {
  const supabase = await createSupabaseServerClient();
  const { data, error } = await supabase.auth.getClaims();
  if (error || !data?.claims.sub) return null;
  const c = data.claims;
  return { ...c, sub: c.sub, role: 'authenticated', aud: typeof c.aud === 'string' ? c.aud : 'authenticated' };
}

/** For pages: the signed-in user's claims, or a redirect to sign-in. */
export async function requireClaims(next?: string): Promise<JwtClaims> {
  const claims = await getClaims();
  if (!claims) redirect(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  return claims;
}

/** Runs fn as the given user: one transaction, role authenticated, claims set — RLS scopes every row. */
export function asUser<T>(claims: JwtClaims, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  return withUser(db(), claims, fn);
}
