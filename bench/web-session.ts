// What the web benchmarks share: the stack they measure (embedded Postgres, local auth, the built web app), a user
// signed up through the local auth server among `otherUsers` tenants who only own rows, a real @supabase/ssr session
// cookie for them, and percentiles.
import { startLocalAuth, type LocalAuth } from '@polybot/local-stack/auth';
import { createTestDatabase, findFreePort, type TestDatabase } from '@polybot/local-stack/postgres';
import { buildWeb, isBuilt, startWeb } from '@polybot/web/start';
import { createServerClient } from '@supabase/ssr';
import { pct } from './stats.ts';
import { insertUsers } from './users.ts';

export { pct };

export const PASSWORD = 'correct horse battery';

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

export interface BenchStack {
  db: TestDatabase;
  auth: LocalAuth;
  webUrl: string;
  email: string;
  /** The measured user: onboarded (the wizard is not what is measured) with a running bot, so every card has data. */
  userId: string;
  /** The other tenants: created straight in auth.users (the same triggers give them profiles); they only own rows. */
  others: string[];
  stop(): Promise<void>;
}

/** Builds the web app if it has no build (or BENCH_BUILD=1), then starts the stack with the user and the others. */
export async function startBenchStack(otherUsers: number): Promise<BenchStack> {
  if (process.env.BENCH_BUILD === '1' || !isBuilt()) await buildWeb();
  const db = await createTestDatabase();
  const auth = await startLocalAuth({ databaseUrl: db.url });
  const web = await startWeb({
    port: await findFreePort(),
    env: { DATABASE_URL: db.url, NEXT_PUBLIC_SUPABASE_URL: auth.url, NEXT_PUBLIC_SUPABASE_ANON_KEY: auth.anonKey },
  });
  const stop = async (): Promise<void> => {
    await web.close();
    await auth.close();
    await db.stop();
  };
  try {
    const email = `bench-${Date.now()}@example.test`;
    const userId = await signUp(auth.url, auth.anonKey, email);
    const others = await insertUsers(db.sql, otherUsers, 'other');
    await db.sql`update public.polybot_user_profiles set onboarding_step = 'done', onboarding_completed = true, accepted_terms_at = now() where id = ${userId}`;
    await db.sql`update public.polybot_bot_status set state = 'running', mode = 'paper', heartbeat_at = now(), config_version = 1,
                        config_applied_at = now() where user_id = ${userId}`;
    return { db, auth, webUrl: web.url, email, userId, others, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
