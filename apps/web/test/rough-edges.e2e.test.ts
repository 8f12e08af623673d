// The rough edges a newcomer hit (issue 12, item 9), each as that newcomer meets it in Chromium: the plan's real
// bounds on the config form, a config with nothing to trade refused, a strategy a downgrade left on, a suspended bot,
// the screen right after Checkout, hydration on the dashboard (another timezone, locale and clock), the icon,
// /settings, and where a failed save takes the user. One Free user onboarded through the wizard (support/onboard.ts);
// the platform's writes (suspension, bot status) are played by SQL.
import { NOTHING_ENABLED_ERROR } from '@polybot/schemas';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ARTIFACTS, launchChromium, newUserPage, PHONE, shoot } from './support/browser.ts';
import { fieldError, flows, hydrated, submit } from './support/flows.ts';
import { polymarketKey } from './support/keys.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

const DESKTOP = { width: 1280, height: 900 };
const RISK = 'Risk and strategies';

let stack: Stack;
let browser: Browser;
let a: Page;
let f: ReturnType<typeof flows>;
let userA = '';

beforeAll(async () => {
  stack = await startStack();
  f = flows(stack);
  browser = await launchChromium();
  a = await newUserPage(browser);
  userA = await onboard(stack, a, `rae-${Date.now()}@example.test`, { polymarket: polymarketKey() });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** The element is focused (the page's active element) and inside the viewport. */
async function focusedAndVisible(page: Page, selector: string): Promise<{ focused: boolean; inView: boolean }> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return { focused: false, inView: false };
    const r = el.getBoundingClientRect();
    return { focused: document.activeElement === el, inView: r.top >= 0 && r.bottom <= window.innerHeight };
  }, selector);
}

const toggles = (id: string) =>
  stack.db.sql<{ enable_polymarket: boolean; enable_kalshi: boolean; enable_copy_trading: boolean; v: number }[]>`
    select enable_polymarket, enable_kalshi, enable_copy_trading, config_version::int as v
      from public.polybot_user_config where user_id = ${id}`.then((r) => r[0]);

