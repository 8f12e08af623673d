// Access tokens and the HTTP surface: Supabase's claim set verified locally by getClaims() through the JWKS,
// tampered and foreign tokens refused, the API-key gate, GoTrue's error shapes, persisted keys, and the token's
// claims used as Postgres claims (withUser → RLS).
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAuthApiError, type SupabaseClient } from '@supabase/supabase-js';
import { JwtClaimsSchema, withUser } from '@polybot/db';
import { createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../postgres/index.ts';
import { startLocalAuth, type LocalAuth } from './index.ts';
import { createTestClient } from '../../testing/supabase-client.ts';

let db: TestDatabase;
let auth: LocalAuth;
let keyDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  keyDir = await mkdtemp(path.join(tmpdir(), 'polybot-auth-keys-'));
  auth = await startLocalAuth({ databaseUrl: db.url, signingKeyPath: path.join(keyDir, 'auth-signing-key.json') });
}, 120_000);

afterAll(async () => {
  await auth?.close();
  await db?.stop();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

const client = (): SupabaseClient => createTestClient(auth.url, auth.anonKey);
let counter = 0;

async function signUp() {
  const email = `claims${++counter}-${Date.now()}@example.test`;
  const { data, error } = await client().auth.signUp({
    email,
    password: 'correct-horse-1',
    options: { data: { display_name: `U${counter}` } },
  });
  if (error || !data.session || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return { email, session: data.session, user: data.user };
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodePart = (part: string | undefined): Record<string, unknown> =>
  z.record(z.string(), z.unknown()).parse(JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')));

describe('access tokens', () => {
  it('carry exactly Supabase claims, ES256 with the published kid, and getClaims() verifies them locally', async () => {
    const { session, user, email } = await signUp();
    const { data, error } = await client().auth.getClaims(session.access_token);
    expect(error).toBeNull();
    const claims = data?.claims;
    expect(Object.keys(claims ?? {}).sort()).toEqual(
      [
        'aal',
        'amr',
        'app_metadata',
        'aud',
        'email',
        'exp',
        'iat',
        'is_anonymous',
        'iss',
        'phone',
        'role',
        'session_id',
        'sub',
        'user_metadata',
      ].sort(),
    );
    const [row] = await db.sql`select id from auth.sessions where user_id = ${user.id}`;
    expect(claims).toEqual({
      iss: `${auth.url}/auth/v1`,
      sub: user.id,
      aud: 'authenticated',
      exp: expect.any(Number),
      iat: expect.any(Number),
      email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { display_name: `U${counter}`, email, email_verified: true, phone_verified: false, sub: user.id },
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: expect.any(Number) }],
      session_id: row?.id,
      is_anonymous: false,
    });
    expect((claims?.exp ?? 0) - (claims?.iat ?? 0)).toBe(3600);
    expect(data?.header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });

    const jwks = z
      .object({ keys: z.array(z.record(z.string(), z.unknown())) })
      .parse(await (await fetch(auth.jwksUrl)).json());
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: data?.header.kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('refuses a token whose payload was changed after signing (getClaims and getUser)', async () => {
    const victim = await signUp();
    const attacker = await signUp();
    const [header, payload, signature] = attacker.session.access_token.split('.');
    const forged = `${header}.${b64url({ ...decodePart(payload), sub: victim.user.id })}.${signature}`;
    const claims = await client().auth.getClaims(forged);
    expect(claims.data).toBeNull();
    expect(claims.error?.name).toBe('AuthInvalidJwtError');
    const { data, error } = await client().auth.getUser(forged);
    expect(data.user).toBeNull();
    expect(isAuthApiError(error) && error.code).toBe('bad_jwt');
    expect(error?.status).toBe(403);
  });

  it('refuses tokens signed with another key, whether it claims our kid or its own', async () => {
    const { session } = await signUp();
    const claims = decodePart(session.access_token.split('.')[1]);
    const kid = decodeProtectedHeader(session.access_token).kid ?? '';
    const { privateKey } = await generateKeyPair('ES256');
    for (const headerKid of [kid, 'some-other-kid']) {
      const foreign = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: headerKid, typ: 'JWT' })
        .sign(privateKey);
      const result = await client().auth.getClaims(foreign);
      expect(result.data).toBeNull();
      expect(result.error).not.toBeNull();
      const user = await client().auth.getUser(foreign);
      expect(isAuthApiError(user.error) && user.error.code).toBe('bad_jwt');
    }
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    const hsResult = await client().auth.getClaims(hs);
    expect(isAuthApiError(hsResult.error) && hsResult.error.code).toBe('bad_jwt');
  });

  it('refuses an expired token signed with the real key, and the anon key as a user token', async () => {
    const { session } = await signUp();
    const file = z
      .object({ kid: z.string(), privateJwk: z.record(z.string(), z.unknown()) })
      .parse(JSON.parse(await readFile(path.join(keyDir, 'auth-signing-key.json'), 'utf8')));
    const realKey = await importJWK({ ...file.privateJwk, alg: 'ES256' }, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({
      ...decodePart(session.access_token.split('.')[1]),
      iat: now - 7200,
      exp: now - 3600,
    })
      .setProtectedHeader({ alg: 'ES256', kid: file.kid, typ: 'JWT' })
      .sign(realKey);
    expect((await client().auth.getClaims(expired)).error?.name).toBe('AuthInvalidJwtError');
    const user = await client().auth.getUser(expired);
    expect(isAuthApiError(user.error) && user.error.code).toBe('bad_jwt');
    const anon = await client().auth.getUser(auth.anonKey);
    expect(isAuthApiError(anon.error) && anon.error.code).toBe('bad_jwt');
  });

  it('become Postgres claims for withUser: RLS shows the user only their own profile', async () => {
    const me = await signUp();
    const other = await signUp();
    const jwks = createRemoteJWKSet(new URL(auth.jwksUrl));
    const { payload } = await jwtVerify(me.session.access_token, jwks, {
      issuer: auth.issuer,
      audience: 'authenticated',
    });
    const claims = JwtClaimsSchema.parse(payload);
    const rows = await withUser(db.sql, claims, (tx) => tx`select id from public.polybot_user_profiles`);
    expect(rows.map((r) => r.id)).toEqual([me.user.id]);
    const visible = await withUser(
      db.sql,
      claims,
      (tx) => tx`select id from public.polybot_user_profiles where id = ${other.user.id}`,
    );
    expect(visible).toHaveLength(0);
  });
});

describe('HTTP surface', () => {
  const v2024 = { 'X-Supabase-Api-Version': '2024-01-01' };
  const withKey = (extra: Record<string, string> = {}) => ({
    apikey: auth.anonKey,
    'Content-Type': 'application/json',
    ...extra,
  });
  const json = async (res: Response): Promise<Record<string, unknown>> =>
    z.record(z.string(), z.unknown()).parse(await res.json());

  it("requires a valid apikey except on the JWKS (as Supabase's gateway does); the service key is accepted", async () => {
    const none = await fetch(`${auth.url}/auth/v1/settings`);
    expect(none.status).toBe(401);
    expect(await json(none)).toMatchObject({ message: 'No API key found in request' });
    const foreignKey = await new SignJWT({ role: 'anon' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('y'.repeat(32)));
    const foreign = await fetch(`${auth.url}/auth/v1/settings`, { headers: { apikey: foreignKey } });
    expect(foreign.status).toBe(401);
    expect(await json(foreign)).toMatchObject({ message: 'Invalid API key' });
    expect((await fetch(`${auth.url}/auth/v1/settings`, { headers: { apikey: auth.serviceRoleKey } })).status).toBe(
      200,
    );
    expect((await fetch(auth.jwksUrl)).status).toBe(200);
    const settings = await json(await fetch(`${auth.url}/auth/v1/settings`, { headers: withKey() }));
    expect(settings).toMatchObject({
      external: { email: true, phone: false },
      disable_signup: false,
      mailer_autoconfirm: true,
    });
    expect((await fetch(`${auth.url}/auth/v1/health`, { headers: withKey() })).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404 and preflights with CORS headers', async () => {
    const res = await fetch(`${auth.url}/auth/v1/magiclink`, { method: 'POST', headers: withKey() });
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('/auth/v1/magiclink'),
    });
    expect((await fetch(`${auth.url}/rest/v1/profiles`, { headers: withKey() })).status).toBe(404);
    const pre = await fetch(`${auth.url}/auth/v1/token?grant_type=password`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'apikey, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('apikey');
    expect(pre.headers.get('access-control-expose-headers')).toContain('X-Supabase-Api-Version');
  });

  it('returns GoTrue error shapes: 2024-01-01 {code, message}, legacy {code, error_code, msg}, OAuth {error, error_description}', async () => {
    const bad = await fetch(`${auth.url}/auth/v1/signup`, {
      method: 'POST',
      headers: withKey(v2024),
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(await json(bad)).toEqual({
      code: 'bad_json',
      message: expect.stringContaining('Could not parse request body as JSON'),
    });

    const legacy = await fetch(`${auth.url}/auth/v1/signup`, {
      method: 'POST',
      headers: withKey(),
      body: JSON.stringify({ email: 5, password: 'x' }),
    });
    expect(legacy.status).toBe(400);
    expect(legacy.headers.get('x-sb-error-code')).toBe('validation_failed');
    expect(await json(legacy)).toEqual({
      code: 400,
      error_code: 'validation_failed',
      msg: expect.stringContaining('email'),
    });

    const oauth = await fetch(`${auth.url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST',
      headers: withKey(v2024),
      body: '{}',
    });
    expect(oauth.status).toBe(400);
    expect(await json(oauth)).toEqual({ error: 'invalid_request', error_description: 'refresh_token required' });

    const noBearer = await fetch(`${auth.url}/auth/v1/user`, { headers: withKey(v2024) });
    expect(noBearer.status).toBe(401);
    expect(await json(noBearer)).toMatchObject({ code: 'no_authorization' });

    const scope = await fetch(`${auth.url}/auth/v1/logout?scope=everyone`, { method: 'POST', headers: withKey(v2024) });
    expect(scope.status).toBe(400);
    expect(await json(scope)).toMatchObject({ code: 'validation_failed' });
  });

  it('keeps its keys across restarts when given a key file (0600): same API keys, old tokens still verify', async () => {
    const keyPath = path.join(keyDir, 'auth-signing-key.json');
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    const { session, user } = await signUp();
    const again = await startLocalAuth({ databaseUrl: db.url, signingKeyPath: keyPath });
    try {
      expect(again.anonKey).toBe(auth.anonKey);
      expect(again.serviceRoleKey).toBe(auth.serviceRoleKey);
      const { data, error } = await createTestClient(again.url, again.anonKey).auth.getUser(session.access_token);
      expect(error).toBeNull();
      expect(data.user?.id).toBe(user.id);
    } finally {
      await again.close();
    }
    const ephemeral = await startLocalAuth({ databaseUrl: db.url });
    try {
      expect(ephemeral.anonKey).not.toBe(auth.anonKey);
      const other = await createTestClient(ephemeral.url, ephemeral.anonKey).auth.getUser(session.access_token);
      expect(isAuthApiError(other.error) && other.error.code).toBe('bad_jwt');
    } finally {
      await ephemeral.close();
    }
  });
});
