import Link from 'next/link';
import { ActionForm, Field, Submit } from '~/components/form.tsx';
import { signIn } from '~/app/auth/actions.ts';

export const metadata = { title: 'Sign in · PolyBot' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; error?: string }>;
}) {
  const { next, error } = await searchParams;
  return (
    <main className="auth-card card">
      <Link className="auth-brand" href="/">
        PolyBot
      </Link>
      <h1>Sign in</h1>
      {error === 'link' ? (
        <div role="alert" className="banner banner-error">
          That link has expired or was already used. If you confirmed your email already, sign in.
        </div>
      ) : null}
      <ActionForm action={signIn} label="Sign in">
        <input type="hidden" name="next" value={next ?? ''} />
        <Field name="email" label="Email" type="email" autoComplete="email" required />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
        <Submit>Sign in</Submit>
      </ActionForm>
      <p>
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      <p>
        New to PolyBot? <Link href="/sign-up">Create an account</Link>
      </p>
    </main>
  );
}
