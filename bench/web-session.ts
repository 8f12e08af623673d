// What the web benchmarks share: a user signed up through the local auth server, a real @supabase/ssr session cookie
// for them, and percentiles.
import { createServerClient } from '@supabase/ssr';

export const PASSWORD = 'correct horse battery';

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
};
export const fmt = (xs: number[]): string =>
  `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

/** Signs up through the auth server's API; the profile and config rows come from the database's own triggers. */
export async function signUp(authUrl: string, anonKey: string, email: string): Promise<string> {
  const res = await fetch(`${authUrl}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const body = (await res.json()) as { user?: { id: string }; id?: string };
  const id = body.user?.id ?? body.id;
  if (!res.ok || !id) throw new Error(`sign-up ${email} → ${res.status} ${JSON.stringify(body)}`);
  return id;
}

/** A real password sign-in; the cookies are whatever @supabase/ssr writes for that session (as the app's would). */
export async function sessionCookie(authUrl: string, anonKey: string, email: string): Promise<string> {
  const jar = new Map<string, string>();
  const client = createServerClient(authUrl, anonKey, {
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (set) => {
        for (const { name, value } of set) jar.set(name, value);
      },
    },
  });
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw new Error(`sign-in: ${error.message}`);
  return [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
}
