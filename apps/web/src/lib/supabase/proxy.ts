// Runs on every request (src/proxy.ts): refreshes an expiring session and writes the new cookies to both the
// request (so this render sees them) and the response (so the browser keeps them). Follows Supabase's Next example.
import { createServerClient } from '@supabase/ssr';
import { NextResponse, type NextRequest } from 'next/server';
import { publicEnv } from '~/env.ts';
import { authCookieOptions } from './cookie-options.ts';

// The account-email pages are public: asking for a link, following one, and the reset page (it says itself when the
// link failed, instead of sending someone who forgot their password to sign in).
// So are the unsubscribe link's page and endpoint (the signed token is the proof; RFC 8058's one-click POST comes from
// the mailbox provider, with no cookies) and the email channel's confirmation link (it sends a signed-out visitor to
// sign in and back itself, keeping its token, which the redirect below would drop).
const PUBLIC_PATHS = [
  '/',
  '/sign-in',
  '/sign-up',
  '/terms',
  '/forgot-password',
  '/auth/confirm',
  '/reset-password',
  '/unsubscribe',
  '/api/unsubscribe',
  '/notifications/confirm',
];
// Called by Telegram, never with a session: the route checks Telegram's secret-token header instead.
const TELEGRAM_WEBHOOK = '/api/telegram/webhook';

export async function updateSession(request: NextRequest): Promise<NextResponse> {
  let response = NextResponse.next({ request });
  const { supabaseUrl, supabaseAnonKey } = publicEnv();
  const supabase = createServerClient(supabaseUrl, supabaseAnonKey, {
    cookieOptions: authCookieOptions(),
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll: (toSet) => {
        for (const { name, value } of toSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of toSet) response.cookies.set(name, value, options);
      },
    },
  });
  // getClaims verifies the access token (JWKS) and refreshes it when expired — do not run code between
  // creating the client and this call (Supabase's guidance: it can make sessions drop at random).
  const { data } = await supabase.auth.getClaims();
  const signedIn = Boolean(data?.claims.sub);
  const path = request.nextUrl.pathname;
  const isPublic =
    PUBLIC_PATHS.includes(path) ||
    path.startsWith('/_next') ||
    path.startsWith('/api/health') ||
    path === TELEGRAM_WEBHOOK;
  if (!signedIn && !isPublic) {
    if (path.startsWith('/api/')) return NextResponse.json({ error: 'not signed in' }, { status: 401 });
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in';
    url.search = '';
    url.searchParams.set('next', path);
    const redirect = NextResponse.redirect(url);
    for (const c of response.cookies.getAll()) redirect.cookies.set(c);
    return redirect;
  }
  return response;
}
