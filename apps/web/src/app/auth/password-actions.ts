'use server';
// Forgot password and choosing a new one. Asking for a reset link always gets the same answer, whether or not the
// email has an account (and whatever Supabase Auth said): the form must not tell a stranger who has an account.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { echo, invalidForm, str, type ActionState } from '~/lib/action.ts';
import { getClaims } from '~/lib/session.ts';
import { createSupabaseServerClient } from '~/lib/supabase/server.ts';
import { serverEnv } from '~/env.ts';
import { isRateLimited } from './auth-errors.ts';
import { RESET_LINK_SENT, RESET_SESSION_MISSING } from './password-messages.ts';

const EmailSchema = z.object({ email: z.email({ error: 'Enter a valid email address' }) });

const NewPasswordSchema = z
  .object({
    password: z
      .string()
      .min(8, { error: 'Password must be at least 8 characters' })
      .max(72, { error: 'Password must be at most 72 characters' }),
    password_confirm: z.string(),
  })
  .refine((v) => v.password === v.password_confirm, {
    path: ['password_confirm'],
    error: 'The two passwords are not the same',
  });

export async function requestPasswordReset(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = EmailSchema.safeParse({ email: str(form, 'email')?.trim() ?? '' });
  if (!parsed.success) return invalidForm(parsed.error, form);
  const supabase = await createSupabaseServerClient();
  const redirectTo = new URL('/auth/confirm?next=/reset-password', serverEnv().APP_URL).toString();
  const { error } = await supabase.auth.resetPasswordForEmail(parsed.data.email, { redirectTo });
  // Logged, never shown: a different answer for some emails would tell which have accounts.
  if (error && !isRateLimited(error)) console.error(`password reset request failed: ${error.code ?? error.status}`);
  return { ok: true, error: null, fieldErrors: {}, message: RESET_LINK_SENT, at: Date.now() };
}

export async function setNewPassword(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = NewPasswordSchema.safeParse({
    password: str(form, 'password') ?? '',
    password_confirm: str(form, 'password_confirm') ?? '',
  });
  if (!parsed.success) return invalidForm(parsed.error, form);
  const refuse = (error: string): ActionState => ({
    ok: false,
    error,
    fieldErrors: {},
    values: echo(form),
    at: Date.now(),
  });
  if (!(await getClaims())) return refuse(RESET_SESSION_MISSING);
  const supabase = await createSupabaseServerClient();
  const { error } = await supabase.auth.updateUser({ password: parsed.data.password });
  if (error) {
    if (error.code === 'same_password') return refuse('That is your current password. Choose a new one.');
    if (error.code === 'weak_password') return refuse(`Choose a stronger password: ${error.message}`);
    return refuse(`Your password could not be changed: ${error.message}`);
  }
  redirect('/dashboard?notice=password-updated');
}
