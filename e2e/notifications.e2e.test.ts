// Notifications end to end, as a person meets them: a new user confirms their account from the mail inbox, then on
// /settings/notifications adds their address (its mail's link → Confirm), a webhook (an https receiver on this
// machine, verified by "Send test"; the secret the page shows once) and Telegram (the deep link opens the stand-in's
// chat page, where Start sends /start <token>), and keeps trade notifications on. Their paper bot trades on the
// simulator and the real bot-manager (its own process, its notification worker on) delivers the trade everywhere: the
// email in the sink, the webhook with a valid Standard Webhooks signature, the message in the Telegram chat. Finally
// the email's unsubscribe link (the inbox → the page → the button) stops trade mail to that address while the webhook
// and Telegram keep getting trades. Every message checked here was sent by the manager, never by the test.
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageLinks, type SinkMessage } from '@polybot/local-stack/mail';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import {
  finishOnboarding,
  hydrated,
  launchChromium,
  newUserPage,
  PASSWORD,
  polymarketKey,
  receiverCertificate,
  shoot,
  startStack,
  startWebhookReceiver,
  submit,
  type ReceiverCertificate,
  type Stack,
  type WebhookReceiver,
} from '@polybot/web/testing';
import { startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';

const PAGE = '/settings/notifications';
const ADD = 'Add a channel';
const SETTINGS = 'Notification settings';
const TRADE_SUBJECT = /^Your bot (bought|sold|made) /;

let stack: Stack;
let browser: Browser;
let page: Page;
let tls: ReceiverCertificate;
let receiver: WebhookReceiver;
let manager: ManagerProcess | undefined;
let botSim: VenueSim | undefined;

beforeAll(async () => {
  // The user's webhook endpoint: https (channel URLs must be), with a throwaway certificate both apps trust as they
  // would a real one, on 127.0.0.1 (local mode's exempt range).
  tls = receiverCertificate(['127.0.0.1']);
  receiver = await startWebhookReceiver('127.0.0.1', tls);
  // Sign-ups confirmed by email, as `npm start` and a hosted project do; notifications wired as `npm start` wires them.
  stack = await startStack({ confirmSignups: true, notifications: true, webEnv: { NODE_EXTRA_CA_CERTS: tls.caFile } });
  browser = await launchChromium();
  page = await newUserPage(browser);
});

afterAll(async () => {
  await manager?.stop();
  await botSim?.close();
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  await receiver?.close();
  tls?.remove();
});

/** The newest mail to `to` with a link to `linkPath`, opened in the browser inbox, its link followed. */
async function followMailedLink(to: string, linkPath: string): Promise<SinkMessage> {
  const linkIn = (m: SinkMessage) => messageLinks(m).find((l) => new URL(l).pathname === linkPath);
  const message = await stack.mail.waitFor((m) => m.to.includes(to) && linkIn(m) !== undefined, 30_000);
  await page.goto(`${stack.mail.inboxUrl}/messages/${message.id}`);
  await page
    .getByRole('link', { name: linkIn(message) ?? '' })
    .first()
    .click();
  return message;
}

async function addChannel(kind: string, target: string, label: string): Promise<void> {
  const form = page.getByRole('form', { name: ADD });
  await hydrated(page, ADD);
  await form.getByLabel('Kind').selectOption(kind);
  await form.getByLabel('Address or URL').fill(target);
  await form.getByLabel('Label (optional)').fill(label);
  await submit(page, ADD, 'Add channel');
}

const verifySignature = (secret: string, hook: { headers: Record<string, string>; body: string }) =>
  new Webhook(secret).verify(hook.body, {
    'webhook-id': hook.headers['webhook-id'] ?? '',
    'webhook-timestamp': hook.headers['webhook-timestamp'] ?? '',
    'webhook-signature': hook.headers['webhook-signature'] ?? '',
  }) as { type: string; data: { kind: string; count?: number } };

interface DeliveryRow {
  channel_kind: string;
  status: string;
}
const deliveries = (notificationId: string) =>
  stack.db.sql<DeliveryRow[]>`
    select channel_kind, status from public.polybot_notification_deliveries
     where notification_id = ${notificationId} order by channel_kind`;

describe('notifications for one new user, delivered by the real bot-manager', () => {
  it('email, webhook and Telegram each get the trade; the email unsubscribe link stops trade mail', async () => {
    const email = `notify-${Date.now()}@example.test`;
    const { telegram, notifyEnv } = stack;
    if (!telegram || !notifyEnv) throw new Error('the stack was started without notifications');

    // Sign up → "check your email" → the confirmation link from the inbox → onboarding (a paper Polymarket key).
    await page.goto(`${stack.baseUrl}/sign-up`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').filter({ hasText: 'Check your email to confirm your account' }).waitFor();
    await followMailedLink(email, '/auth/confirm');
    await page.waitForURL('**/onboarding');
    const userId = await finishOnboarding(stack, page, email, { polymarket: polymarketKey(), minProfitPct: '0.1' });

    // Email: the account's address; nothing is sent to it until its confirmation mail's link is followed.
    await page.goto(`${stack.baseUrl}${PAGE}`);
    await addChannel('email', email, 'Me');
    await page
      .getByRole('form', { name: ADD })
      .getByRole('status')
      .filter({ hasText: `Confirmation email sent to ${email}` })
      .waitFor();
    await followMailedLink(email, '/notifications/confirm');
    await page.getByRole('button', { name: 'Confirm this address' }).click();
    await page.waitForURL((u) => u.pathname === PAGE && u.searchParams.get('notice') === 'email-confirmed');

    // Webhook: the signing secret is shown once; "Send test" proves the endpoint receives, which verifies it.
    await addChannel('webhook', `${receiver.origin}/hooks/polybot`, 'My receiver');
    const webhookSecret =
      (await page.getByRole('form', { name: ADD }).getByTestId('revealed').textContent())?.trim() ?? '';
    expect(webhookSecret).toMatch(/^whsec_/);
    const test = 'Send a test to Webhook: My receiver';
    await submit(page, test, 'Send test');
    expect(await page.getByRole('form', { name: test }).getByRole('status').textContent()).toMatch(/^Delivered: /);
    expect(receiver.received.map((r) => verifySignature(webhookSecret, r).type)).toEqual(['polybot.test']);

    // Telegram: the deep link opens the stand-in's chat page; Start sends /start <token> from the chosen chat.
    await submit(page, 'Link Telegram', 'Link Telegram');
    const deepLink =
      (await page.getByRole('form', { name: 'Link Telegram' }).getByTestId('revealed').getAttribute('href')) ?? '';
    expect(deepLink.startsWith(`${telegram.chatUrl}/${telegram.botUsername}?start=`)).toBe(true);
    const chatId = 424242;
    await page.goto(deepLink);
    await page.getByLabel('Chat id').fill(String(chatId));
    await page.getByRole('button', { name: 'Start' }).click();
    await expect
      .poll(() => telegram.sent(chatId).some((m) => m.text.startsWith('Linked to your PolyBot account')), {
        timeout: 30_000,
      })
      .toBe(true);
    await page.goto(`${stack.baseUrl}${PAGE}`);
    await page
      .getByTestId('telegram')
      .getByText(/^Linked: /)
      .waitFor();

    const channels = await stack.db.sql<{ id: string; kind: string; target: string; verified: boolean }[]>`
      select id, kind, target, verified_at is not null as verified
        from public.polybot_notification_channels where user_id = ${userId} order by kind`;
    expect(channels.map(({ kind, target, verified }) => ({ kind, target, verified }))).toEqual([
      { kind: 'email', target: email, verified: true },
      { kind: 'telegram', target: String(chatId), verified: true },
      { kind: 'webhook', target: `${receiver.origin}/hooks/polybot`, verified: true },
    ]);

    // Trade notifications on, to every channel.
    const settings = page.getByRole('form', { name: SETTINGS });
    await hydrated(page, SETTINGS);
    await settings.getByLabel('Tell me when my bot trades (bursts come as one message)').check();
    const tradeRoutes = settings.locator('fieldset[data-event="trade_executed"] input[type="checkbox"]');
    for (const box of await tradeRoutes.all()) await box.check();
    await submit(page, SETTINGS, 'Save notification settings');
    await settings.getByRole('status').filter({ hasText: 'Notification settings saved.' }).waitFor();
    await shoot(page, 'notifications-e2e-01-set-up');

    // The bot starts on a simulator whose opportunities come in its first minutes; the manager's worker delivers.
    botSim = await startVenueSim({ scenario: 'arb-rich', port: 0, host: '127.0.0.1' });
    manager = await startManagerProcess({
      databaseUrl: stack.db.url,
      sim: botSim,
      env: { ...notifyEnv, NODE_EXTRA_CA_CERTS: tls.caFile },
    });

    // The email: both parts, the trade in words, a working unsubscribe link in the body and in List-Unsubscribe.
    const tradeMail = await stack.mail.waitFor((m) => m.to.includes(email) && TRADE_SUBJECT.test(m.subject), 180_000);
    expect(tradeMail.text).toMatch(/paper/i);
    expect(tradeMail.html).toBeTruthy();
    const unsubscribe = messageLinks(tradeMail).find((l) => new URL(l).pathname === '/api/unsubscribe') ?? '';
    expect(unsubscribe.startsWith(`${stack.baseUrl}/api/unsubscribe?token=`)).toBe(true);
    expect(tradeMail.headers['list-unsubscribe']).toContain(`<${unsubscribe}>`);
    expect(tradeMail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    // The webhook, signed with the secret the page showed (the reference implementation verifies it; another fails).
    await expect
      .poll(() => receiver.received.filter((r) => r.body.includes('"polybot.trade_executed"')).length, {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    const hook = receiver.received.find((r) => r.body.includes('"polybot.trade_executed"'));
    if (!hook) throw new Error('no trade webhook');
    const verified = verifySignature(webhookSecret, hook);
    expect(verified).toMatchObject({ type: 'polybot.trade_executed', data: { kind: 'trade_executed' } });
    expect(verified.data.count).toBeGreaterThan(0);
    expect(() => verifySignature(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, hook)).toThrow();
    expect(hook.headers['webhook-id']).toMatch(/^ntf_/);

    // Telegram: the stand-in received the bot's message in the linked chat.
    await expect
      .poll(() => telegram.sent(chatId).filter((m) => /Your bot (bought|sold|made)/.test(m.text)).length, {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);

    // The first trade notification's three deliveries are recorded as sent.
    const [first] = await stack.db.sql<{ id: string; payload: unknown }[]>`
      select id, payload from public.polybot_notifications
       where user_id = ${userId} and kind = 'trade_executed' order by created_at limit 1`;
    if (!first) throw new Error('no trade notification');
    await expect
      .poll(async () => (await deliveries(first.id)).map((d) => `${d.channel_kind}:${d.status}`), { timeout: 60_000 })
      .toEqual(['email:sent', 'telegram:sent', 'webhook:sent']);

    // Unsubscribe as a person does: the link in the email (from the inbox) → the page → its button.
    await page.goto(`${stack.mail.inboxUrl}/messages/${tradeMail.id}`);
    await page.getByRole('link', { name: unsubscribe }).first().click();
    await page.waitForURL((u) => u.pathname === '/unsubscribe');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Unsubscribed: / })
      .waitFor();
    await shoot(page, 'notifications-e2e-02-unsubscribed');
    const unsubscribedAt = new Date();

    // The next trade notification (the same trade told again, through the same path the trigger's flush takes) goes
    // to the webhook and Telegram, and no longer to that address.
    const [again] = await stack.db.sql<{ id: string }[]>`
      select private.emit_notification(${userId}, 'trade_executed', ${stack.db.sql.json(first.payload as never)}) as id`;
    const [row] = await stack.db.sql<{ suppressed: string | null }[]>`
      select suppressed from public.polybot_notifications where id = ${again?.id ?? ''}`;
    expect(row?.suppressed).toBeNull();
    await expect
      .poll(async () => (await deliveries(again?.id ?? '')).map((d) => `${d.channel_kind}:${d.status}`), {
        timeout: 60_000,
      })
      .toEqual(['telegram:sent', 'webhook:sent']);
    expect(
      stack.mail.messages(
        (m) =>
          m.to.includes(email) && TRADE_SUBJECT.test(m.subject) && Date.parse(m.receivedAt) > unsubscribedAt.getTime(),
      ),
    ).toEqual([]);
  }, 600_000);
});
