// Password recovery and signup confirmation by email, through the real supabase-js client, the local auth server,
// a real Postgres and the local SMTP sink: the mail is read back from the sink, as a person would from the inbox.
import { createHash } from 'node:crypto';
import { isAuthApiError, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../mail/index.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/index.ts';
import { startLocalAuth, type LocalAuth } from './index.ts';
import { createTestClient } from '../../testing/supabase-client.ts';

const SITE = 'http://127.0.0.1:3999';
let db: TestDatabase;
let sink: MailSink;
let auth: LocalAuth;
let confirming: LocalAuth;

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startMailSink();
  const smtp = { url: sink.smtpUrl };
  auth = await startLocalAuth({ databaseUrl: db.url, siteUrl: SITE, smtp });
  confirming = await startLocalAuth({ databaseUrl: db.url, siteUrl: SITE, smtp, mailerAutoconfirm: false });
}, 120_000);

afterAll(async () => {
  await confirming?.close();
  await auth?.close();
  await sink?.close();
  await db?.stop();
});

const client = (server = auth): SupabaseClient => createTestClient(server.url, server.anonKey);
let counter = 0;
const newEmail = (): string => `mail${++counter}-${Date.now()}@example.test`;

async function signUp(email = newEmail(), password = 'old-password-1') {
  const { error } = await client().auth.signUp({ email, password });
  if (error) throw error;
  return { email, password };
}

/** The token_hash of the newest link mailed to `email`, checking the link's shape on the way. */
async function mailedLink(email: string, type: string, next: string): Promise<URL> {
  const message = await sink.waitFor({ to: email });
  const href = /href="([^"]+)"/.exec(message.html ?? '')?.[1]?.replace(/&amp;/g, '&') ?? '';
  const link = new URL(href);
  expect(`${link.origin}${link.pathname}`).toBe(`${SITE}/auth/confirm`);
  expect(link.searchParams.get('type')).toBe(type);
  expect(link.searchParams.get('next')).toBe(next);
  expect(message.text).toContain(link.toString());
  return link;
}

async function expectAuthError(promise: Promise<{ error: unknown }>, code: string, status: number): Promise<void> {
  const { error } = await promise;
  expect(isAuthApiError(error) ? { code: error.code, status: error.status } : error).toEqual({ code, status });
}

