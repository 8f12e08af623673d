// /settings/notifications in Chromium: a webhook to a local https receiver (unverified until "Send test" arrives with
// a valid Standard Webhooks signature; the secret shown once, rotated), an email channel confirmed from the mail sink,
// routes / quiet hours / summary hour / time zone saved; bad input (a forged hour and time zone, http://, an address
// outside the exempt range) refused with words and nothing changed; unsubscribing through the email link's page and
// through RFC 8058's one-click POST, signed out. Screenshots at desktop and phone width.
import { messageLinks } from '@polybot/local-stack/mail';
import { signUnsubscribeToken } from '@polybot/notify';
import { NOTIFICATION_SEND_LIMITS } from '@polybot/schemas';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserPage, shoot } from './support/browser.ts';
import { fieldError, hydrated, PASSWORD, submit, submitTampered } from './support/flows.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';
import {
  receiverCertificate,
  startWebhookReceiver,
  type ReceiverCertificate,
  type WebhookReceiver,
} from './support/webhook-receiver.ts';

let stack: Stack;
let browser: Browser;
let page: Page;
let tls: ReceiverCertificate;
let receiver: WebhookReceiver;
/** On 127.0.0.2: loopback too, but outside the exempt range. Must never receive anything. */
let outside: WebhookReceiver;
let userId: string;
const email = `notify-${Date.now()}@example.test`;
const inbox = `alerts-${Date.now()}@example.test`;
const PAGE = '/settings/notifications';
const ADD = 'Add a channel';
const SETTINGS = 'Notification settings';

beforeAll(async () => {
  tls = receiverCertificate(['127.0.0.1', '127.0.0.2']);
  receiver = await startWebhookReceiver('127.0.0.1', tls);
  outside = await startWebhookReceiver('127.0.0.2', tls);
  stack = await startStack({
    webEnv: {
      NOTIFY_WEBHOOK_ALLOW_HTTP: 'false',
      NOTIFY_WEBHOOK_EXEMPT_RANGES: '127.0.0.1/32',
      NODE_EXTRA_CA_CERTS: tls.caFile,
    },
  });
  browser = await launchChromium();
  page = await newUserPage(browser);
  userId = await onboard(stack, page, email, {});
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  await receiver?.close();
  await outside?.close();
  tls?.remove();
});

interface ChannelRow {
  id: string;
  kind: string;
  target: string;
  enabled: boolean;
  verified: boolean;
}
/** The item at `i`, or a failure saying it is missing. */
function at<T>(list: T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`expected at least ${i + 1} items, got ${list.length}`);
  return item;
}

const channels = () =>
  stack.db.sql<ChannelRow[]>`
    select id, kind, target, enabled, verified_at is not null as verified
      from public.polybot_notification_channels where user_id = ${userId} order by created_at`;
const settingsRow = async () =>
  (
    await stack.db.sql`
      select time_zone, summary_hour, quiet_start, quiet_end, routes
        from public.polybot_notification_settings where user_id = ${userId}`
  )[0];
const configToggles = async () =>
  (
    await stack.db.sql`
      select notify_on_trade, notify_on_opportunity, notify_daily_summary
        from public.polybot_user_config where user_id = ${userId}`
  )[0];

async function addChannel(kind: string, target: string, label?: string): Promise<void> {
  const form = page.getByRole('form', { name: ADD });
  await hydrated(page, ADD);
  await form.getByLabel('Kind').selectOption(kind);
  await form.getByLabel('Address or URL').fill(target);
  await form.getByLabel('Label (optional)').fill(label ?? '');
  await submit(page, ADD, 'Add channel');
}

/** The secret the form showed once. */
const revealed = (formName: string) =>
  page.getByRole('form', { name: formName }).getByTestId('revealed').textContent() as Promise<string>;

function verifySignature(secret: string, hook: { headers: Record<string, string>; body: string }): unknown {
  return new Webhook(secret).verify(hook.body, {
    'webhook-id': hook.headers['webhook-id'] ?? '',
    'webhook-timestamp': hook.headers['webhook-timestamp'] ?? '',
    'webhook-signature': hook.headers['webhook-signature'] ?? '',
  });
}

