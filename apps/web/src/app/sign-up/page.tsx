import Link from 'next/link';
import { ActionForm, Field, Submit } from '~/components/form.tsx';
import { signUp } from '~/app/auth/actions.ts';

export const metadata = { title: 'Create account · PolyBot' };

export default function SignUpPage() {
  return (
    <main className="auth-card card">
      <Link className="auth-brand" href="/">
        PolyBot
      </Link>
      <h1>Create your account</h1>
      <p className="muted">Paper trading is free. You connect your own venue keys; PolyBot never holds your funds.</p>
      <ActionForm action={signUp} label="Create account">
        <Field name="email" label="Email" type="email" autoComplete="email" required />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          required
        />
        <Submit>Create account</Submit>
      </ActionForm>
      <p className="hint">
        The first setup step asks you to accept our <Link href="/terms">terms of service</Link>.
      </p>
      <p>
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
