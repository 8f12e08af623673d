// The platform's own mails about a channel (its confirmation link, a test), sent through @polybot/notify's email
// sender like every notification: text and HTML parts, and an unsubscribe link for that channel (a signed token, the
// same kind the worker puts in notification mail) with the one-click headers.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { createEmailSender, escapeHtml, signUnsubscribeToken, type DeliveryResult } from '@polybot/notify';
import type { NotifyConfig } from './config.ts';

export interface PlatformMail {
  to: string;
  channelId: string;
  userId: string;
  subject: string;
  text: string;
  /** A link the mail is about (the confirmation link): shown as a button in HTML and as the URL in text. */
  link?: { url: string; label: string };
}

export async function sendPlatformMail(config: NotifyConfig, mail: PlatformMail): Promise<DeliveryResult> {
  if (!config.mail) return { ok: false, retryable: false, error: 'Email is not configured on this platform' };
  const token = signUnsubscribeToken({ userId: mail.userId, channelId: mail.channelId }, config.mail.unsubscribeSecret);
  const sender = createEmailSender({ smtpUrl: config.mail.smtpUrl, from: config.mail.from });
  try {
    return await sender.send({
      to: mail.to,
      idempotencyKey: `web_${randomUUID()}`,
      rendered: {
        subject: mail.subject,
        text: mail.link ? `${mail.text}\n\n${mail.link.label}: ${mail.link.url}` : mail.text,
        html:
          `<p>${escapeHtml(mail.text)}</p>` +
          (mail.link ? `<p><a href="${escapeHtml(mail.link.url)}">${escapeHtml(mail.link.label)}</a></p>` : ''),
      },
      unsubscribe: {
        url: `${config.appUrl}/api/unsubscribe?token=${encodeURIComponent(token)}`,
        mailto: `mailto:${mailAddress(config.mail.from)}?subject=unsubscribe`,
      },
    });
  } finally {
    sender.close();
  }
}

/** The bare address of `Name <address>` (or the value itself). */
function mailAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

/** The confirmation mail of an email channel: its link (one use, 24 hours) leads to /notifications/confirm. */
export function sendConfirmationMail(
  config: NotifyConfig,
  c: { to: string; channelId: string; userId: string; token: string },
): Promise<DeliveryResult> {
  return sendPlatformMail(config, {
    to: c.to,
    channelId: c.channelId,
    userId: c.userId,
    subject: 'Confirm your email for PolyBot notifications',
    text: 'Someone (we hope you) asked PolyBot to send notifications to this address. If it was not you, ignore this email: nothing is sent until the link is followed. The link works for 24 hours.',
    link: {
      url: `${config.appUrl}/notifications/confirm?token=${encodeURIComponent(c.token)}`,
      label: 'Confirm this address',
    },
  });
}