describe('the rough edges a newcomer hit', () => {
  it("the config form shows the plan's bounds, refuses a value above them naming the plan, and takes the user to the error", async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    const form = a.getByRole('form', { name: RISK });
    // Free: 50 per trade, 100 a day, 5 positions (polybot_plans); minimum profit is not a plan limit
    for (const hint of [
      'Allowed on your Free plan: 1 – 50',
      'Allowed on your Free plan: 1 – 100',
      'Allowed on your Free plan: 1 – 5',
      'Allowed: 0 – 50',
    ])
      expect(await form.getByText(hint, { exact: true }).count()).toBe(1);
    expect(await form.getByText('1 – 100,000').count()).toBe(0);
    await shoot(a, 'r01-config-plan-bounds');
    const before = await f.configRow(userA);
    // on a phone, from the button at the bottom of the form
    await a.setViewportSize(PHONE);
    await hydrated(a, RISK);
    await form.getByLabel('Max trade size (USD)', { exact: true }).fill('51');
    await form.getByLabel('Max open positions', { exact: true }).fill('6');
    await form.getByRole('button', { name: 'Save configuration' }).scrollIntoViewIfNeeded();
    await submit(a, RISK, 'Save configuration');
    expect(await fieldError(a, 'max_trade_size_usd')).toBe(
      'Max trade size (USD) can be at most 50 on your Free plan. Upgrade on the billing page for a higher limit.',
    );
    expect(await fieldError(a, 'max_open_positions')).toBe(
      'Max open positions can be at most 5 on your Free plan. Upgrade on the billing page for a higher limit.',
    );
    expect(await f.configRow(userA)).toEqual(before);
    await a.waitForFunction(() => document.activeElement?.getAttribute('name') === 'max_trade_size_usd');
    expect(await focusedAndVisible(a, 'input[name="max_trade_size_usd"]')).toEqual({ focused: true, inView: true });
    await a.screenshot({ path: path.join(ARTIFACTS, 'r02-config-plan-error-focused-phone.png') });
    await a.setViewportSize(DESKTOP);
    // at the plan's limit: saved
    await a.reload();
    await a.getByLabel('Max trade size (USD)', { exact: true }).fill('50');
    await submit(a, RISK, 'Save configuration');
    await a.getByText(/Configuration version/).waitFor();
    expect(Number((await f.configRow(userA)).max_trade_size_usd)).toBe(50);
  });

  it('refuses a config with no platform, or no strategy, switched on, and says what to turn on', async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    await hydrated(a, RISK);
    const form = a.getByRole('form', { name: RISK });
    const before = await toggles(userA);
    await form.getByLabel('Trade on Polymarket').uncheck();
    await form.getByLabel('Trade on Kalshi').uncheck();
    await submit(a, RISK, 'Save configuration');
    expect(await form.getByRole('alert').textContent()).toContain(NOTHING_ENABLED_ERROR);
    // no field has the error: the form's own message takes the focus
    await a.waitForFunction(() => document.activeElement?.hasAttribute('data-form-error') === true);
    expect(await toggles(userA)).toEqual(before);
    await shoot(a, 'r03-config-nothing-enabled');
    await a.reload();
    await hydrated(a, RISK);
    // Free includes single-platform arbitrage and news signals; the others are locked (disabled)
    await form.getByLabel('Single-platform arbitrage').uncheck();
    await form.getByLabel('News signals').uncheck();
    await submit(a, RISK, 'Save configuration');
    expect(await form.getByRole('alert').textContent()).toContain(NOTHING_ENABLED_ERROR);
    expect(await toggles(userA)).toEqual(before);
  });

  it('a strategy a downgrade left on shows as on but not in the plan, links to billing, and a save keeps it', async () => {
    await stack.db.sql`update public.polybot_user_config set enable_copy_trading = true where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/settings/config`);
    const row = a.getByTestId('strategy-copy_trading');
    expect(await row.getAttribute('data-state')).toBe('locked_on');
    expect(await row.getByRole('checkbox').isChecked()).toBe(true);
    expect(await row.getByRole('checkbox').isDisabled()).toBe(true);
    const note = a.getByTestId('locked-on-copy_trading');
    expect(await note.textContent()).toBe(
      'On, but your Free plan does not include it — upgrade to use it. Your bot does not run it until then.',
    );
    expect(await note.getByRole('link', { name: 'upgrade to use it' }).getAttribute('href')).toBe('/settings/billing');
    // a strategy the plan lacks that is off reads as before
    expect(await a.getByTestId('strategy-overlapping_arb').getAttribute('data-state')).toBe('locked');
    await shoot(a, 'r04-config-locked-on');
    const v = (await toggles(userA))?.v ?? 0;
    // a change elsewhere on the form (a save that changes nothing keeps the version)
    await hydrated(a, RISK);
    await a.getByLabel('Max trade size (USD)', { exact: true }).fill('40');
    await submit(a, RISK, 'Save configuration');
    expect(
      await a.getByRole('form', { name: RISK }).locator('[role="status"], [role="alert"]').first().textContent(),
    ).toContain(`Configuration version ${v + 1}`);
    expect(await toggles(userA)).toMatchObject({ enable_copy_trading: true, v: v + 1 });
  });

  it('a suspended bot says so, with the reason and what to do, and offers no pause or resume', async () => {
    // a dashboard opened before the suspension: its Pause button is refused, nothing changes (the status poll is held
    // off meanwhile: it would re-render the page without the button)
    await a.route('**/api/status', (r) => r.abort());
    await a.goto(`${stack.baseUrl}/dashboard`);
    await hydrated(a, 'Pause bot');
    const cfg = await f.configRow(userA);
    await stack.db
      .sql`update public.polybot_user_profiles set is_suspended = true, suspended_reason = 'payment dispute under review' where id = ${userA}`;
    await submit(a, 'Pause bot', 'Pause bot');
    expect(await a.getByRole('form', { name: 'Pause bot' }).getByRole('alert').textContent()).toContain(
      'Your account is suspended',
    );
    expect(await f.configRow(userA)).toEqual(cfg);
    await a.unroute('**/api/status');
    await stack.db.sql`
      update public.polybot_user_profiles set is_suspended = true, suspended_reason = 'payment dispute under review'
       where id = ${userA}`;
    try {
      await a.goto(`${stack.baseUrl}/dashboard`);
      await a.getByTestId('bot-status').waitFor();
      expect(await a.getByTestId('bot-state').textContent()).toBe('Suspended');
      const problem = (await a.getByTestId('bot-problem').textContent()) ?? '';
      expect(problem).toContain('payment dispute under review');
      expect(problem).toContain('contact PolyBot support');
      expect(await a.getByTestId('bot-status').textContent()).not.toContain('Heartbeat');
      expect(await a.getByRole('button', { name: /Pause bot|Resume bot/ }).count()).toBe(0);
      await shoot(a, 'r05-dashboard-suspended');
    } finally {
      await stack.db
        .sql`update public.polybot_user_profiles set is_suspended = false, suspended_reason = null where id = ${userA}`;
    }
    await a.reload();
    await a.getByRole('button', { name: /Pause bot|Resume bot/ }).waitFor();
  });

  it('right after Checkout the page shows only the confirmation, in billing and in the wizard', async () => {
    await a.goto(`${stack.baseUrl}/settings/billing?checkout=success`);
    await a.getByTestId('checkout-banner').waitFor();
    expect(await a.getByRole('button', { name: /Upgrade to/ }).count()).toBe(0);
    await shoot(a, 'r06-billing-confirming');
    await a.getByRole('link', { name: 'Show the plans again' }).click();
    await a.getByRole('button', { name: 'Upgrade to Basic' }).waitFor();

    // a second newcomer at the wizard's plan step; its risk step shows the plan's bounds too
    const b = await newUserPage(browser);
    await f.signUp(b, `rab-${Date.now()}@example.test`);
    await b.getByLabel(/I have read and accept/).check();
    await submit(b, 'Accept terms', 'Accept and continue');
    await b
      .getByRole('form', { name: 'Polymarket keys' })
      .getByLabel('Polymarket wallet private key')
      .fill(polymarketKey());
    await submit(b, 'Polymarket keys', /Check and save/);
    await b.getByText(/Polymarket paper keys saved/).waitFor();
    await submit(b, 'Continue to risk', 'Continue');
    await b.getByRole('heading', { name: 'Risk limits and strategies' }).waitFor();
    expect(await b.getByText('Allowed on your Free plan: 1 – 50', { exact: true }).count()).toBe(1);
    await submit(b, RISK, 'Save and continue');
    await b.getByRole('heading', { name: 'Choose a plan' }).waitFor();
    await b.goto(`${stack.baseUrl}/onboarding?checkout=success`);
    await b.getByTestId('checkout-status').waitFor();
    expect(await b.getByRole('button', { name: /Choose|Start on Free/ }).count()).toBe(0);
    await shoot(b, 'r07-onboarding-confirming');
    await b.getByRole('link', { name: 'Show the plans again' }).click();
    await b.getByRole('button', { name: 'Start on Free' }).waitFor();
    await b.context().close();
  });

  it('the dashboard hydrates without errors in another timezone and locale, with a clock an hour ahead', async () => {
    await stack.db.sql`
      insert into public.polybot_bot_status (user_id, state, mode, heartbeat_at, started_at, config_version, config_applied_at)
      values (${userA}, 'running', 'paper', now(), now(), 1, now())
      on conflict (user_id) do update set state = 'running', heartbeat_at = now(), started_at = now()`;
    const ctx = await browser.newContext({
      viewport: DESKTOP,
      timezoneId: 'America/Los_Angeles',
      locale: 'de-DE',
      storageState: await a.context().storageState(),
    });
    const p = await ctx.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await p.clock.setFixedTime(Date.now() + 3_600_000);
    const polled = p.waitForResponse((r) => new URL(r.url()).pathname === '/api/status');
    await p.goto(`${stack.baseUrl}/dashboard`);
    await hydrated(p, 'Pause bot');
    // the card's first poll comes after hydration (and any error it reported)
    await polled;
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('every page has an icon, and /settings leads to the config page', async () => {
    const res = await a.goto(`${stack.baseUrl}/settings`);
    expect(res?.status()).toBe(200);
    expect(new URL(a.url()).pathname).toBe('/settings/config');
    const href = await a.locator('link[rel="icon"]').first().getAttribute('href');
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await a.request.get(new URL(href ?? '/', stack.baseUrl).href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
  });
});
