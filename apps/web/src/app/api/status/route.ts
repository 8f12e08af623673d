// Polled by the dashboard every few seconds. Claims are verified here too: the proxy is not the boundary.
import { NextResponse } from 'next/server';
import { asUser, getClaims } from '~/lib/session.ts';
import { loadStatus } from '~/lib/status.ts';

export const dynamic = 'force-dynamic';

export async function GET() {
  const claims = await getClaims();
  if (!claims) return NextResponse.json({ error: 'not signed in' }, { status: 401 });
  const view = await asUser(claims, loadStatus);
  return NextResponse.json(view, { headers: { 'cache-control': 'no-store' } });
}
