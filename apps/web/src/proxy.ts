// Next 16 proxy (formerly middleware): keeps the Supabase session fresh and sends signed-out visitors to sign-in.
// Pages and actions still verify the claims themselves; this is a convenience, not the security boundary.
// It also gives every response its Content-Security-Policy with a fresh nonce (src/lib/security-headers.ts): set on the
// request, Next reads the nonce from it and puts it on the scripts it renders; set on the response, the browser
// enforces it. The other security headers come from next.config.ts.
import type { NextRequest } from 'next/server';
import { serverEnv } from './env.ts';
import { contentSecurityPolicy, newNonce } from './lib/security-headers.ts';
import { updateSession } from './lib/supabase/proxy.ts';

export async function proxy(request: NextRequest) {
  const env = serverEnv();
  const csp = contentSecurityPolicy({
    nonce: newNonce(),
    https: env.APP_URL.startsWith('https:'),
    development: env.isDevelopment,
  });
  request.headers.set('content-security-policy', csp);
  const response = await updateSession(request);
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|ico)$).*)'],
};
