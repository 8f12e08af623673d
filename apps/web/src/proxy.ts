// Next 16 proxy (formerly middleware): keeps the Supabase session fresh and sends signed-out visitors to sign-in.
// Pages and actions still verify the claims themselves; this is a convenience, not the security boundary.
import type { NextRequest } from 'next/server';
import { updateSession } from './lib/supabase/proxy.ts';

export async function proxy(request: NextRequest) {
  return updateSession(request);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|ico)$).*)'],
};
