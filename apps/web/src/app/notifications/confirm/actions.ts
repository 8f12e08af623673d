'use server';
// The confirmation page's button: confirm_notification_channel verifies the signed-in user's email channel the token
// was mailed for (an unknown, expired, used or another account's token is refused with 22023).
import { confirmNotificationChannel } from '@polybot/db/user';
import { redirect } from 'next/navigation';
import { asUser, getClaims } from '~/lib/session.ts';
import { ConfirmTokenSchema } from './token.ts';

export async function confirmEmailChannel(form: FormData): Promise<never> {
  const token = ConfirmTokenSchema.safeParse(form.get('token'));
  if (!token.success) redirect('/settings/notifications?notice=confirm-failed');
  const claims = await getClaims();
  if (!claims) redirect(`/sign-in?next=${encodeURIComponent(`/notifications/confirm?token=${token.data}`)}`);
  let confirmed = false;
  try {
    await asUser(claims, (tx) => confirmNotificationChannel(tx, token.data));
    confirmed = true;
  } catch (error) {
    if ((error as { code?: string }).code !== '22023') throw error;
  }
  redirect(`/settings/notifications?notice=${confirmed ? 'email-confirmed' : 'confirm-failed'}`);
}
