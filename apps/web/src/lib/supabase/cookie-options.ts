// How the Supabase session cookies (`sb-<ref>-auth-token`, chunked) are set, for both server clients (server.ts and the
// proxy). HttpOnly: nothing in the browser reads them — there is no browser Supabase client (docs/WEB.md), sign-in and
// sign-out are server actions — so script injected into a page cannot read the access or refresh token.
// Secure whenever the app is served over https (APP_URL), so they never travel in clear text. SameSite=Lax as
// @supabase/ssr's default: top-level navigations (the link in an email, the return from Stripe) keep the session.
import type { CookieOptionsWithName } from '@supabase/ssr';
import { serverEnv } from '~/env.ts';

export function authCookieOptions(): CookieOptionsWithName {
  return { httpOnly: true, secure: serverEnv().APP_URL.startsWith('https:'), sameSite: 'lax', path: '/' };
}
