import Link from 'next/link';
import { ActionForm, Field, Submit } from '~/components/form.tsx';
import { requestPasswordReset } from '~/app/auth/password-actions.ts';

export const metadata = { title: 'Forgot password · PolyBot' };

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <main className="auth-card card">
      <Link className="auth-brand" href="/">
        PolyBot
      </Link>
      <h1>Forgot your password?</h1>
      {error === 'link' ? (
        <div role="alert" className="banner banner-error">
          That link has expired or was already used. Ask for a new one below.
        </div>
      ) : null}
      <p className="muted">Enter your account&apos;s email and we will send you a link to choose a new password.</p>
      <ActionForm action={requestPasswordReset} label="Send reset link">
        <Field name="email" label="Email" type="email" autoComplete="email" required />
        <Submit>Send reset link</Submit>
      </ActionForm>
      <p>
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
