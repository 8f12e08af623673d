// Notification email: composed here (text and HTML parts, unsubscribe link and RFC 8058 one-click headers, a
// Message-ID derived from the delivery's idempotency key) and sent over SMTP with nodemailer. The Message-ID is the
// same on every retry of one delivery, so a mailbox that saw the first attempt (Gmail drops duplicate Message-IDs)
// shows the message once; SMTP itself has no idempotency to offer beyond that.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import type { RenderedNotification } from './render/types.ts';
import { escapeHtml } from './render/escape.ts';
import type { DeliveryResult } from './result.ts';
import { delivered, failed } from './result.ts';

export interface NotificationEmail {
  to: string;
  /** The delivery's idempotency key: the Message-ID derives from it. */
  idempotencyKey: string;
  rendered: Pick<RenderedNotification, 'subject' | 'text' | 'html'>;
  unsubscribe: {
    /** https link: GET shows a confirmation page, POST (List-Unsubscribe=One-Click) unsubscribes at once. */
    url: string;
    /** mailto: fallback for clients without one-click support. */
    mailto: string;
  };
}

/** `<hash@domain-of-from>`: stable per idempotency key, unique across keys, nothing private in it. */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'polybot.local';
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${hash}.notify@${domain}>`;
}

export function composeEmail(email: NotificationEmail, from: string): SendMailOptions {
  const { url, mailto } = email.unsubscribe;
  if (!/^https?:\/\//.test(url) || !mailto.startsWith('mailto:'))
    throw new Error('unsubscribe needs an http(s) URL and a mailto:');
  const footerText = `You get this email because of your PolyBot notification settings.\nUnsubscribe: ${url}`;
  const footerHtml =
    '<hr><p style="color:#666;font-size:12px">You get this email because of your PolyBot notification settings. ' +
    `<a href="${escapeHtml(url)}">Unsubscribe</a></p>`;
  return {
    from,
    to: email.to,
    subject: email.rendered.subject,
    messageId: messageIdFor(email.idempotencyKey, from),
    text: `${email.rendered.text}\n\n--\n${footerText}\n`,
    html:
      '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">' +
      `${email.rendered.html}\n${footerHtml}</body></html>`,
    headers: {
      'List-Unsubscribe': `<${url}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

/**
 * Whether trying the same message again may work. A server's reply decides when there was one: nodemailer sets
 * `permanent` from its class (5xx but 503 permanent; 4xx, e.g. greylisting, not). Without a reply, a message
 * nodemailer itself refuses (no recipient, bad message) will not improve; everything else (connection refused or
 * dropped, timeouts, wrong credentials on our side) is retryable.
 */
function isRetryable(error: { code?: string; permanent?: boolean }): boolean {
  if (error.permanent !== undefined) return !error.permanent;
  return error.code !== 'EENVELOPE' && error.code !== 'EMESSAGE';
}

export interface EmailSender {
  send(email: NotificationEmail): Promise<DeliveryResult>;
  close(): void;
}

export function createEmailSender(config: { smtpUrl: string; from: string }): EmailSender {
  // One pooled connection set per sender: the worker sends many messages; reconnecting for each would be slow.
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(email) {
      try {
        const info = await transport.sendMail(composeEmail(email, config.from));
        return delivered(info.messageId);
      } catch (error) {
        const e = error as Error & { code?: string; permanent?: boolean; response?: string };
        return failed(isRetryable(e), e.response ?? e.message);
      }
    },
    close: () => transport.close(),
  };
}
