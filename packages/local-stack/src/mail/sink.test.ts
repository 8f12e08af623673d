import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink, type SinkMessage } from './index.ts';

let sink: MailSink;

beforeAll(async () => {
  sink = await startMailSink();
});
afterAll(async () => {
  await sink.close();
});

function send(mail: SendMailOptions) {
  return nodemailer.createTransport(sink.smtpUrl).sendMail({ from: '"PolyBot" <no-reply@polybot.local>', ...mail });
}

describe('mail sink', () => {
  it('accepts mail over SMTP and parses from, to, subject, text, html and headers', async () => {
    await send({
      to: 'Ada@Example.com',
      subject: 'Reset your password',
      text: 'Open http://127.0.0.1:3000/auth/confirm?token_hash=abc&type=recovery to reset.',
      html: '<p>Open <a href="http://127.0.0.1:3000/auth/confirm?token_hash=abc&amp;type=recovery">this link</a></p>',
      headers: { 'X-PolyBot-Kind': 'recovery' },
    });
    const message = await sink.waitFor({ to: 'ada@example.com', subject: 'reset' });
    expect(message.from).toBe('"PolyBot" <no-reply@polybot.local>');
    expect(message.to).toEqual(['ada@example.com']);
    expect(message.envelope).toEqual({ from: 'no-reply@polybot.local', to: ['Ada@example.com'] }); // nodemailer lower-cases the domain
    expect(message.subject).toBe('Reset your password');
    expect(message.text).toContain('token_hash=abc');
    expect(message.html).toContain('<a href=');
    expect(message.headers['x-polybot-kind']).toBe('recovery');
  });

  it('waitFor resolves for a message that arrives later, and rejects naming what it saw on timeout', async () => {
    const waiting = sink.waitFor((m: SinkMessage) => m.subject === 'Later');
    await send({ to: 'later@example.com', subject: 'Later', text: 'hi' });
    expect((await waiting).to).toEqual(['later@example.com']);
    await expect(sink.waitFor({ subject: 'never sent' }, 50)).rejects.toThrow(/no matching message/);
  });

  it('serves the messages as JSON, filterable by recipient, and one by id', async () => {
    await send({ to: 'json@example.com', subject: 'For the API', text: 'body' });
    await sink.waitFor({ to: 'json@example.com' });
    const res = await fetch(`${sink.inboxUrl}/api/messages?to=JSON@example.com`);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: SinkMessage[] };
    expect(messages.map((m) => m.subject)).toEqual(['For the API']);
    const one = await fetch(`${sink.inboxUrl}/api/messages/${messages[0]?.id ?? ''}`);
    expect(((await one.json()) as SinkMessage).text).toContain('body');
    expect((await fetch(`${sink.inboxUrl}/api/messages/nope`)).status).toBe(404);
  });

  it('shows an inbox page and a message page with everything escaped and the HTML part sandboxed', async () => {
    await send({
      to: 'xss@example.com',
      subject: '<script>alert(1)</script>',
      text: 'see https://example.com/a?b=1',
      html: '<img src=x onerror=alert(1)><a href="https://example.com/a?b=1&amp;c=2">go</a>',
    });
    const message = await sink.waitFor({ to: 'xss@example.com' });
    const list = await fetch(sink.inboxUrl);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const listHtml = await list.text();
    expect(listHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(listHtml).not.toContain('<script>alert(1)</script>');

    const page = await (await fetch(`${sink.inboxUrl}/messages/${message.id}`)).text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).toMatch(/<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(page).toContain('srcdoc="&lt;base target=&quot;_blank&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="noreferrer">'); // the links list
    expect(page).toContain('<pre>see https://example.com/a?b=1</pre>');
  });

  it('forgets everything on DELETE /api/messages', async () => {
    await send({ to: 'clear@example.com', subject: 'x', text: 'x' });
    await sink.waitFor({ to: 'clear@example.com' });
    expect((await fetch(`${sink.inboxUrl}/api/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(sink.messages()).toEqual([]);
  });
});