describe('password recovery', () => {
  it('mails a one-hour, one-use link; verifyOtp signs in; the new password replaces the old', async () => {
    const { email, password } = await signUp();
    const { error } = await client().auth.resetPasswordForEmail(email, { redirectTo: `${SITE}/auth/confirm` });
    expect(error).toBeNull();
    const link = await mailedLink(email, 'recovery', '/reset-password');
    const tokenHash = link.searchParams.get('token_hash') ?? '';

    // Stored as its sha256, never as the link's value.
    const [row] = await db.sql`select recovery_token, recovery_sent_at from auth.users where email = ${email}`;
    expect(row?.recovery_token).toBe(createHash('sha256').update(tokenHash).digest('hex'));
    expect(row?.recovery_sent_at).not.toBeNull();

    const browser = client();
    const verified = await browser.auth.verifyOtp({ token_hash: tokenHash, type: 'recovery' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email).toBe(email);
    expect((await browser.auth.updateUser({ password: 'new-password-2' })).error).toBeNull();

    await expectAuthError(client().auth.verifyOtp({ token_hash: tokenHash, type: 'recovery' }), 'otp_expired', 403);
    await expectAuthError(client().auth.signInWithPassword({ email, password }), 'invalid_credentials', 400);
    expect((await client().auth.signInWithPassword({ email, password: 'new-password-2' })).error).toBeNull();
  });

  it('answers an unknown email exactly like a known one and mails nothing', async () => {
    const unknown = newEmail();
    const { data, error } = await client().auth.resetPasswordForEmail(unknown);
    expect(error).toBeNull();
    expect(data).toEqual({});
    expect(sink.messages({ to: unknown })).toEqual([]); // the request returns after any mail was sent
  });

  it('allows one request per email per minute, for unknown emails too (the 429 reveals nothing)', async () => {
    const { email } = await signUp();
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
    await expectAuthError(client().auth.resetPasswordForEmail(email), 'over_email_send_rate_limit', 429);
    const unknown = newEmail();
    expect((await client().auth.resetPasswordForEmail(unknown)).error).toBeNull();
    await expectAuthError(client().auth.resetPasswordForEmail(unknown), 'over_email_send_rate_limit', 429);
  });

  it('refuses a link older than an hour with otp_expired', async () => {
    const { email } = await signUp();
    await client().auth.resetPasswordForEmail(email);
    const tokenHash = (await mailedLink(email, 'recovery', '/reset-password')).searchParams.get('token_hash') ?? '';
    await db.sql`update auth.users set recovery_sent_at = now() - interval '61 minutes' where email = ${email}`;
    await expectAuthError(client().auth.verifyOtp({ token_hash: tokenHash, type: 'recovery' }), 'otp_expired', 403);
  });

  it("serves GoTrue's GET /verify link without an apikey: session in the fragment, or otp_expired", async () => {
    const { email } = await signUp();
    await client().auth.resetPasswordForEmail(email);
    const tokenHash = (await mailedLink(email, 'recovery', '/reset-password')).searchParams.get('token_hash') ?? '';
    const verify = (token: string, redirectTo: string) =>
      fetch(`${auth.url}/auth/v1/verify?${new URLSearchParams({ token, type: 'recovery', redirect_to: redirectTo })}`, {
        redirect: 'manual',
      });
    const ok = await verify(tokenHash, `${SITE}/reset-password`);
    expect(ok.status).toBe(303);
    const location = new URL(ok.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${SITE}/reset-password`);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('type')).toBe('recovery');
    const { data } = await client().auth.getUser(fragment.get('access_token') ?? '');
    expect(data.user?.email).toBe(email);

    const reused = await verify(tokenHash, 'https://evil.example/steal'); // other origins fall back to the site URL
    const refused = new URL(reused.headers.get('location') ?? '');
    expect(refused.origin).toBe(SITE);
    expect(new URLSearchParams(refused.hash.slice(1)).get('error_code')).toBe('otp_expired');
  });
});

describe('signup confirmation (mailerAutoconfirm: false)', () => {
  it('mails a link, returns no session, refuses sign-in until the link is followed', async () => {
    const email = newEmail();
    const password = 'confirm-me-1';
    const { data, error } = await client(confirming).auth.signUp({ email, password });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.email_confirmed_at).toBeUndefined();
    await expectAuthError(client(confirming).auth.signInWithPassword({ email, password }), 'email_not_confirmed', 400);

    const link = await mailedLink(email, 'email', '/onboarding');
    const verified = await client(confirming).auth.verifyOtp({
      token_hash: link.searchParams.get('token_hash') ?? '',
      type: 'email',
    });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toEqual(expect.any(String));
    expect((await client(confirming).auth.signInWithPassword({ email, password })).error).toBeNull();
    const settings = (await (
      await fetch(`${confirming.url}/auth/v1/settings`, { headers: { apikey: confirming.anonKey } })
    ).json()) as { mailer_autoconfirm: boolean };
    expect(settings.mailer_autoconfirm).toBe(false);
  });

  it('signing up again answers like a first sign-up: unconfirmed → that user (the link again, once a minute), confirmed → an obfuscated user', async () => {
    const email = newEmail();
    await client(confirming).auth.signUp({ email, password: 'first-try-1' });
    await sink.waitFor({ to: email });
    const first = (await db.sql`select id from auth.users where email = ${email}`)[0]?.id as string;
    const again = await client(confirming).auth.signUp({ email, password: 'first-try-1' });
    expect(again.error).toBeNull();
    expect(again.data.user?.id).toBe(first);
    expect(again.data.session).toBeNull();
    expect(again.data.user?.email).toBe(email);
    expect(sink.messages({ to: email })).toHaveLength(1); // within the minute: skipped, not refused

    // A confirmed account: GoTrue's obfuscated user (another id, no identities), no session, no mail.
    const taken = await signUp();
    const before = sink.messages({ to: taken.email }).length;
    const probe = await client(confirming).auth.signUp({ email: taken.email, password: 'whatever-1' });
    expect(probe.error).toBeNull();
    expect(probe.data.session).toBeNull();
    expect(probe.data.user?.identities).toEqual([]);
    const [row] = await db.sql`select id from auth.users where email = ${taken.email}`;
    expect(probe.data.user?.id).not.toBe(row?.id);
    expect(sink.messages({ to: taken.email })).toHaveLength(before);
  });
});
