// The emails GoTrue sends for email + password accounts, sent over SMTP with nodemailer (locally to the mail sink).
// Links follow the templates we configure on the Supabase project (docs/NOTIFICATIONS.md "Account emails"): the SSR
// `token_hash` flow, `{SITE_URL}/auth/confirm?token_hash=…&type=…&next=…`, which the web app verifies with
// verifyOtp. GoTrue's own `{API}/verify?token=…` link is served too (see account-emails.ts) but not mailed.
import nodemailer from 'nodemailer';

export interface SmtpOptions {
  /** e.g. `smtp://127.0.0.1:2500` (the local mail sink's smtpUrl). */
  url: string;
  senderEmail?: string;
  senderName?: string;
}

export interface AuthEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface AuthMailer {
  send(email: AuthEmail): Promise<void>;
  close(): void;
}

export function createAuthMailer(smtp: SmtpOptions): AuthMailer {
  const transport = nodemailer.createTransport(smtp.url);
  const from = { name: smtp.senderName ?? 'PolyBot', address: smtp.senderEmail ?? 'no-reply@polybot.local' };
  return {
    send: async (email) => {
      await transport.sendMail({ from, ...email });
    },
    close: () => transport.close(),
  };
}

function confirmLink(siteUrl: string, tokenHash: string, type: string, next: string): string {
  const url = new URL('/auth/confirm', siteUrl);
  url.search = new URLSearchParams({ token_hash: tokenHash, type, next }).toString();
  return url.toString();
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function email(to: string, subject: string, intro: string, action: string, link: string, outro: string): AuthEmail {
  return {
    to,
    subject,
    text: `${intro}\n\n${action}: ${link}\n\n${outro}\n`,
    html: `<h2>${escape(subject)}</h2><p>${escape(intro)}</p><p><a href="${escape(link)}">${escape(action)}</a></p><p>${escape(outro)}</p>`,
  };
}

/** GoTrue's "Reset Password" template, SSR flavour. */
export function recoveryEmail(siteUrl: string, to: string, tokenHash: string): AuthEmail {
  return email(
    to,
    'Reset your PolyBot password',
    'Someone (hopefully you) asked to reset the password of your PolyBot account.',
    'Reset your password',
    confirmLink(siteUrl, tokenHash, 'recovery', '/reset-password'),
    'The link works once, for one hour. If you did not ask for it, ignore this email: your password stays the same.',
  );
}

/** GoTrue's "Confirm signup" template, SSR flavour (`type=email`, what GoTrue's SSR guide uses). */
export function confirmationEmail(siteUrl: string, to: string, tokenHash: string): AuthEmail {
  return email(
    to,
    'Confirm your PolyBot account',
    'Welcome to PolyBot. Confirm this email address to finish creating your account.',
    'Confirm your email',
    confirmLink(siteUrl, tokenHash, 'email', '/onboarding'),
    'The link works once, for one hour. If you did not sign up, ignore this email.',
  );
}
