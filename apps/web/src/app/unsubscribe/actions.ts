'use server';
// The unsubscribe page's button: the token travels in the form (never trusted: verified again here), no sign-in.
import { UnsubscribeOutcomeSchema } from '@polybot/db/user';
import { redirect } from 'next/navigation';
import { readUnsubscribeToken, unsubscribe } from '~/lib/notifications/unsubscribe.ts';

export async function unsubscribeFromLink(form: FormData): Promise<never> {
  const token = form.get('token');
  const claims = readUnsubscribeToken(typeof token === 'string' ? token : null);
  if (!claims) redirect('/unsubscribe?done=invalid');
  const outcome = UnsubscribeOutcomeSchema.parse(await unsubscribe(claims));
  redirect(`/unsubscribe?done=${outcome}${claims.kind ? `&kind=${claims.kind}` : ''}`);
}
