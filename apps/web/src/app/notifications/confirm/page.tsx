// The link in an email channel's confirmation mail: `${APP_URL}/notifications/confirm?token=…`. Opening it changes
// nothing (mail scanners open links); the button confirms. The token proves the address, the session whose channel it
// is, so a signed-out visitor signs in first and comes back here with the token (the proxy lets this path through).
import { redirect } from 'next/navigation';
import { getClaims } from '~/lib/session.ts';
import { confirmEmailChannel } from './actions.ts';
import { ConfirmTokenSchema } from './token.ts';

export const metadata = { title: 'Confirm your email · PolyBot' };
export const dynamic = 'force-dynamic';

export default async function ConfirmNotificationEmail({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const token = ConfirmTokenSchema.safeParse((await searchParams).token);
  if (!token.success) redirect('/settings/notifications?notice=confirm-failed');
  if (!(await getClaims()))
    redirect(`/sign-in?next=${encodeURIComponent(`/notifications/confirm?token=${token.data}`)}`);
  return (
    <main className="auth-card card stack">
      <h1>Confirm your email</h1>
      <p>Confirm this address to get your PolyBot notifications there.</p>
      <form action={confirmEmailChannel} className="form">
        <input type="hidden" name="token" value={token.data} />
        <button type="submit" className="btn">
          Confirm this address
        </button>
      </form>
    </main>
  );
}
