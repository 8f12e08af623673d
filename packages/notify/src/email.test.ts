import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAYLOADS, trade } from '../test/payloads.ts';
import type { SmtpCapture } from '../test/smtp-capture.ts';
import { startSmtpCapture } from '../test/smtp-capture.ts';
import type { EmailSender, NotificationEmail } from './email.ts';
import { createEmailSender } from './email.ts';
import { renderNotification } from './render/index.ts';

const FROM = 'PolyBot <notify@polybot.example>';
let smtp: SmtpCapture;
let sender: EmailSender;
beforeEach(async () => {
  smtp = await startSmtpCapture();
  sender = createEmailSender({ smtpUrl: smtp.url, from: FROM });
});
afterEach(async () => {
  sender.close();
  await smtp.close();
});

function email(idempotencyKey: string, title = 'Will it rain in NYC on Dec 6?'): NotificationEmail {
  const payload = { ...PAYLOADS.trade_executed, trades: [trade({ market_title: title })] };
  return {
    to: 'ada@example.com',
    idempotencyKey,
    rendered: renderNotification(payload, { appUrl: 'https://app.polybot.example', occurredAt: new Date() }),
    unsubscribe: {
      url: 'https://app.polybot.example/unsubscribe?token=abc.def',
      mailto: 'mailto:unsubscribe@polybot.example?subject=unsubscribe%20abc.def',
    },
  };
}

describe('notification email over SMTP', () => {
  it('arrives with text and HTML parts, one-click unsubscribe headers and a visible unsubscribe link', async () => {
    const result = await sender.send(email('evt-1:chan-1', 'Rain <b>&</b> snow?'));
    expect(result).toMatchObject({ ok: true, providerId: expect.stringMatching(/^<.+@polybot\.example>$/) as unknown });
    const [mail] = smtp.messages;
    expect(mail?.from?.value[0]).toMatchObject({ name: 'PolyBot', address: 'notify@polybot.example' });
    expect(mail?.subject).toBe('Your bot bought 12 at $0.41');
    expect(mail?.text).toContain('Your bot bought 12 contracts at $0.41 on “Rain <b>&</b> snow?”');
    expect(mail?.text).toContain('Unsubscribe: https://app.polybot.example/unsubscribe?token=abc.def');
    expect(mail?.html).toContain('Rain &lt;b&gt;&amp;&lt;/b&gt; snow?');
    expect(mail?.html).toContain('<a href="https://app.polybot.example/unsubscribe?token=abc.def">Unsubscribe</a>');
    // Unfolded (RFC 5322 §2.2.3): a long header is folded onto continuation lines.
    expect(mail?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r?\n/g, '')).toBe(
      'List-Unsubscribe: <https://app.polybot.example/unsubscribe?token=abc.def>, ' +
        '<mailto:unsubscribe@polybot.example?subject=unsubscribe%20abc.def>',
    );
    expect(mail?.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
  });

  it('gives every retry of one delivery the same Message-ID, and another delivery another', async () => {
    await sender.send(email('evt-1:chan-1'));
    await sender.send(email('evt-1:chan-1'));
    await sender.send(email('evt-2:chan-1'));
    const ids = smtp.messages.map((m) => m.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('a 5xx rejection is permanent, a 4xx is retryable, an SMTP server that is down is retryable', async () => {
    smtp.rejectWith = 550;
    expect(await sender.send(email('k'))).toMatchObject({ ok: false, retryable: false });
    smtp.rejectWith = 451;
    expect(await sender.send(email('k'))).toMatchObject({ ok: false, retryable: true });
    smtp.rejectWith = undefined;
    await smtp.close();
    expect(await sender.send(email('k'))).toMatchObject({ ok: false, retryable: true });
    expect(smtp.messages).toHaveLength(0);
  });
});
