// Sign-up, sign-in, refresh rotation, sign-out and the demo seed through the real supabase-js client against the
// local auth server and a real, fully migrated Postgres.
import { isAuthApiError, type SupabaseClient } from '@supabase/supabase-js';
import { createServerClient } from '@supabase/ssr';
import { applySeed } from '@polybot/db/migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, SEED_FILE, type TestDatabase } from '../postgres/index.ts';
import { startLocalAuth, type LocalAuth } from './index.ts';
import { createTestClient, transport } from '../../testing/supabase-client.ts';

let db: TestDatabase;
let auth: LocalAuth;
const serverErrors: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  // Reuse interval 0: any reuse outside GoTrue's "lost the last answer" case is refused at once (no clock in tests).
  auth = await startLocalAuth({
    databaseUrl: db.url,
    refreshTokenReuseIntervalSeconds: 0,
    onError: (e) => serverErrors.push(e),
  });
}, 120_000);

afterAll(async () => {
  await auth?.close();
  await db?.stop();
});

const client = (): SupabaseClient => createTestClient(auth.url, auth.anonKey);

let counter = 0;
const newEmail = (): string => `user${++counter}-${Date.now()}@example.test`;

async function signUp(email = newEmail(), password = 'correct-horse-1') {
  const { data, error } = await client().auth.signUp({ email, password });
  if (error || !data.session || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return { email, password, session: data.session, user: data.user };
}

async function expectAuthError(promise: Promise<{ error: unknown }>, code: string, status?: number): Promise<void> {
  const { error } = await promise;
  expect(isAuthApiError(error)).toBe(true);
  if (!isAuthApiError(error)) return;
  expect(error.code).toBe(code);
  if (status !== undefined) expect(error.status).toBe(status);
}

describe('sign-up', () => {
  it('creates the auth.users row (bcrypt password), the profile via handle_new_user, and returns a session', async () => {
    const email = newEmail();
    const { data, error } = await client().auth.signUp({
      email,
      password: 'correct-horse-1',
      options: { data: { display_name: 'Dana' } },
    });
    expect(error).toBeNull();
    expect(data.session?.access_token).toEqual(expect.any(String));
    expect(data.session?.refresh_token).toEqual(expect.any(String));
    expect(data.session?.token_type).toBe('bearer');
    expect(data.session?.expires_in).toBe(3600);
    expect(data.user?.email).toBe(email);
    expect(data.user?.user_metadata).toMatchObject({ display_name: 'Dana', email, email_verified: true });
    expect(data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
    expect(data.user?.identities?.[0]?.provider).toBe('email');

    const userId = data.user?.id ?? '';
    const [row] =
      await db.sql`select email, encrypted_password, aud, role, email_confirmed_at from auth.users where id = ${userId}`;
    expect(row?.email).toBe(email);
    expect(String(row?.encrypted_password)).toMatch(/^\$2[ab]\$10\$/);
    expect(String(row?.encrypted_password)).not.toContain('correct-horse-1');
    expect(row?.aud).toBe('authenticated');
    expect(row?.email_confirmed_at).not.toBeNull();
    const [profile] = await db.sql`select email, display_name from public.polybot_user_profiles where id = ${userId}`;
    expect(profile).toEqual({ email, display_name: 'Dana' });
    const sessions =
      await db.sql`select s.id from auth.sessions s join auth.refresh_tokens r on r.session_id = s.id where s.user_id = ${userId}`;
    expect(sessions).toHaveLength(1);
  });

  it('refuses a duplicate email (any case) with user_already_exists and creates nothing', async () => {
    const { email } = await signUp();
    await expectAuthError(
      client().auth.signUp({ email: email.toUpperCase(), password: 'another-pass-2' }),
      'user_already_exists',
      422,
    );
    const [{ n } = { n: -1 }] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from auth.users where lower(email) = ${email}`;
    expect(n).toBe(1);
  });

  it('refuses a short password with weak_password and its reasons', async () => {
    const email = newEmail();
    const { error } = await client().auth.signUp({ email, password: '123' });
    expect(error?.name).toBe('AuthWeakPasswordError');
    expect(error?.code).toBe('weak_password');
    expect(error && 'reasons' in error ? error.reasons : undefined).toEqual(['length']);
    expect(await db.sql`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });

  it('fails as a whole when handle_new_user fails: 500, no auth.users row without its profile', async () => {
    await db.sql`alter table public.polybot_user_profiles add constraint test_refuse_name check (display_name is distinct from 'FAIL-ME') not valid`;
    try {
      const email = newEmail();
      const { data, error } = await client().auth.signUp({
        email,
        password: 'correct-horse-1',
        options: { data: { display_name: 'FAIL-ME' } },
      });
      expect(data.user).toBeNull();
      // supabase-js 2.109 (the last for Node 20) treats every 5xx as retryable and does not read the body...
      expect(error?.name).toBe('AuthRetryableFetchError');
      expect(error?.status).toBe(500);
      // ...so the wire body GoTrue sends (2024-01-01 format, as supabase-js asks for it) is checked directly.
      const raw = await fetch(`${auth.url}/auth/v1/signup`, {
        method: 'POST',
        headers: { apikey: auth.anonKey, 'content-type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
        body: JSON.stringify({ email: newEmail(), password: 'correct-horse-1', data: { display_name: 'FAIL-ME' } }),
      });
      expect(raw.status).toBe(500);
      expect(await raw.json()).toEqual({ code: 'unexpected_failure', message: 'Database error saving new user' });
      expect(await db.sql`select 1 from auth.users where email = ${email}`).toHaveLength(0);
      expect(serverErrors).toEqual([
        expect.objectContaining({ code: '23514' }),
        expect.objectContaining({ code: '23514' }),
      ]);
    } finally {
      await db.sql`alter table public.polybot_user_profiles drop constraint test_refuse_name`;
    }
  });

  it('refuses a malformed email with validation_failed', async () => {
    await expectAuthError(
      client().auth.signUp({ email: 'not-an-email', password: 'correct-horse-1' }),
      'validation_failed',
      400,
    );
  });
});

describe('password sign-in', () => {
  it('signs in and records last_sign_in_at', async () => {
    const { email, password, user } = await signUp();
    const { data, error } = await client().auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(user.id);
    expect(data.session?.access_token).toEqual(expect.any(String));
    expect(data.user?.last_sign_in_at).toEqual(expect.any(String));
  });

  it('answers a wrong password and an unknown email the same way: invalid_credentials', async () => {
    const { email } = await signUp();
    await expectAuthError(
      client().auth.signInWithPassword({ email, password: 'wrong-password' }),
      'invalid_credentials',
      400,
    );
    await expectAuthError(
      client().auth.signInWithPassword({ email: newEmail(), password: 'whatever-1' }),
      'invalid_credentials',
      400,
    );
  });

  it('lets the seeded demo user sign in with polybot-demo', async () => {
    await applySeed(db.sql, SEED_FILE);
    const { data, error } = await client().auth.signInWithPassword({
      email: 'alice@demo.polybot.local',
      password: 'polybot-demo',
    });
    expect(error).toBeNull();
    expect(data.user?.id).toBe('11111111-1111-4111-8111-111111111111');
    expect(data.user?.user_metadata.display_name).toBe('Alice (demo)');
  });
});

describe('refresh tokens', () => {
  it('rotates: a refresh returns a new refresh token and revokes the old one', async () => {
    const { session } = await signUp();
    const { data, error } = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session?.refresh_token).toEqual(expect.any(String));
    expect(data.session?.refresh_token).not.toBe(session.refresh_token);
    expect(data.session?.access_token).not.toBe(session.access_token);
    const rows =
      await db.sql`select token, revoked, parent from auth.refresh_tokens where token in ${db.sql([session.refresh_token, data.session?.refresh_token ?? ''])} order by id`;
    expect(rows).toEqual([
      { token: session.refresh_token, revoked: true, parent: null },
      { token: data.session?.refresh_token, revoked: false, parent: session.refresh_token },
    ]);
  });

  it('hands back the live child when the parent is replayed (a lost response), as GoTrue does', async () => {
    const { session } = await signUp();
    const first = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    const replay = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(replay.error).toBeNull();
    expect(replay.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
  });

  it('rejects reuse of an older token with refresh_token_already_used and revokes the whole session family', async () => {
    const { session } = await signUp();
    const b = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    const c = await client().auth.refreshSession({ refresh_token: b.data.session?.refresh_token ?? '' });
    expect(c.error).toBeNull();
    await expectAuthError(
      client().auth.refreshSession({ refresh_token: session.refresh_token }),
      'refresh_token_already_used',
      400,
    );
    // The thief's reuse burnt the family: the legitimate latest token is dead too.
    await expectAuthError(
      client().auth.refreshSession({ refresh_token: c.data.session?.refresh_token ?? '' }),
      'refresh_token_already_used',
      400,
    );
  });

  it('serialises concurrent refreshes of one token: both get the same new refresh token', async () => {
    const { session } = await signUp();
    const [a, b] = await Promise.all([
      client().auth.refreshSession({ refresh_token: session.refresh_token }),
      client().auth.refreshSession({ refresh_token: session.refresh_token }),
    ]);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    expect(a.data.session?.refresh_token).toBe(b.data.session?.refresh_token);
    const live = await db.sql`select 1 from auth.refresh_tokens r join auth.sessions s on s.id = r.session_id
                               where s.user_id = ${a.data.user?.id ?? ''} and not r.revoked`;
    expect(live).toHaveLength(1);
  });

  it('rejects an unknown refresh token with refresh_token_not_found', async () => {
    await expectAuthError(
      client().auth.refreshSession({ refresh_token: 'no-such-token' }),
      'refresh_token_not_found',
      400,
    );
  });
});

describe('user and sign-out', () => {
  it('getUser returns the signed-in user', async () => {
    const { session, user, email } = await signUp();
    const { data, error } = await client().auth.getUser(session.access_token);
    expect(error).toBeNull();
    expect(data.user?.id).toBe(user.id);
    expect(data.user?.email).toBe(email);
    expect(data.user?.aud).toBe('authenticated');
  });

  it('updateUser changes metadata (null removes a key) and the password', async () => {
    const c = client();
    const { email } = await signUp();
    await c.auth.signInWithPassword({ email, password: 'correct-horse-1' });
    const { data, error } = await c.auth.updateUser({
      password: 'brand-new-pass-3',
      data: { display_name: 'New', email_verified: null },
    });
    expect(error).toBeNull();
    expect(data.user?.user_metadata.display_name).toBe('New');
    expect(data.user?.user_metadata).not.toHaveProperty('email_verified');
    await expectAuthError(
      client().auth.signInWithPassword({ email, password: 'correct-horse-1' }),
      'invalid_credentials',
    );
    expect((await client().auth.signInWithPassword({ email, password: 'brand-new-pass-3' })).error).toBeNull();
    await expectAuthError(c.auth.updateUser({ password: 'brand-new-pass-3' }), 'same_password', 422);
  });

  it('signOut (global) revokes the refresh token and ends the session', async () => {
    const c = client();
    const { email, password } = await signUp();
    const { data } = await c.auth.signInWithPassword({ email, password });
    const session = data.session;
    if (!session) throw new Error('no session');
    expect((await c.auth.signOut()).error).toBeNull();
    await expectAuthError(
      client().auth.refreshSession({ refresh_token: session.refresh_token }),
      'refresh_token_not_found',
      400,
    );
    const { error } = await client().auth.getUser(session.access_token);
    expect(error?.name).toBe('AuthSessionMissingError');
    expect(await db.sql`select 1 from auth.refresh_tokens where token = ${session.refresh_token}`).toHaveLength(0);
  });

  it("signOut({ scope: 'others' }) keeps this session and ends the others; 'local' ends only this one", async () => {
    const { email, password } = await signUp();
    const one = client();
    const two = client();
    const s1 = (await one.auth.signInWithPassword({ email, password })).data.session;
    const s2 = (await two.auth.signInWithPassword({ email, password })).data.session;
    if (!s1 || !s2) throw new Error('no session');
    expect((await one.auth.signOut({ scope: 'others' })).error).toBeNull();
    await expectAuthError(client().auth.refreshSession({ refresh_token: s2.refresh_token }), 'refresh_token_not_found');
    const refreshed = await client().auth.refreshSession({ refresh_token: s1.refresh_token });
    expect(refreshed.error).toBeNull();

    const three = client();
    const s3 = (await three.auth.signInWithPassword({ email, password })).data.session;
    if (!s3) throw new Error('no session');
    expect((await three.auth.signOut({ scope: 'local' })).error).toBeNull();
    await expectAuthError(client().auth.refreshSession({ refresh_token: s3.refresh_token }), 'refresh_token_not_found');
    expect(
      (await client().auth.refreshSession({ refresh_token: refreshed.data.session?.refresh_token ?? '' })).error,
    ).toBeNull();
  });
});

describe('sign-in rate limit', () => {
  it('answers over_request_rate_limit after too many failures for one email, even with the right password', async () => {
    const limited = await startLocalAuth({ databaseUrl: db.url, maxFailedSignInsPerEmail: 3 });
    try {
      const { email, password } = await signUp();
      const c = createTestClient(limited.url, limited.anonKey);
      for (let i = 0; i < 3; i++)
        await expectAuthError(c.auth.signInWithPassword({ email, password: `wrong-${i}-pass` }), 'invalid_credentials');
      await expectAuthError(c.auth.signInWithPassword({ email, password }), 'over_request_rate_limit', 429);
      // Another account is unaffected.
      const other = await signUp();
      expect((await c.auth.signInWithPassword({ email: other.email, password: other.password })).error).toBeNull();
    } finally {
      await limited.close();
    }
  });
});

describe('@supabase/ssr', () => {
  type Cookie = { name: string; value: string };
  function serverClient(jar: Map<string, string>) {
    return createServerClient(auth.url, auth.anonKey, {
      cookies: {
        getAll: (): Cookie[] => [...jar].map(([name, value]) => ({ name, value })),
        setAll: (cookies: { name: string; value: string }[]) => {
          for (const { name, value } of cookies) {
            if (value === '') jar.delete(name);
            else jar.set(name, value);
          }
        },
      },
      realtime: { transport },
    });
  }

  it('stores the session in sb-127-auth-token (base64-) and a later request verifies it with getClaims()', async () => {
    const { email, password, user } = await signUp();
    const jar = new Map<string, string>();
    const { error } = await serverClient(jar).auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    const names = [...jar.keys()];
    expect(names.every((n) => /^sb-127-auth-token(\.\d+)?$/.test(n))).toBe(true);
    expect(names.length).toBeGreaterThan(0);
    expect(jar.get('sb-127-auth-token') ?? jar.get('sb-127-auth-token.0')).toMatch(/^base64-/);

    const next = serverClient(new Map(jar));
    const claims = await next.auth.getClaims();
    expect(claims.error).toBeNull();
    expect(claims.data?.claims.sub).toBe(user.id);
    const fetched = await next.auth.getUser();
    expect(fetched.data.user?.email).toBe(email);

    const signedOut = new Map(jar);
    expect((await serverClient(signedOut).auth.signOut()).error).toBeNull();
    expect([...signedOut.keys()].filter((n) => n.startsWith('sb-127-auth-token'))).toHaveLength(0);
  });
});

describe('admin API (service_role)', () => {
  const admin = (): SupabaseClient => createTestClient(auth.url, auth.serviceRoleKey);

  it('creates a confirmed user (profile via handle_new_user) who can sign in; fetches and deletes it', async () => {
    const email = newEmail();
    const { data, error } = await admin().auth.admin.createUser({
      email,
      password: 'admin-made-1',
      email_confirm: true,
      user_metadata: { display_name: 'Made' },
    });
    expect(error).toBeNull();
    const id = data.user?.id ?? '';
    expect(await db.sql`select display_name from public.polybot_user_profiles where id = ${id}`).toEqual([
      { display_name: 'Made' },
    ]);
    expect((await client().auth.signInWithPassword({ email, password: 'admin-made-1' })).error).toBeNull();
    expect((await admin().auth.admin.getUserById(id)).data.user?.email).toBe(email);
    await expectAuthError(admin().auth.admin.createUser({ email, password: 'admin-made-1' }), 'email_exists', 422);

    expect((await admin().auth.admin.deleteUser(id)).error).toBeNull();
    expect(await db.sql`select 1 from public.polybot_user_profiles where id = ${id}`).toHaveLength(0);
    await expectAuthError(admin().auth.admin.getUserById(id), 'user_not_found', 404);
  });

  it('leaves a user unconfirmed without email_confirm, so password sign-in answers email_not_confirmed', async () => {
    const email = newEmail();
    expect((await admin().auth.admin.createUser({ email, password: 'unconfirmed-1' })).error).toBeNull();
    await expectAuthError(
      client().auth.signInWithPassword({ email, password: 'unconfirmed-1' }),
      'email_not_confirmed',
      400,
    );
  });

  it('refuses the anon key and user tokens with not_admin', async () => {
    await expectAuthError(
      client().auth.admin.createUser({ email: newEmail(), password: 'nope-nope-1' }),
      'not_admin',
      403,
    );
    const { session } = await signUp();
    const res = await fetch(`${auth.url}/auth/v1/admin/users`, {
      method: 'POST',
      headers: {
        apikey: auth.anonKey,
        Authorization: `Bearer ${session.access_token}`,
        'Content-Type': 'application/json',
        'X-Supabase-Api-Version': '2024-01-01',
      },
      body: JSON.stringify({ email: newEmail(), password: 'nope-nope-1' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 'not_admin', message: 'User not allowed' });
  });
});
