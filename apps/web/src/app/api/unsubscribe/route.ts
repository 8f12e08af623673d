// The https URL in every notification email's List-Unsubscribe header and footer: `${APP_URL}/api/unsubscribe?token=…`.
// GET (a person clicking the link, or a mail scanner prefetching it) changes nothing: it sends them to the
// confirmation page with its button. POST is RFC 8058 one-click (body `List-Unsubscribe=One-Click`, sent by the
// mailbox provider without cookies): it unsubscribes at once and answers 200. Public (src/lib/supabase/proxy.ts).
import { NextResponse, type NextRequest } from 'next/server';
import { serverEnv } from '~/env.ts';
import { readUnsubscribeToken, unsubscribe } from '~/lib/notifications/unsubscribe.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest): NextResponse {
  const page = new URL('/unsubscribe', serverEnv().APP_URL);
  const token = request.nextUrl.searchParams.get('token');
  if (token) page.searchParams.set('token', token);
  return NextResponse.redirect(page, 303);
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  const claims = readUnsubscribeToken(request.nextUrl.searchParams.get('token'));
  if (!claims) return text('This unsubscribe link is not valid or has expired.', 400);
  const outcome = await unsubscribe(claims);
  return text(outcome === 'not_found' ? 'Nothing to unsubscribe: the channel is gone.' : 'Unsubscribed.', 200);
}

function text(body: string, status: number): NextResponse {
  return new NextResponse(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
