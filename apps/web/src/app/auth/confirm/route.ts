// The emailed links land here (Supabase's SSR pattern; the email templates link to
// `{{ .SiteURL }}/auth/confirm?token_hash={{ .TokenHash }}&type=recovery&next=/reset-password`): verifyOtp turns the
// one-time token hash into a session (cookies), then on to `next` — only a same-origin path (safeNext).
import type { EmailOtpType } from '@supabase/supabase-js';
import { redirect } from 'next/navigation';
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { createSupabaseServerClient } from '~/lib/supabase/server.ts';
import { safeNext } from '../safe-next.ts';

const LinkSchema = z.object({
  token_hash: z.string().min(1).max(256),
  type: z.enum(['recovery', 'email', 'signup', 'invite', 'magiclink', 'email_change'] satisfies EmailOtpType[]),
});

export async function GET(request: NextRequest): Promise<never> {
  const params = request.nextUrl.searchParams;
  const link = LinkSchema.safeParse({ token_hash: params.get('token_hash'), type: params.get('type') });
  if (link.success) {
    const supabase = await createSupabaseServerClient();
    const { error } = await supabase.auth.verifyOtp({ token_hash: link.data.token_hash, type: link.data.type });
    if (!error) redirect(safeNext(params.get('next')));
  }
  // Expired, used or mangled: a recovery link offers a new one; a confirmation link says so on sign-in.
  redirect(params.get('type') === 'recovery' ? '/forgot-password?error=link' : '/sign-in?error=link');
}
