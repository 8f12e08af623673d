'use server';
// Sign-up, sign-in and sign-out. These are the only actions without a signed-in user, so they do not go through
// the authenticated wrapper; they still parse with zod and return the same { error, fieldErrors } shape.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { echo, invalidForm, str, type ActionState } from '~/lib/action.ts';
import { createSupabaseServerClient } from '~/lib/supabase/server.ts';
import { isRateLimited, signInRefusal, SIGN_UP_RATE_LIMITED } from './auth-errors.ts';
import { safeNext } from './safe-next.ts';

const CredentialsSchema = z.object({
  email: z.email({ error: 'Enter a valid email address' }),
  password: z
    .string()
    .min(8, { error: 'Password must be at least 8 characters' })
    .max(72, { error: 'Password must be at most 72 characters' }),
});

function readCredentials(form: FormData) {
  return CredentialsSchema.safeParse({
    email: str(form, 'email')?.trim() ?? '',
    password: str(form, 'password') ?? '',
  });
}

export async function signUp(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = readCredentials(form);
  if (!parsed.success) return invalidForm(parsed.error, form);
  const supabase = await createSupabaseServerClient();
  const { data, error } = await supabase.auth.signUp(parsed.data);
  if (error) {
    const taken = /already|registered|exists/i.test(error.message);
    const failure = isRateLimited(error) ? SIGN_UP_RATE_LIMITED : `Sign-up failed: ${error.message}`;
    return {
      ok: false,
      error: taken ? 'An account with this email already exists. Sign in instead.' : failure,
      fieldErrors: taken ? { email: ['This email is already registered'] } : {},
      values: echo(form),
      at: Date.now(),
    };
  }
  if (!data.session)
    return {
      ok: true,
      error: null,
      fieldErrors: {},
      message: 'Check your email to confirm your account: the link in it signs you in.',
      at: Date.now(),
    };
  redirect('/onboarding');
}

export async function signIn(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = readCredentials(form);
  if (!parsed.success) return invalidForm(parsed.error, form);
  const supabase = await createSupabaseServerClient();
  const { error } = await supabase.auth.signInWithPassword(parsed.data);
  if (error) return { ok: false, error: signInRefusal(error), fieldErrors: {}, values: echo(form), at: Date.now() };
  redirect(safeNext(str(form, 'next')));
}

export async function signOut(): Promise<void> {
  const supabase = await createSupabaseServerClient();
  await supabase.auth.signOut();
  redirect('/sign-in');
}
