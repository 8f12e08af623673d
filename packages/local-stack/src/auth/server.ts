// The HTTP front: what Supabase's API gateway and GoTrue's router do before a handler runs — CORS, the `apikey`
// check (the gateway answers 401 without a valid key; only the JWKS is open), JSON body parsing, routing under
// /auth/v1, and turning every failure into GoTrue's error shape. Unknown routes get a loud 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { recover, verifyGet, verifyPost } from './account-emails.ts';
import { adminCreateUser, adminDeleteUser, adminGetUser } from './admin-handlers.ts';
import type { AuthContext, AuthRequest, Reply } from './context.ts';
import { AuthHttpError, badRequest, writeAuthError } from './errors.ts';
import { signup, token } from './session-handlers.ts';
import { verifyApiKey } from './tokens.ts';
import { getUser, health, jwks, logout, putUser, settings } from './user-handlers.ts';

type Handler = (ctx: AuthContext, req: AuthRequest) => Promise<Reply> | Reply;

const PREFIX = '/auth/v1';
const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  '/signup': { POST: signup },
  '/token': { POST: token },
  '/user': { GET: getUser, PUT: putUser },
  '/logout': { POST: logout },
  '/settings': { GET: (ctx) => settings(ctx) },
  '/health': { GET: () => health() },
  '/.well-known/jwks.json': { GET: (ctx) => jwks(ctx) },
  '/admin/users': { POST: adminCreateUser },
  '/admin/users/:id': { GET: adminGetUser, DELETE: adminDeleteUser },
  '/recover': { POST: recover },
  '/verify': { GET: verifyGet, POST: verifyPost },
};
/** Routes Supabase's gateway serves without an API key. */
const OPEN_ROUTES = new Set(['/.well-known/jwks.json', '/verify']);
const MAX_BODY_BYTES = 64 * 1024;

export interface ServerOptions {
  onError?: (error: unknown) => void;
}

export function createAuthServer(ctx: AuthContext, options: ServerOptions = {}): Server {
  const onError = options.onError ?? logUnexpected;
  return createServer((req, res) => {
    handle(ctx, req, res, onError).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) {
        writeAuthError(
          res,
          new AuthHttpError(
            500,
            'unexpected_failure',
            'Unexpected failure, please check server logs for more information',
          ),
          req.headers['x-supabase-api-version'],
        );
      } else {
        res.end();
      }
    });
  });
}

async function handle(
  ctx: AuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  onError: (error: unknown) => void,
): Promise<void> {
  setCors(req, res);
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.statusCode = 204;
    res.end();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://local');
  const apiVersion = req.headers['x-supabase-api-version'];
  const route = url.pathname.startsWith(`${PREFIX}/`)
    ? url.pathname.slice(PREFIX.length).replace(/\/+$/, '')
    : undefined;
  const params: Partial<Record<string, string>> = {};
  const adminUser = route === undefined ? null : /^\/admin\/users\/([^/]+)$/.exec(route);
  if (adminUser) params.id = safeDecode(adminUser[1] ?? '');
  const routeHandlers = route === undefined ? undefined : ROUTES[adminUser ? '/admin/users/:id' : route];
  if (route === undefined || routeHandlers === undefined) {
    sendJson(res, 404, {
      code: 'not_found',
      message: `local auth: no route ${method} ${url.pathname}. Served under ${PREFIX}: ${Object.keys(ROUTES).join(', ')}`,
    });
    return;
  }
  const handler = routeHandlers[method];
  if (!handler) {
    sendJson(res, 405, {
      code: 'method_not_allowed',
      message: `local auth: ${method} ${url.pathname} is not supported (allowed: ${Object.keys(routeHandlers).join(', ')})`,
    });
    return;
  }
  if (!OPEN_ROUTES.has(route)) {
    const apiKey = presentedApiKey(req, url);
    if (apiKey === undefined) {
      sendJson(res, 401, {
        message: 'No API key found in request',
        hint: 'No `apikey` request header or url param was found.',
      });
      return;
    }
    if ((await verifyApiKey(ctx.keys, apiKey)) === null) {
      sendJson(res, 401, {
        message: 'Invalid API key',
        hint: 'Double check your Supabase `anon` or `service_role` API key.',
      });
      return;
    }
  }
  try {
    const body = method === 'GET' ? undefined : await readJsonBody(req);
    const reply = await handler(ctx, { method, query: url.searchParams, headers: req.headers, params, body });
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.body === undefined) {
      res.statusCode = reply.status;
      res.end();
    } else {
      sendJson(res, reply.status, reply.body);
    }
  } catch (error) {
    if (error instanceof AuthHttpError) {
      if (error.status >= 500) onError(error.internal ?? error);
      writeAuthError(res, error, apiVersion);
      return;
    }
    throw error;
  }
}

function presentedApiKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.apikey;
  return (Array.isArray(header) ? header[0] : header) || url.searchParams.get('apikey') || undefined;
}

function setCors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] ??
      'authorization, apikey, content-type, x-client-info, x-supabase-api-version',
  );
  // auth-js reads the API version header to know that `code` is the error code; browsers hide it unless exposed.
  res.setHeader('Access-Control-Expose-Headers', 'X-Supabase-Api-Version, x-sb-error-code');
  res.setHeader('Access-Control-Max-Age', '86400');
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new AuthHttpError(413, 'validation_failed', 'Request body too large');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(
      'bad_json',
      `Could not parse request body as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return ''; // malformed escapes name no user: the handler answers 404
  }
}

/** Message and SQLSTATE only: a driver error object can carry the statement's parameters (passwords). */
function logUnexpected(error: unknown): void {
  const code = typeof error === 'object' && error !== null && 'code' in error ? ` [${String(error.code)}]` : '';
  console.error(`local auth: unexpected error${code}: ${error instanceof Error ? error.message : String(error)}`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}
