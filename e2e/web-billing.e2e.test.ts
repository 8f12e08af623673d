// Every billing flow in Chromium against the whole local stack: the built app, the Stripe emulator's hosted pages,
// the stripe-webhook edge function under Deno, Postgres, and (for the upgrade) the real bot-manager process.
// The cases share one stack and one emulator clock, so they run in order: declined card (Dana), upgrade with a
// running bot (Erin), portal cancel → period end (Fay; the same clock jump renews Erin), payment history.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import {
  billingFlows,
  CARDS,
  DAY_MS,
  flows,
  launchChromium,
  longDate,
  shoot,
  startStack,
  submit,
  type Stack,
} from '@polybot/web/testing';
import { startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';

let stack: Stack;
let browser: Browser;
let bf: ReturnType<typeof billingFlows>;
const contexts: BrowserContext[] = [];
let manager: ManagerProcess | undefined;
let botSim: VenueSim | undefined;
const stamp = Date.now();
const users = { dana: '', erin: '', fay: '' };
const pages: Record<keyof typeof users, Page | undefined> = { dana: undefined, erin: undefined, fay: undefined };

async function newPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(ctx);
  return ctx.newPage();
}

function page(name: keyof typeof users): Page {
  const p = pages[name];
  if (!p) throw new Error(`${name} has no page: an earlier case failed`);
  return p;
}

beforeAll(async () => {
  stack = await startStack();
  bf = billingFlows(stack);
  browser = await launchChromium();
});

