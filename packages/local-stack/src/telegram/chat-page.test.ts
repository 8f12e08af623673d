// The stand-in's human chat page: a deep link lands with `/start <token>` ready to send, a message sent from the form
// reaches a real grammy bot (long polling) and the page shows the conversation with its reply; everything escaped.
import { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramStandIn } from './index.ts';
import { startTelegramStandIn } from './index.ts';

let tg: TelegramStandIn;
let bot: Bot | undefined;
beforeEach(async () => {
  tg = await startTelegramStandIn();
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await tg.close();
});

async function get(path: string, cookie?: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(`${tg.url}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

async function send(fields: Record<string, string>): Promise<Response> {
  return fetch(`${tg.url}/chat/send`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

describe('the chat page', () => {
  it('opens a deep link with /start <token> in the message box, under a CSP that runs no script', async () => {
    expect(tg.chatUrl).toBe(`${tg.url}/chat`);
    const page = await get(`/chat/${tg.botUsername}?start=tok_EN-123`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<textarea name="text" required maxlength="4096">/start tok_EN-123</textarea>');
    expect(page.html).toContain('>Start</button>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.html).not.toContain('<script');
    // Another bot's link, or a start parameter Telegram would not carry.
    expect((await get('/chat/someone_elses_bot?start=abc')).status).toBe(404);
    const bad = await get(`/chat/${tg.botUsername}?start=${encodeURIComponent('<b>x</b>')}`);
    expect(bad.html).not.toContain('<b>x</b>');
    expect(bad.html).toContain('no start parameter Telegram would accept');
  });

  it('sends a message to the bot, waits for its reply and shows the conversation, escaped', async () => {
    bot = new Bot(tg.token, { client: { apiRoot: tg.url } });
    bot.on('message:text', (ctx) =>
      ctx.reply(
        `You said <b>${ctx.message.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</b>. <a href="https://app.example/settings?a=1&amp;b=2">Settings</a>`,
        {
          parse_mode: 'HTML',
        },
      ),
    );
    void bot.start();

    const res = await send({ chat_id: '555001', username: 'ada', text: '<script>alert(1)</script> & hi' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/chat?chat=555001&username=ada');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    // The reply was awaited: it is on the page the redirect leads to.
    const page = await get('/chat?chat=555001&username=ada');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; hi');
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('You said &lt;script&gt;alert(1)&lt;/script&gt; &amp; hi.');
    expect(page.html).toContain('href="https://app.example/settings?a=1&amp;b=2"');
    expect(page.html.indexOf('data-from="you"')).toBeLessThan(page.html.indexOf('data-from="bot"'));
    expect(tg.sent(555001)).toHaveLength(1);

    // The browser is remembered: the chat list offers the chat, and a later deep link continues as the same person.
    const chooser = await get(`/chat/${tg.botUsername}?start=abc`, cookie);
    expect(chooser.html).toMatch(/name="chat_id"[^>]*value="555001"/);
    expect(chooser.html).toMatch(/name="username"[^>]*value="ada"/);
    expect(chooser.html).toContain('Chat 555001 (@ada)');
  });

  it('refuses a malformed chat id or username, and sends nothing', async () => {
    for (const fields of [
      { chat_id: 'abc', username: 'ada', text: 'hi' },
      { chat_id: '1', username: 'a"><b>', text: 'hi' },
      { chat_id: '1', username: 'ada', text: '   ' },
    ]) {
      const res = await send(fields);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Choose a chat id');
      expect(html).not.toContain('"><b>');
    }
    expect(tg.sent()).toHaveLength(0);
    const info = await fetch(`${tg.url}/bot${tg.token}/getUpdates`).then(
      (r) => r.json() as Promise<{ result: unknown[] }>,
    );
    expect(info.result).toHaveLength(0);
  });
});
