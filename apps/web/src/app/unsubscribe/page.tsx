// Where an email's unsubscribe link lands (GET /api/unsubscribe redirects here): what the link will stop, and a button
// (a GET must not unsubscribe: mail scanners follow links). Works without signing in; the token is the proof.
import { NotificationEventKindSchema } from '@polybot/schemas';
import Link from 'next/link';
import { readUnsubscribeToken } from '~/lib/notifications/unsubscribe.ts';
import { EVENT_LABELS } from '~/lib/notifications/words.ts';
import { unsubscribeFromLink } from './actions.ts';

export const metadata = { title: 'Unsubscribe · PolyBot' };
export const dynamic = 'force-dynamic';

const INVALID =
  'This unsubscribe link is not valid or has expired. To change what PolyBot sends you, sign in and open Settings → Notifications.';

function doneWords(done: string, kindLabel: string | null): { ok: boolean; text: string } {
  switch (done) {
    case 'kind_off':
      return {
        ok: true,
        text: `Unsubscribed: “${kindLabel ?? 'these'}” notifications no longer come to this address.`,
      };
    case 'channel_off':
      return {
        ok: true,
        text: kindLabel
          ? `Unsubscribed: this address gets no more notifications. (“${kindLabel}” is an alert, which must reach at least one of your channels, and this was its last one, so the whole address was turned off.)`
          : 'Unsubscribed: this address gets no more PolyBot notifications.',
      };
    case 'already':
      return { ok: true, text: 'You were already unsubscribed: nothing more is sent here from this link.' };
    case 'not_found':
      return { ok: true, text: 'Nothing to unsubscribe: this channel was removed from PolyBot already.' };
    default:
      return { ok: false, text: INVALID };
  }
}

export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; done?: string; kind?: string }>;
}) {
  const { token, done, kind } = await searchParams;
  const doneKind = NotificationEventKindSchema.safeParse(kind);
  const claims = done ? null : readUnsubscribeToken(token);
  const result = done ? doneWords(done, doneKind.success ? EVENT_LABELS[doneKind.data] : null) : null;
  return (
    <main className="auth-card card stack">
      <Link className="auth-brand" href="/">
        PolyBot
      </Link>
      <h1>Unsubscribe</h1>
      {result ? (
        <p role={result.ok ? 'status' : 'alert'} className={`banner ${result.ok ? 'banner-ok' : 'banner-error'}`}>
          {result.text}
        </p>
      ) : claims ? (
        <form action={unsubscribeFromLink} className="form">
          <p>
            {claims.kind
              ? `Stop “${EVENT_LABELS[claims.kind]}” notifications to this address?`
              : 'Stop all PolyBot notifications to this address?'}
          </p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="btn btn-danger">
            Unsubscribe
          </button>
        </form>
      ) : (
        <p role="alert" className="banner banner-error">
          {INVALID}
        </p>
      )}
      <p className="muted">
        You can turn any channel back on, and choose what goes where, in{' '}
        <Link href="/settings/notifications">Settings → Notifications</Link>.
      </p>
    </main>
  );
}