afterAll(async () => {
  if (process.env.WEB_TEST_SHOW_LOG === '1') console.log(manager?.log());
  await manager?.stop();
  await botSim?.close();
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('billing in Chromium', () => {
  it('a declined card leaves a free user on Free with a clear message, and nothing is created', async () => {
    const d = (pages.dana = await newPage());
    users.dana = await bf.onboardFree(d, `dana-${stamp}@example.test`);
    await d.goto(`${stack.baseUrl}/settings/billing`);
    await d.getByRole('heading', { name: 'Current plan: Free' }).waitFor();
    await d.getByTestId('payments-empty').waitFor();
    await shoot(d, 'billing-01-free');

    await bf.openCheckout(d, 'Basic');
    await d.getByText('PolyBot Basic').waitFor();
    await shoot(d, 'billing-02-stripe-checkout');
    await bf.pay(d, CARDS.declines);
    expect(await d.getByRole('alert').textContent()).toBe('Your card was declined.');
    expect(new URL(d.url()).origin).toBe(bf.emulatorOrigin);
    await shoot(d, 'billing-03-stripe-checkout-declined');

    await d.getByRole('link', { name: 'Cancel and go back' }).click();
    await d.waitForURL('**/settings/billing?checkout=cancelled');
    expect(await d.getByTestId('checkout-banner').textContent()).toBe(
      'Checkout was cancelled and nothing was charged. You are still on the Free plan; upgrade below whenever you like.',
    );
    await d.getByRole('heading', { name: 'Current plan: Free' }).waitFor();
    expect(await d.getByTestId('plan-limits').textContent()).toContain('100 trades / month');
    await shoot(d, 'billing-04-checkout-cancelled');

    const row = await bf.billingRow(users.dana);
    expect(row).toMatchObject({
      subscription_tier: 'free',
      stripe_subscription_id: null,
      subscription_cancel_at_period_end: false,
    });
    // The customer exists (made before Checkout) but Stripe holds no subscription for it and sent us nothing.
    expect(row.stripe_customer_id).toMatch(/^cus_/);
    expect(await bf.stripeSubscriptionCount(row.stripe_customer_id ?? '')).toBe(0);
    expect(await bf.eventCount(users.dana)).toBe(0);
  });

  it('upgrade with the bot-manager running: Checkout → Pro, raised limits on the page, and the bot restarts with them', async () => {
    const e = (pages.erin = await newPage());
    users.erin = await bf.onboardFree(e, `erin-${stamp}@example.test`);
    botSim = await startVenueSim({ scenario: 'arb-rich', port: 0, host: '127.0.0.1' });
    manager = await startManagerProcess({ databaseUrl: stack.db.url, sim: botSim });
    await e.getByTestId('bot-state').filter({ hasText: 'Running' }).waitFor({ timeout: 90_000 });
    // the plan line names the plan the running bot reports in its heartbeat
    expect(await e.getByTestId('bot-plan').textContent()).toBe('Free plan · 100 trades/month · your bot runs on it');
    await expect.poll(async () => (await bf.botRow(users.dana))?.state, { timeout: 90_000 }).toBe('running');
    // On Free, the Pro-only strategy cannot be switched on.
    await e.goto(`${stack.baseUrl}/settings/config`);
    expect(await e.getByLabel('Overlapping-market arbitrage').isDisabled()).toBe(true);
    const erinBefore = await bf.botRow(users.erin);
    const danaBefore = await bf.botRow(users.dana);
    expect(erinBefore?.pid).toBeGreaterThan(0);

    await bf.openCheckout(e, 'Pro');
    await bf.pay(e, CARDS.pays);
    await e.waitForURL('**/settings/billing?checkout=success');
    // The page refreshes itself until the webhook has landed.
    await e.getByRole('heading', { name: 'Current plan: Pro' }).waitFor({ timeout: 60_000 });
    expect(await e.getByTestId('checkout-banner').textContent()).toContain('You are on Pro now');
    const limits = await e.getByTestId('plan-limits').textContent();
    for (const text of [
      '10,000 trades / month',
      'Up to $1,000 per trade',
      'Live and paper trading',
      'Copy trading',
      'Overlapping-market arbitrage',
    ]) {
      expect(limits).toContain(text);
    }
    const erin = await bf.billingRow(users.erin);
    expect(erin).toMatchObject({
      subscription_tier: 'pro',
      subscription_status: 'active',
      monthly_trade_limit: 10_000,
      max_trade_size_usd: '1000.00',
    });
    expect(erin.stripe_subscription_id).toMatch(/^sub_/);
    expect(await e.getByTestId('billing-period').textContent()).toBe(
      `Renews on ${longDate(erin.subscription_expires_at ?? new Date(0))}.`,
    );
    await shoot(e, 'billing-05-pro-after-checkout');

    // The manager restarts a runner only when its keys or plan change; the keys did not: a new process means the plan.
    await expect
      .poll(
        async () => {
          const now = await bf.botRow(users.erin);
          return (
            now?.state === 'running' &&
            now.pid !== erinBefore?.pid &&
            (now.started_at?.getTime() ?? 0) > (erinBefore?.started_at?.getTime() ?? 0)
          );
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    await e.goto(`${stack.baseUrl}/dashboard`);
    await e.getByTestId('bot-state').filter({ hasText: 'Running' }).waitFor({ timeout: 30_000 });
    // The restarted bot's own heartbeat names Pro, and the plan line says it runs on it (no "still runs on Free").
    const heartbeat = await stack.db.sql<{ tier: string; limit: number }[]>`
      select stats ->> 'plan_tier' as tier, (stats ->> 'plan_monthly_trade_limit')::int as limit from public.polybot_bot_status where user_id = ${users.erin}`;
    expect(heartbeat[0]).toEqual({ tier: 'pro', limit: 10_000 });
    await e
      .getByTestId('bot-plan')
      .filter({ hasText: /^Pro plan · 10,000 trades\/month · your bot runs on it$/ })
      .waitFor({ timeout: 30_000 });
    expect(await e.getByTestId('bot-plan').textContent()).not.toContain('still runs on');
    expect(await e.getByTestId('usage').textContent()).toMatch(/^\d+ \/ 10,000$/);
    expect(await e.getByRole('link', { name: 'Pro plan · 10,000 trades/month' }).getAttribute('href')).toBe(
      '/settings/billing',
    );
    await shoot(e, 'billing-06-dashboard-after-upgrade');

    // The raised plan in effect: the Pro-only strategy can be switched on now, and the restarted bot applies it.
    await e.goto(`${stack.baseUrl}/settings/config`);
    await e.getByLabel('Overlapping-market arbitrage').check();
    await submit(e, 'Risk and strategies', 'Save configuration');
    const v = (await flows(stack).configRow(users.erin)).config_version;
    expect(
      (
        await stack.db.sql<
          { on: boolean }[]
        >`select enable_overlapping_arb as on from public.polybot_user_config where user_id = ${users.erin}`
      )[0]?.on,
    ).toBe(true);
    await expect.poll(async () => (await bf.botRow(users.erin))?.config_version, { timeout: 60_000 }).toBe(v);
    await e.goto(`${stack.baseUrl}/dashboard`);
    await e.getByText(`settings v${v}, applied`).waitFor({ timeout: 30_000 });
    await shoot(e, 'billing-06b-dashboard-pro-strategy-applied');

    // Only Erin changed: Dana is still free and her runner was never restarted.
    expect(await bf.billingRow(users.dana)).toMatchObject({
      subscription_tier: 'free',
      stripe_subscription_id: null,
      monthly_trade_limit: 100,
    });
    expect((await bf.botRow(users.dana))?.pid).toBe(danaBefore?.pid);
    await manager.stop();
    manager = undefined;
  });

  it('cancel in the portal: still paid until the period end, free once the test clock passes it', async () => {
    const f = (pages.fay = await newPage());
    users.fay = await bf.onboardFree(f, `fay-${stamp}@example.test`);
    await bf.openCheckout(f, 'Basic');
    await bf.pay(f, CARDS.pays);
    await f.waitForURL('**/settings/billing?checkout=success');
    await f.getByRole('heading', { name: 'Current plan: Basic' }).waitFor({ timeout: 60_000 });

    await f.getByRole('button', { name: /Manage subscription/ }).click();
    await f.waitForURL((u) => u.origin === bf.emulatorOrigin && u.pathname.startsWith('/p/session/'));
    await shoot(f, 'billing-07-stripe-portal');
    await f.getByRole('button', { name: 'Cancel plan' }).click();
    await f.getByRole('status').filter({ hasText: 'Your plan will be canceled at the end of the period.' }).waitFor();
    await shoot(f, 'billing-08-stripe-portal-cancelled');
    await f.getByRole('link', { name: 'Return to the app' }).click();
    await f.waitForURL('**/settings/billing');

    await expect
      .poll(async () => (await bf.billingRow(users.fay)).subscription_cancel_at_period_end, { timeout: 30_000 })
      .toBe(true);
    const cancelling = await bf.billingRow(users.fay);
    expect(cancelling).toMatchObject({
      subscription_tier: 'basic',
      subscription_status: 'active',
      monthly_trade_limit: 1000,
    });
    const end = cancelling.subscription_expires_at ?? new Date(0);
    expect(end.getTime()).toBeGreaterThan(Date.now() + 27 * DAY_MS);
    await f.reload();
    await f.getByRole('heading', { name: 'Current plan: Basic' }).waitFor();
    expect(await f.getByTestId('billing-period').textContent()).toContain(
      `Cancelled: you keep Basic until ${longDate(end)}, then your bot moves to the Free plan.`,
    );
    expect(await f.getByTestId('plan-limits').textContent()).toContain('1,000 trades / month');
    await shoot(f, 'billing-09-cancelling');

    // Past Fay's period end (and Erin's: her subscription renews in the same jump).
    await bf.advanceClock(end.getTime() - Date.now() + 2 * DAY_MS);
    await expect.poll(async () => (await bf.billingRow(users.fay)).subscription_tier, { timeout: 30_000 }).toBe('free');
    expect(await bf.billingRow(users.fay)).toMatchObject({
      subscription_status: 'canceled',
      monthly_trade_limit: 100,
      max_trade_size_usd: '50.00',
    });
    await f.reload();
    await f.getByRole('heading', { name: 'Current plan: Free' }).waitFor();
    expect(await f.getByTestId('plan-limits').textContent()).toContain('100 trades / month');
    expect(await f.getByTestId('billing-period').count()).toBe(0);
    await f.getByRole('button', { name: 'Upgrade to Basic' }).waitFor();
    await shoot(f, 'billing-10-free-after-period-end');
  });

  it('payment history lists the invoices (checkout and renewal) with date, amount, status and a link; a free user sees none', async () => {
    const e = page('erin');
    // The renewal from the clock jump above: a second paid invoice and a period end one month later.
    await expect
      .poll(async () => (await bf.billingRow(users.erin)).subscription_expires_at?.getTime() ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(Date.now() + 45 * DAY_MS);
    expect(await bf.billingRow(users.erin)).toMatchObject({ subscription_tier: 'pro', subscription_status: 'active' });
    await e.goto(`${stack.baseUrl}/settings/billing`);
    const rows = e.locator('tr[data-invoice]');
    expect(await rows.count()).toBe(2);
    const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    const [renewal, first] = [await cells(0), await cells(1)];
    for (const r of [renewal, first]) {
      expect(r[0]).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
      expect(r[1]).toBe('$99.00');
      expect(r[2]).toBe('Paid');
      expect(r[3]).toMatch(/^EMU-\d{4}$/);
    }
    // Newest first: the renewal is dated at the (advanced) clock, a month after the first payment.
    expect(Date.parse(renewal[0] ?? '')).toBeGreaterThan(Date.parse(first[0] ?? '') + 27 * DAY_MS);
    await shoot(e, 'billing-11-payment-history');
    await rows.nth(0).getByRole('link').click();
    await e.waitForURL((u) => u.origin === bf.emulatorOrigin && u.pathname.startsWith('/i/in_'));
    expect(await e.locator('#invoice-status').textContent()).toBe('paid');
    await shoot(e, 'billing-12-stripe-invoice');

    // Fay's one invoice stays in her history after she went back to Free; Dana never paid.
    await page('fay').goto(`${stack.baseUrl}/settings/billing`);
    expect(await page('fay').locator('tr[data-invoice]').count()).toBe(1);
    const d = page('dana');
    await d.goto(`${stack.baseUrl}/settings/billing`);
    await d.getByTestId('payments-empty').waitFor();
    expect(await d.locator('tr[data-invoice]').count()).toBe(0);
    await shoot(d, 'billing-13-history-empty');
  });
});