describe('notification settings in Chromium', () => {
  it('is in the menu; a new user has no channels and Telegram says it is not configured', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(`**${PAGE}`);
    await page.getByText('No channels yet.').waitFor();
    await page.getByTestId('telegram').getByText('Telegram is not configured on this platform.').waitFor();
    await shoot(page, 'notifications-01-empty');
  });

  it('a webhook: secret shown once, unverified until a signed test arrives; rotating the secret', async () => {
    await addChannel('webhook', `${receiver.origin}/hooks/polybot`, 'Local receiver');
    await page
      .getByRole('form', { name: ADD })
      .getByRole('status')
      .filter({ hasText: 'Copy its signing secret' })
      .waitFor();
    const secret = await revealed(ADD);
    expect(secret).toMatch(/^whsec_/);
    const [hook] = await channels();
    expect(hook).toMatchObject({ kind: 'webhook', verified: false });
    const row = page.locator('[data-channel-kind="webhook"]');
    expect(await row.getByTestId('verification').textContent()).toContain('Not verified yet');
    expect(receiver.received).toEqual([]);
    await shoot(page, 'notifications-02-webhook-added');

    const test = 'Send a test to Webhook: Local receiver';
    await submit(page, test, 'Send test');
    const result = page.getByRole('form', { name: test }).getByRole('status');
    expect(await result.textContent()).toBe(
      'Delivered: your endpoint accepted the test message. Verified: notifications go to it from now on.',
    );
    expect(receiver.received).toHaveLength(1);
    const first = at(receiver.received, 0);
    expect(first.path).toBe('/hooks/polybot');
    expect(verifySignature(secret, first)).toMatchObject({ type: 'polybot.test' });
    expect((await channels())[0]).toMatchObject({ verified: true });
    await row
      .getByTestId('verification')
      .filter({ hasText: /^Verified / })
      .waitFor();

    const rotate = 'Rotate the secret of Webhook: Local receiver';
    await submit(page, rotate, 'Rotate secret');
    const rotated = await revealed(rotate);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await submit(page, test, 'Send test');
    await page.getByRole('form', { name: test }).getByRole('status').waitFor();
    const second = at(receiver.received, 1);
    expect(verifySignature(rotated, second)).toMatchObject({ type: 'polybot.test' });
    expect(() => verifySignature(secret, second)).toThrow();
  });

  it('one test too many (the database counts them: NOTIFICATION_SEND_LIMITS) is refused in words, nothing sent', async () => {
    // The two tests above counted; the rest of the allowance spent as if sent a minute ago.
    const [{ sent } = { sent: 0 }] = await stack.db.sql<{ sent: number }[]>`
      select count(*)::int as sent from private.notification_sends where user_id = ${userId} and kind = 'test'`;
    expect(sent).toBe(2);
    await stack.db.sql`
      insert into private.notification_sends (user_id, kind, sent_at)
      select ${userId}, 'test', now() - interval '1 minute' from generate_series(1, ${NOTIFICATION_SEND_LIMITS.test.max - sent})`;
    const received = receiver.received.length;
    const test = 'Send a test to Webhook: Local receiver';
    await submit(page, test, 'Send test');
    await page
      .getByRole('form', { name: test })
      .getByRole('alert')
      .filter({
        hasText: `You sent ${NOTIFICATION_SEND_LIMITS.test.max} test messages in the last 10 minutes, the most allowed. Try again in 9 minutes.`,
      })
      .waitFor();
    expect(receiver.received).toHaveLength(received);
    await stack.db.sql`delete from private.notification_sends where user_id = ${userId}`;
  });

  it('refuses http://, an address outside the exempt range and a bad email, changing nothing', async () => {
    const before = await channels();
    await addChannel('webhook', `http://127.0.0.1:9/hook`);
    expect(await fieldError(page, 'target')).toBe('Enter an https:// URL (plain http:// is not accepted).');

    const port = new URL(outside.origin).port;
    await addChannel('webhook', `https://127.0.0.2:${port}/hook`);
    expect(await fieldError(page, 'target')).toMatch(/^Refused: the address is private or reserved \(127\.0\.0\.2/);
    await page.getByRole('form', { name: ADD }).getByRole('alert').filter({ hasText: 'Nothing was added.' }).waitFor();
    await shoot(page, 'notifications-03-refused-address');

    await addChannel('email', 'not-an-address');
    expect(await fieldError(page, 'target')).toBe('Enter an email address, like you@example.com.');
    expect(await channels()).toEqual(before);
    expect(outside.received).toEqual([]);
  });

  it('an email: the confirmation mail’s link verifies it and lands back on the page', async () => {
    await addChannel('email', inbox, 'My inbox');
    await page
      .getByRole('form', { name: ADD })
      .getByRole('status')
      .filter({ hasText: `Confirmation email sent to ${inbox}` })
      .waitFor();
    expect((await channels()).find((c) => c.kind === 'email')).toMatchObject({ target: inbox, verified: false });
    const mail = await stack.mail.waitFor({ to: inbox, subject: 'Confirm your email' });
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const link = messageLinks(mail).find((l) => l.includes('/notifications/confirm?token='));
    expect(link?.startsWith(`${stack.baseUrl}/notifications/confirm?token=`)).toBe(true);
    // Opened where nobody is signed in (another browser, the phone's mail app): sign in first, then back with it.
    const elsewhere = await newUserPage(browser);
    await elsewhere.goto(link ?? '');
    await elsewhere.waitForURL((u) => u.pathname === '/sign-in');
    expect((await channels()).find((c) => c.kind === 'email')).toMatchObject({ verified: false });
    await elsewhere.getByLabel('Email').fill(email);
    await elsewhere.getByLabel('Password').fill(PASSWORD);
    await submit(elsewhere, 'Sign in', 'Sign in');
    // Opening the link changes nothing (mail scanners open links); its button confirms.
    await elsewhere.waitForURL((u) => u.pathname === '/notifications/confirm');
    expect((await channels()).find((c) => c.kind === 'email')).toMatchObject({ verified: false });
    await elsewhere.getByRole('button', { name: 'Confirm this address' }).click();
    await elsewhere.waitForURL((u) => u.pathname === PAGE && u.searchParams.get('notice') === 'email-confirmed');
    await elsewhere.getByRole('status').filter({ hasText: 'Email confirmed' }).waitFor();
    expect((await channels()).find((c) => c.kind === 'email')).toMatchObject({ verified: true });

    // The link was one use.
    await page.goto(link ?? '');
    await page.getByRole('button', { name: 'Confirm this address' }).click();
    await page.getByRole('alert').filter({ hasText: 'That confirmation link did not work' }).waitFor();
  });

  it('an expired link: “Resend confirmation” mails a new one (the old stops working) that confirms', async () => {
    const late = `late-${Date.now()}@example.test`;
    await addChannel('email', late);
    const first = await stack.mail.waitFor({ to: late, subject: 'Confirm your email' });
    const oldLink = messageLinks(first).find((l) => l.includes('/notifications/confirm?token=')) ?? '';
    await stack.db.sql`
      update public.polybot_notification_channels set confirm_expires_at = now() - interval '1 minute'
       where user_id = ${userId} and target = ${late}`;
    await page.goto(`${stack.baseUrl}${PAGE}`);
    const row = page.locator('[data-channel-kind="email"][data-verified="no"]');
    expect(await row.getByTestId('verification').textContent()).toBe(
      'Not confirmed: the link expired. Press “Resend confirmation” for a new one.',
    );
    expect(await row.getByRole('button', { name: 'Send test' }).count()).toBe(0);

    const resend = `Resend the confirmation of Email: ${late}`;
    await submit(page, resend, 'Resend confirmation');
    expect(await page.getByRole('form', { name: resend }).getByRole('status').textContent()).toBe(
      `A new confirmation email is on its way to ${late}: follow its link (the one in any earlier email no longer works).`,
    );
    const second = await stack.mail.waitFor(
      (m) => m.to.includes(late) && m.id !== first.id && m.subject.includes('Confirm'),
    );
    const newLink = messageLinks(second).find((l) => l.includes('/notifications/confirm?token=')) ?? '';
    expect(newLink).not.toBe(oldLink);
    await shoot(page, 'notifications-04b-resend-confirmation');

    await page.goto(oldLink);
    await page.getByRole('button', { name: 'Confirm this address' }).click();
    await page.getByRole('alert').filter({ hasText: 'That confirmation link did not work' }).waitFor();
    await page.goto(newLink);
    await page.getByRole('button', { name: 'Confirm this address' }).click();
    await page.waitForURL((u) => u.pathname === PAGE && u.searchParams.get('notice') === 'email-confirmed');
    expect((await channels()).find((c) => c.target === late)).toMatchObject({ verified: true });
    // The tests below count on the channels added before this one.
    await stack.db.sql`delete from public.polybot_notification_channels where user_id = ${userId} and target = ${late}`;
    await page.goto(`${stack.baseUrl}${PAGE}`);
  });

  it('routes, quiet hours, summary hour, time zone and the toggles are saved', async () => {
    await page.goto(`${stack.baseUrl}${PAGE}`);
    const form = page.getByRole('form', { name: SETTINGS });
    await hydrated(page, SETTINGS);
    const [hook, mail] = [at(await channels(), 0), at(await channels(), 1)];
    // Trades to the webhook only; daily summary on; the alerts row is shown checked, and cannot be changed.
    await form.locator('fieldset[data-event="trade_executed"]').getByLabel('Email: My inbox').uncheck();
    await form.getByLabel('Send me a daily summary (P&L, trades, positions, limits)').check();
    expect(await form.locator('fieldset[data-event="alerts"] input:checked:disabled').count()).toBe(2);
    await form.getByLabel('Time zone').selectOption('America/New_York');
    await form.getByLabel('Daily summary at').selectOption('18');
    await form.getByLabel('Quiet from').selectOption('22');
    await form.getByLabel('Quiet until').selectOption('7');
    await submit(page, SETTINGS, 'Save notification settings');
    await form.getByRole('status').filter({ hasText: 'Notification settings saved.' }).waitFor();
    expect(await settingsRow()).toEqual({
      time_zone: 'America/New_York',
      summary_hour: 18,
      quiet_start: 22,
      quiet_end: 7,
      routes: { trade_executed: [hook.id] },
    });
    expect(await configToggles()).toMatchObject({ notify_daily_summary: true });

    await page.reload();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    expect(await page.getByLabel('Daily summary at').inputValue()).toBe('18');
    expect(await form.locator('fieldset[data-event="trade_executed"]').getByLabel('Email: My inbox').isChecked()).toBe(
      false,
    );
    expect(mail.kind).toBe('email');
    await shoot(page, 'notifications-04-settings-saved');
  });

  it('a forged summary hour, time zone or half of quiet hours is refused with words; nothing changes', async () => {
    const saved = await settingsRow();
    const toggles = await configToggles();
    await submitTampered(page, SETTINGS, 'Save notification settings', { summary_hour: '25' });
    expect(await fieldError(page, 'summary_hour')).toBe('Summary hour must be at most 23');
    await submitTampered(page, SETTINGS, 'Save notification settings', { time_zone: 'Mars/Olympus' });
    expect(await fieldError(page, 'time_zone')).toBe('Choose a time zone from the list.');
    await submitTampered(page, SETTINGS, 'Save notification settings', { quiet_end: '' });
    expect(await fieldError(page, 'quiet_end')).toBe('Choose both a start and an end, or neither.');
    expect(await settingsRow()).toEqual(saved);
    expect(await configToggles()).toEqual(toggles);
    await shoot(page, 'notifications-05-refused-hour');
  });

  it('the history lists each notification with how each delivery went, in words', async () => {
    const reason = 'The runner stopped answering.';
    await stack.db.sql`
      select private.emit_notification(${userId}, 'bot_error', ${stack.db.sql.json({ code: 'runner_error', reason })})`;
    // As the worker would record a webhook that kept failing.
    await stack.db.sql`
      update public.polybot_notification_deliveries
         set status = 'dead', attempts = 10, last_error = 'HTTP 500: down for maintenance'
       where channel_kind = 'webhook'
         and notification_id in (select id from public.polybot_notifications where user_id = ${userId})`;
    await page.goto(`${stack.baseUrl}${PAGE}`);
    const entry = page.getByRole('list', { name: 'Recent notifications' }).locator('li[data-kind="bot_error"]');
    await entry.getByText(reason).waitFor();
    expect(await entry.locator('.deliveries li').allTextContents()).toEqual([
      'Webhook Local receiver: Gave up after 10 attempts: HTTP 500: down for maintenance',
      'Email My inbox: Waiting to be sent',
    ]);
    await shoot(page, 'notifications-06-history');
  });

  it('unsubscribe from an email link: the page (signed out) with its button, and invalid links explained', async () => {
    const mail = at(await channels(), 1);
    const token = signUnsubscribeToken({ userId, channelId: mail.id, kind: 'daily_summary' }, stack.unsubscribeSecret);
    const visitor = await newUserPage(browser);
    await visitor.goto(`${stack.baseUrl}/api/unsubscribe?token=${encodeURIComponent(token)}`);
    await visitor.waitForURL((u) => u.pathname === '/unsubscribe' && u.searchParams.get('token') === token);
    await visitor.getByText('Stop “Daily summary” notifications to this address?').waitFor();
    // Following the link changed nothing yet (mail scanners follow links).
    expect((await settingsRow())?.routes).toEqual({ trade_executed: [at(await channels(), 0).id] });
    await shoot(visitor, 'notifications-07-unsubscribe-page');
    await visitor.getByRole('button', { name: 'Unsubscribe' }).click();
    await visitor
      .getByRole('status')
      .filter({ hasText: 'Unsubscribed: “Daily summary” notifications no longer come to this address.' })
      .waitFor();
    const hook = at(await channels(), 0);
    expect((await settingsRow())?.routes).toEqual({ trade_executed: [hook.id], daily_summary: [hook.id] });
    await shoot(visitor, 'notifications-08-unsubscribed');

    const expired = signUnsubscribeToken({ userId, channelId: mail.id }, stack.unsubscribeSecret, {
      expiresAt: new Date(Date.now() - 60_000),
    });
    const forged = signUnsubscribeToken({ userId, channelId: mail.id }, 'another-secret-that-is-32-characters-long');
    for (const bad of [expired, forged, 'garbage']) {
      await visitor.goto(`${stack.baseUrl}/unsubscribe?token=${encodeURIComponent(bad)}`);
      await visitor
        .getByRole('alert')
        .filter({ hasText: 'This unsubscribe link is not valid or has expired.' })
        .waitFor();
      expect(await visitor.getByRole('button', { name: 'Unsubscribe' }).count()).toBe(0);
    }
    expect((await channels()).every((c) => c.enabled)).toBe(true);
  });

  it('RFC 8058 one-click: a POST to the List-Unsubscribe URL of the mail turns the address off, without signing in', async () => {
    const mail = await stack.mail.waitFor({ to: inbox, subject: 'Confirm your email' });
    // Folded header lines (CRLF + space) are not part of the value.
    const url = /<(https?:[^>]+)>/.exec(mail.headers['list-unsubscribe'] ?? '')?.[1]?.replace(/\s+/g, '') ?? '';
    expect(url.startsWith(`${stack.baseUrl}/api/unsubscribe?token=`)).toBe(true);
    const refused = await fetch(`${stack.baseUrl}/api/unsubscribe?token=forged`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(refused.status).toBe(400);
    expect((await channels()).every((c) => c.enabled)).toBe(true);
    const res = await fetch(url, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Unsubscribed.');
    expect((await channels()).map((c) => [c.kind, c.enabled])).toEqual([
      ['webhook', true],
      ['email', false],
    ]);
    await page.goto(`${stack.baseUrl}${PAGE}`);
    expect(await page.locator('[data-channel-kind="email"]').getByTestId('enabled').textContent()).toBe('Off');
    await shoot(page, 'notifications-09-email-off');
  });
});
