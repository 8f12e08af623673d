// A minimal GoTrue stand-in for the browser tests, used ONLY while packages/local-stack's auth server has not
// landed (test/support/stack.ts prefers the real one). It speaks just what @supabase/ssr needs for email+password:
// signup, password and refresh_token grants, user, logout and JWKS — ES256 tokens with Supabase's claims, users in
// auth.users (so handle_new_user runs and creates the profile and config rows).
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import postgres from 'postgres';

export interface AuthHandle {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  close(): Promise<void>;
}

interface UserRow {
  id: string;
  email: string;
  encrypted_password: string;
  created_at: Date;
}

function hash(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`;
}
function verify(password: string, stored: string): boolean {
  const [, salt, digest] = stored.split('$');
  if (!salt || !digest) return false;
  return timingSafeEqual(scryptSync(password, Buffer.from(salt, 'hex'), 32), Buffer.from(digest, 'hex'));
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

export async function startStandInAuth(databaseUrl: string): Promise<AuthHandle> {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => undefined });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] };
  const refresh = new Map<string, { userId: string; sessionId: string }>();
  let issuer = '';

  const sign = (claims: Record<string, unknown>, ttl: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).setIssuedAt().setExpirationTime(`${ttl}s`).sign(privateKey);

  const userJson = (u: UserRow) => ({
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    email_confirmed_at: u.created_at.toISOString(),
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    identities: [],
    created_at: u.created_at.toISOString(),
    updated_at: u.created_at.toISOString(),
    is_anonymous: false,
  });

  const session = async (u: UserRow, sessionId: string = randomUUID()) => {
    const expiresIn = 3600;
    const access = await sign(
      {
        sub: u.id, aud: 'authenticated', role: 'authenticated', email: u.email, phone: '', iss: issuer,
        app_metadata: { provider: 'email', providers: ['email'] }, user_metadata: {}, aal: 'aal1',
        amr: [{ method: 'password', timestamp: Math.floor(Date.now() / 1000) }], session_id: sessionId, is_anonymous: false,
      },
      expiresIn,
    );
    const refreshToken = randomBytes(16).toString('hex');
    refresh.set(refreshToken, { userId: u.id, sessionId });
    return {
      access_token: access, token_type: 'bearer', expires_in: expiresIn,
      expires_at: Math.floor(Date.now() / 1000) + expiresIn, refresh_token: refreshToken, user: userJson(u),
    };
  };

  const bearerUser = async (req: IncomingMessage): Promise<UserRow | null> => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return null;
    const { jwtVerify, importJWK } = await import('jose');
    try {
      const { payload } = await jwtVerify(token, await importJWK(jwk, 'ES256'));
      const rows = await sql<UserRow[]>`select id, email, encrypted_password, created_at from auth.users where id = ${String(payload.sub)}`;
      return rows[0] ?? null;
    } catch {
      return null;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const p = url.pathname;
      if (p === '/auth/v1/.well-known/jwks.json') return send(res, 200, { keys: [jwk] });
      if (p === '/auth/v1/settings') return send(res, 200, { external: { email: true }, disable_signup: false, mailer_autoconfirm: true });
      if (p === '/auth/v1/signup' && req.method === 'POST') {
        const b = await body(req);
        const email = String(b.email ?? '').toLowerCase();
        const password = String(b.password ?? '');
        if (password.length < 6) return send(res, 422, { code: 422, error_code: 'weak_password', msg: 'Password should be at least 6 characters.' });
        const exists = await sql`select 1 from auth.users where email = ${email}`;
        if (exists.length > 0) return send(res, 422, { code: 422, error_code: 'user_already_exists', msg: 'User already registered' });
        const [u] = await sql<UserRow[]>`
          insert into auth.users (id, instance_id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
          values (${randomUUID()}, '00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated', ${email}, ${hash(password)}, now(),
                  '{"provider":"email","providers":["email"]}', '{}', now(), now())
          returning id, email, encrypted_password, created_at`;
        if (!u) return send(res, 500, { msg: 'insert failed' });
        return send(res, 200, await session(u));
      }
      if (p === '/auth/v1/token' && req.method === 'POST') {
        const b = await body(req);
        const grant = url.searchParams.get('grant_type');
        if (grant === 'password') {
          const rows = await sql<UserRow[]>`select id, email, encrypted_password, created_at from auth.users where email = ${String(b.email ?? '').toLowerCase()}`;
          const u = rows[0];
          if (!u || !verify(String(b.password ?? ''), u.encrypted_password)) return send(res, 400, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
          return send(res, 200, await session(u));
        }
        if (grant === 'refresh_token') {
          const entry = refresh.get(String(b.refresh_token ?? ''));
          if (!entry) return send(res, 400, { code: 400, error_code: 'refresh_token_not_found', msg: 'Invalid Refresh Token' });
          refresh.delete(String(b.refresh_token));
          const rows = await sql<UserRow[]>`select id, email, encrypted_password, created_at from auth.users where id = ${entry.userId}`;
          if (!rows[0]) return send(res, 400, { msg: 'user gone' });
          return send(res, 200, await session(rows[0], entry.sessionId));
        }
        return send(res, 400, { msg: 'unsupported grant' });
      }
      if (p === '/auth/v1/user') {
        const u = await bearerUser(req);
        return u ? send(res, 200, userJson(u)) : send(res, 401, { code: 401, error_code: 'bad_jwt', msg: 'invalid JWT' });
      }
      if (p === '/auth/v1/logout') {
        res.writeHead(204).end();
        return;
      }
      send(res, 404, { msg: `stand-in auth: no route ${req.method ?? ''} ${p}` });
    })().catch((e: unknown) => send(res, 500, { msg: e instanceof Error ? e.message : String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${url}/auth/v1`;
  const anonKey = await sign({ role: 'anon', iss: 'supabase' }, 3600 * 24);
  const serviceRoleKey = await sign({ role: 'service_role', iss: 'supabase' }, 3600 * 24);
  return {
    url,
    anonKey,
    serviceRoleKey,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end({ timeout: 2 });
    },
  };
}
