// The link in an email channel's confirmation mail: `${APP_URL}/notifications/confirm?token=…`. The token proves the
// address; the session proves whose channel it is (confirm_notification_channel acts on auth.uid()'s channels only),
// so a signed-out visitor signs in first and comes back here with the token. Lands on the settings page with a notice.
import { confirmNotificationChannel } from '@polybot/db/user';
import { redirect } from 'next/navigation';
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { asUser, getClaims } from '~/lib/session.ts';

const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

export async function GET(request: NextRequest): Promise<never> {
  const token = TokenSchema.safeParse(request.nextUrl.searchParams.get('token'));
  if (!token.success) redirect('/settings/notifications?notice=confirm-failed');
  const claims = await getClaims();
  if (!claims) redirect(`/sign-in?next=${encodeURIComponent(`/notifications/confirm?token=${token.data}`)}`);
  let confirmed = false;
  try {
    await asUser(claims, (tx) => confirmNotificationChannel(tx, token.data));
    confirmed = true;
  } catch (error) {
    // Unknown, expired, used, or another account's token: the database says 22023; anything else is a bug.
    if ((error as { code?: string }).code !== '22023') throw error;
  }
  redirect(`/settings/notifications?notice=${confirmed ? 'email-confirmed' : 'confirm-failed'}`);
}
