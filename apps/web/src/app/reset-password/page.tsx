import Link from 'next/link';
import { ActionForm, Field, Submit } from '~/components/form.tsx';
import { setNewPassword } from '~/app/auth/password-actions.ts';
import { RESET_SESSION_MISSING } from '~/app/auth/password-messages.ts';
import { getClaims } from '~/lib/session.ts';

export const metadata = { title: 'Choose a new password · PolyBot' };
export const dynamic = 'force-dynamic';

// Reached through the emailed link (/auth/confirm signs the user in first). Without a session there is nothing to
// change: say so and offer a new link rather than sending the user to a sign-in they cannot complete.
export default async function ResetPasswordPage() {
  const claims = await getClaims();
  return (
    <main className="auth-card card">
      <Link className="auth-brand" href="/">
        PolyBot
      </Link>
      <h1>Choose a new password</h1>
      {claims ? (
        <ActionForm action={setNewPassword} label="Set new password">
          <Field
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters."
            required
          />
          <Field
            name="password_confirm"
            label="New password again"
            type="password"
            autoComplete="new-password"
            required
          />
          <Submit>Set new password</Submit>
        </ActionForm>
      ) : (
        <>
          <div role="alert" className="banner banner-error">
            {RESET_SESSION_MISSING}
          </div>
          <p>
            <Link href="/forgot-password">Send a new reset link</Link>
          </p>
        </>
      )}
    </main>
  );
}
