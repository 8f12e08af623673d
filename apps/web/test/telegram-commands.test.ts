// The Telegram bot end to end: the built web app under `next start` (its least-privilege polybot_web login), the Bot
// API stand-in with setWebhook pointing at /api/telegram/webhook, real Postgres. A chat links with /start <token>;
// /pause, /resume, /status and /pnl then act as that user through the web app's own functions (the dashboard's
// loadStatus and P&L card, its Pause/Resume path). Another chat is refused and changes nothing; a call without
// Telegram's secret header is refused before anything is read.
import { applyFillToPosition, recordTrade, writeMarks, type TradeRecord } from '@polybot/db/service';
import { withUser } from '@polybot/db';
import { createTelegramLinkToken } from '@polybot/db/user';
import { createAuthUser } from '@polybot/local-stack/postgres';
import { markPrice, replayFills, valueOpenPositions, type PnlFill, type PnlPosition } from '@polybot/schemas';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '~/lib/labels.ts';
import { telegramDeepLink } from '~/lib/telegram/link.ts';
import { launchChromium, PHONE, shoot } from './support/browser.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let tg: NonNullable<Stack['telegram']>;
let ada = '';
const ADA_CHAT = 7_000_001;
const MALLORY_CHAT = 7_000_002;

beforeAll(async () => {
  stack = await startStack({ telegram: true });
  if (!stack.telegram) throw new Error('the stack has no Telegram stand-in');
  tg = stack.telegram;
  ada = await createAuthUser(stack.db, { email: `tg-ada-${Date.now()}@example.test` });
});

