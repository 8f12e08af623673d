// The stand-in driven by grammy itself, unmodified: if grammy can poll it, answer through it and receive its webhook
// pushes, the worker's Telegram code will too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, Bot, GrammyError, webhookCallback } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../testing/wait.ts';
import type { TelegramStandIn } from './index.ts';
import { startTelegramStandIn } from './index.ts';

let tg: TelegramStandIn;
const servers: http.Server[] = [];
beforeEach(async () => {
  tg = await startTelegramStandIn();
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await tg.close();
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
}

async function apiError(call: Promise<unknown>): Promise<GrammyError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

describe('Telegram Bot API stand-in', () => {
  it('a grammy Bot long-polls an injected /start and answers it', async () => {
    const bot = new Bot(tg.token, { client: { apiRoot: tg.url } });
    bot.command('start', (ctx) => ctx.reply(`Linked with token <code>${ctx.match}</code>`, { parse_mode: 'HTML' }));
    tg.injectMessage({ chatId: 4242, text: '/start abc123', username: 'ada' });
    const running = bot.start();
    await eventually(() => expect(tg.sent(4242)).toHaveLength(1));
    expect(tg.sent(4242)[0]).toMatchObject({ plainText: 'Linked with token abc123', parseMode: 'HTML' });
    expect(bot.botInfo.username).toBe(tg.botUsername);

    // A second message reaches the running poller (it is waiting inside getUpdates), and stop() returns.
    tg.injectMessage({ chatId: 4242, text: '/start again' });
    await eventually(() => expect(tg.sent(4242)).toHaveLength(2));
    await bot.stop();
    await running;
  });

  it('pushes updates to a webhook with the secret token header; getUpdates then conflicts', async () => {
    const bot = new Bot(tg.token, { client: { apiRoot: tg.url } });
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    await bot.init();
    const secrets: Array<string | undefined> = [];
    const handle = webhookCallback(bot, 'http', { secretToken: 'hook-secret_1' });
    const url = await listen((req, res) => {
      secrets.push(req.headers['x-telegram-bot-api-secret-token'] as string | undefined);
      void handle(req, res);
    });
    expect(await bot.api.setWebhook(url, { secret_token: 'hook-secret_1' })).toBe(true);
    expect((await bot.api.getWebhookInfo()).url).toBe(url);
    tg.injectMessage({ chatId: 7, text: 'hello' });
    await eventually(() => expect(tg.sent(7).map((m) => m.text)).toEqual(['echo: hello']));
    expect(secrets).toEqual(['hook-secret_1']);
    expect((await apiError(bot.api.getUpdates())).error_code).toBe(409);

    await bot.api.deleteWebhook();
    tg.injectMessage({ chatId: 7, text: 'polled' });
    expect((await bot.api.getUpdates({ timeout: 0 })).map((u) => u.message?.text)).toEqual(['polled']);
  });

  it('retries a webhook push until the bot answers 2xx', async () => {
    let calls = 0;
    const received: string[] = [];
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (++calls < 3) return res.writeHead(500).end();
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Api(tg.token, { apiRoot: tg.url }).setWebhook(url);
    tg.injectMessage({ chatId: 9, text: 'once' });
    await eventually(() => expect(received).toHaveLength(1));
    expect(JSON.parse(received[0] ?? '')).toMatchObject({ update_id: 1, message: { text: 'once', chat: { id: 9 } } });
  });

  it("answers with Telegram's errors", async () => {
    const api = new Api(tg.token, { apiRoot: tg.url });
    expect(await apiError(api.sendMessage(1, 'hi'))).toMatchObject({
      error_code: 400,
      description: 'Bad Request: chat not found',
    });
    tg.injectMessage({ chatId: 1, text: 'hi' });
    const bad = await apiError(api.sendMessage(1, 'a <script> b', { parse_mode: 'HTML' }));
    expect(bad.error_code).toBe(400);
    expect(bad.description).toContain("can't parse entities");
    expect((await apiError(api.sendMessage(1, 'Tom & Jerry', { parse_mode: 'HTML' }))).error_code).toBe(400);
    expect((await api.sendMessage(1, 'Tom &amp; <b>Jerry</b>', { parse_mode: 'HTML' })).text).toBe('Tom & Jerry');
    expect((await apiError(api.sendMessage(1, ''))).description).toBe('Bad Request: message text is empty');
    tg.blockChat(1);
    expect(await apiError(api.sendMessage(1, 'hi'))).toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const wrongToken = new Api('7000000001:wrong', { apiRoot: tg.url });
    expect((await apiError(wrongToken.getMe())).error_code).toBe(401);
  });
});
