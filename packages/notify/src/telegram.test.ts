import type { TelegramStandIn } from '@polybot/local-stack/telegram';
import { startTelegramStandIn } from '@polybot/local-stack/telegram';
import { GrammyError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAYLOADS, trade } from '../test/payloads.ts';
import { renderNotification } from './render/index.ts';
import { classifyTelegramError, createTelegramApi, sendTelegramMessage } from './telegram.ts';

let tg: TelegramStandIn;
beforeEach(async () => {
  tg = await startTelegramStandIn();
});
afterEach(async () => {
  await tg.close();
});
const ctx = { appUrl: 'https://app.polybot.example', occurredAt: new Date() };

describe('sendTelegramMessage', () => {
  it('delivers every kind, rendered, to a linked chat; Telegram accepts the HTML (escaped titles included)', async () => {
    const api = createTelegramApi({ token: tg.token, apiRoot: tg.url });
    tg.injectMessage({ chatId: 555, text: '/start link-token' });
    const hostile = { kind: 'trade_executed' as const, count: 1, trades: [trade({ market_title: 'A <b & c> "d"' })] };
    for (const payload of [...Object.values(PAYLOADS), hostile]) {
      const result = await sendTelegramMessage(api, { chatId: 555, html: renderNotification(payload, ctx).telegram });
      expect(result).toMatchObject({ ok: true, providerId: expect.stringMatching(/^\d+$/) as unknown });
    }
    const sent = tg.sent(555);
    expect(sent).toHaveLength(13);
    expect(sent[0]?.plainText).toContain('Your bot bought 12 contracts at $0.41 on “Will it rain in NYC on Dec 6?”');
    expect(sent[12]?.plainText).toContain('on “A <b & c> "d"”');
  });

  it('a chat that never started the bot or blocked it is permanent; the API being down is retryable', async () => {
    const api = createTelegramApi({ token: tg.token, apiRoot: tg.url });
    expect(await sendTelegramMessage(api, { chatId: 1, html: 'hi' })).toEqual({
      ok: false,
      retryable: false,
      error: '400: Bad Request: chat not found',
    });
    tg.injectMessage({ chatId: 2, text: 'hi' });
    tg.blockChat(2);
    expect(await sendTelegramMessage(api, { chatId: 2, html: 'hi' })).toMatchObject({ ok: false, retryable: false });
    await tg.close();
    expect(await sendTelegramMessage(api, { chatId: 2, html: 'hi' })).toMatchObject({ ok: false, retryable: true });
  });

  it('429 keeps retry_after; 5xx and a wrong token are retryable', () => {
    const error = (error_code: number, parameters = {}) =>
      new GrammyError('x', { ok: false, error_code, description: 'd', parameters }, 'sendMessage', {});
    expect(classifyTelegramError(error(429, { retry_after: 3 }))).toEqual({
      ok: false,
      retryable: true,
      error: '429: d',
      retryAfterMs: 3000,
    });
    expect(classifyTelegramError(error(502))).toMatchObject({ retryable: true });
    expect(classifyTelegramError(error(401))).toMatchObject({ retryable: true });
    expect(classifyTelegramError(error(403))).toMatchObject({ retryable: false });
  });
});