let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** Polls until `check` returns a value (generous: the first request compiles nothing but warms the route). */
async function until<T>(check: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Writes to the bot from a chat, as Telegram delivers it (webhook), and returns the bot's answer as a person reads it. */
async function say(chatId: number, text: string): Promise<string> {
  const before = tg.sent(chatId).length;
  tg.injectMessage({ chatId, text, username: chatId === ADA_CHAT ? 'ada' : 'mallory' });
  const reply = await until(() => tg.sent(chatId)[before], `the bot's answer to ${text} in chat ${chatId}`);
  return reply.plainText;
}

async function config(userId: string): Promise<{ bot_enabled: boolean; config_version: number }> {
  const [row] = await stack.db.sql<{ bot_enabled: boolean; config_version: number }[]>`
    select bot_enabled, config_version from public.polybot_user_config where user_id = ${userId}`;
  if (!row) throw new Error('no config row');
  return row;
}

async function telegramChannels(userId: string): Promise<{ target: string; verified: boolean }[]> {
  return stack.db.sql<{ target: string; verified: boolean }[]>`
    select target, verified_at is not null as verified from public.polybot_notification_channels
     where user_id = ${userId} and kind = 'telegram' order by created_at`;
}

/** A webhook call made by hand (not by the stand-in), with the secret header as given. */
function postUpdate(update: unknown, secret: string | null, body?: string): Promise<Response> {
  return fetch(`${stack.baseUrl}/api/telegram/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'X-Telegram-Bot-Api-Secret-Token': secret }),
    },
    body: body ?? JSON.stringify(update),
  });
}

function textUpdate(updateId: number, chatId: number, text: string) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Ada' },
      from: { id: chatId, is_bot: false, first_name: 'Ada', username: 'ada' },
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }],
    },
  };
}

describe('Telegram commands through the web app', () => {
  it('links a chat with /start <token>; the token works once', async () => {
    expect(await say(ADA_CHAT, '/status')).toContain('This chat is not linked to a PolyBot account');
    const token = await withUser(stack.db.sql, ada, createTelegramLinkToken);
    expect(await say(ADA_CHAT, `/start ${token}`)).toContain('Linked to your PolyBot account');
    expect(await telegramChannels(ada)).toEqual([{ target: String(ADA_CHAT), verified: true }]);
    // The same link from another chat: used up, and that chat stays unlinked.
    expect(await say(MALLORY_CHAT, `/start ${token}`)).toContain('This link expired or was used');
    expect(await say(MALLORY_CHAT, '/start not-a-token-at-all-but-long-enough')).toContain('expired or was used');
    expect(await telegramChannels(ada)).toEqual([{ target: String(ADA_CHAT), verified: true }]);
  });

  it('/pause from another chat is refused and changes nothing', async () => {
    const before = await config(ada);
    expect(before.bot_enabled).toBe(true);
    expect(await say(MALLORY_CHAT, '/pause')).toContain('This chat is not linked to a PolyBot account');
    expect(await say(MALLORY_CHAT, '/pnl')).toContain('This chat is not linked');
    expect(await config(ada)).toEqual(before);
  });

  it('/pause from the linked chat pauses the bot, and /status shows it as the dashboard does', async () => {
    const before = await config(ada);
    const reply = await say(ADA_CHAT, '/pause');
    expect(reply).toContain(`Pause requested (settings v${before.config_version + 1})`);
    expect(await config(ada)).toEqual({ bot_enabled: false, config_version: before.config_version + 1 });
    // The dashboard's loadStatus: no running bot and bot_enabled off read "Paused" (by the user).
    expect(await say(ADA_CHAT, '/status')).toMatch(/^Your bot: Paused by you\n/);
    // Again: already paused, nothing written (no restart, no toggle counted).
    expect(await say(ADA_CHAT, '/pause')).toContain('already paused');
    expect((await config(ada)).config_version).toBe(before.config_version + 1);
  });

  it('refuses a webhook call without the right secret header before reading it', async () => {
    const before = await config(ada);
    const sentBefore = tg.sent(ADA_CHAT).length;
    const resume = textUpdate(900_001, ADA_CHAT, '/resume');
    for (const secret of [null, '', 'wrong-secret-wrong-secret-wrong-secret', `${tg.webhookSecret}x`]) {
      const res = await postUpdate(resume, secret);
      expect(res.status).toBe(401);
    }
    // Well-signed but not an update / far too large: refused too, nothing done.
    expect((await postUpdate(null, tg.webhookSecret, '{"update_id": "x"}')).status).toBe(400);
    expect((await postUpdate(null, tg.webhookSecret, `{"pad":"${'x'.repeat(70_000)}"}`)).status).toBe(413);
    expect(await config(ada)).toEqual(before);
    expect(tg.sent(ADA_CHAT)).toHaveLength(sentBefore);
    // The same update with the secret is acted on, once: a redelivery of its id is taken and dropped.
    expect((await postUpdate(resume, tg.webhookSecret)).status).toBe(200);
    expect((await postUpdate(resume, tg.webhookSecret)).status).toBe(200);
    expect(await config(ada)).toEqual({ bot_enabled: true, config_version: before.config_version + 1 });
    expect(tg.sent(ADA_CHAT)).toHaveLength(sentBefore + 1);
    expect(tg.sent(ADA_CHAT).at(-1)?.plainText).toContain('Resume requested');
  });

  it('/pnl and /status give the dashboard numbers for a user with trades', async () => {
    const at = new Date();
    const fills: (PnlFill & { title: string })[] = [fill('buy', 10, 0.4, 0.02, at), fill('sell', 4, 0.55, 0.01, at)];
    for (const [i, f] of fills.entries()) await book(ada, f, i);
    await writeMarks(stack.db.sql, [{ platform: 'polymarket', instrumentId: 'TG-PNL-Y', markPrice: 0.47 }]);
    const replay = replayFills(fills, []);
    const open = valueOpenPositions(replay.positions, (p: PnlPosition) =>
      markPrice({ lastMark: p.instrumentId === 'TG-PNL-Y' ? 0.47 : null, avgPrice: p.avgPrice }),
    );
    expect(replay.realizedUsd).not.toBe(0); // the fixture is what it says: a sale that realized something

    const pnl = await say(ADA_CHAT, '/pnl');
    expect(pnl).toContain(`Today: ${money(replay.realizedUsd)}`);
    expect(pnl).toContain(`This month: ${money(replay.realizedUsd)}`);
    expect(pnl).toContain(
      `Open positions: 1, cost ${money(open.costUsd)}, worth ${money(open.markValueUsd)} now: ${money(open.unrealizedUsd)} unrealized`,
    );

    // The runner reserves each trade against the plan's monthly limit (increment_user_trades) before it books it.
    for (let i = 0; i < fills.length; i++) await stack.db.sql`select public.increment_user_trades(${ada})`;
    const [profile] = await stack.db.sql<{ trades_this_month: number; monthly_trade_limit: number }[]>`
      select trades_this_month, monthly_trade_limit from public.polybot_user_profiles where id = ${ada}`;
    expect(profile?.trades_this_month).toBe(fills.length);
    const status = await say(ADA_CHAT, '/status');
    expect(status).toContain(`Trades this month: ${profile?.trades_this_month} of ${profile?.monthly_trade_limit}`);
    expect(status).toContain('Mode: paper trading');
  });

  it('/resume turns the bot back on; /help lists the commands', async () => {
    expect(await say(ADA_CHAT, '/pause')).toContain('Pause requested');
    const before = await config(ada);
    expect(await say(ADA_CHAT, '/resume')).toContain(`Resume requested (settings v${before.config_version + 1})`);
    expect(await config(ada)).toEqual({ bot_enabled: true, config_version: before.config_version + 1 });
    expect(await say(ADA_CHAT, '/help')).toContain('/pause — stop trading until you resume');
  });
});

describe('the stand-in chat page in Chromium (what `npm start` offers a person)', () => {
  it('a deep link opens the chat with /start <token>; Start links the chat and shows the reply, at phone width', async () => {
    const bea = await createAuthUser(stack.db, { email: `tg-bea-${Date.now()}@example.test` });
    const token = await withUser(stack.db.sql, bea, createTelegramLinkToken);
    // The link the web app gives out (TELEGRAM_LINK_BASE is the stand-in's chat page here).
    const link = telegramDeepLink({ linkBase: tg.chatUrl, botUsername: tg.botUsername }, token);
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await page.goto(link);
    const form = page.getByRole('form', { name: 'Message' });
    expect(await form.getByLabel('Message').inputValue()).toBe(`/start ${token}`);
    await form.getByLabel('Chat id').fill('7000003');
    await form.getByLabel('Username').fill('bea');
    await shoot(page, '70-telegram-chat-deep-link');
    await form.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL('**/chat?chat=7000003&username=bea');
    const bot = page.locator('[data-from="bot"]').first();
    await bot.waitFor();
    expect(await bot.textContent()).toContain('Linked to your PolyBot account');
    expect(await telegramChannels(bea)).toEqual([{ target: '7000003', verified: true }]);
    // Typing a command on the page: the bot answers in the conversation.
    await page.getByRole('textbox', { name: 'Message' }).fill('/pause');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-from="bot"]').nth(1).waitFor();
    expect(await page.locator('[data-from="bot"]').nth(1).textContent()).toContain('Pause requested');
    expect((await config(bea)).bot_enabled).toBe(false);
    await shoot(page, '71-telegram-chat-conversation');
  });
});

function fill(side: 'buy' | 'sell', size: number, price: number, fee: number, at: Date): PnlFill & { title: string } {
  return {
    at,
    platform: 'polymarket',
    marketId: 'TG-PNL',
    instrumentId: 'TG-PNL-Y',
    outcome: 'Yes',
    mode: 'paper',
    side,
    size,
    price,
    fee,
    strategy: side === 'buy' ? 'news' : 'unwind',
    legGroupId: side === 'buy' ? 'g-tg' : null,
    title: 'Will the Telegram test pass?',
  };
}

/** Books one fill as the BotManager does (recordTrade, then the position). */
async function book(userId: string, f: PnlFill & { title: string }, i: number): Promise<void> {
  const t: Omit<TradeRecord, 'userId'> = {
    clientOrderId: `tg-e2e-${i}`,
    venueOrderId: null,
    platform: f.platform,
    marketId: f.marketId,
    instrumentId: f.instrumentId,
    outcome: f.outcome,
    side: f.side,
    strategy: f.strategy ?? 'single_platform',
    mode: f.mode,
    orderType: 'FOK',
    status: 'filled',
    limitPrice: f.price,
    price: f.price,
    size: f.size,
    filledSize: f.size,
    fee: f.fee,
    opportunityId: null,
    legGroupId: f.legGroupId,
    rejectReason: null,
    marketTitle: f.title,
  };
  await stack.db.sql.begin(async (tx) => {
    const r = await recordTrade(tx, { userId, ...t });
    if (r.inserted) await applyFillToPosition(tx, userId, { ...t, tradeId: r.id });
  });
}
