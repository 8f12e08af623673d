// The web app in a real browser against a real local stack: sign-up, the whole wizard, dashboard, settings,
// sign-out/in, bad input on every form, and isolation between two users (checked in the database).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';
import { launchChromium, shoot } from './support/browser.ts';
import { polymarketKey, registerKalshiKey, type KalshiKey } from './support/keys.ts';
import { fieldError, flows, forceFill, submit } from './support/flows.ts';
import { startStack, type Stack } from './support/stack.ts';

type F = ReturnType<typeof flows>;
let stack: Stack;
let browser: Browser;
let ctxA: BrowserContext;
let ctxB: BrowserContext;
let a: Page;
let b: Page;
let kalshiA: KalshiKey;
let manager: ManagerProcess | undefined;
let botSim: VenueSim | undefined;
let userA = '';
let userId: F['userId'], secretCount: F['secretCount'], configRow: F['configRow'], step: F['step'];
let signUp: F['signUp'], signIn: F['signIn'], signOut: F['signOut'];
let userB = '';
const emailA = `alice-${Date.now()}@example.test`;
const emailB = `bob-${Date.now()}@example.test`;

beforeAll(async () => {
  stack = await startStack();
  ({ userId, secretCount, configRow, step, signUp, signIn, signOut } = flows(stack));
  browser = await launchChromium();
  ctxA = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ctxB = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  a = await ctxA.newPage();
  b = await ctxB.newPage();
  kalshiA = await registerKalshiKey(stack.sim.origin);
});

afterAll(async () => {
  await manager?.stop();
  await botSim?.close();
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('web app in Chromium', () => {
  it('redirects a signed-out visitor to sign-in and rejects bad sign-up input', async () => {
    const res = await fetch(`${stack.baseUrl}/api/status`);
    expect(res.status).toBe(401);
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(new URL(a.url()).pathname).toBe('/sign-in');
    await shoot(a, '01-sign-in');
    await a.goto(`${stack.baseUrl}/sign-up`);
    await a.getByLabel('Email').fill('not-an-email');
    await a.getByLabel('Password').fill('short');
    await a.getByRole('button', { name: 'Create account' }).click();
    expect(await fieldError(a, 'email')).toContain('valid email');
    expect(await fieldError(a, 'password')).toContain('at least 8');
    await shoot(a, '02-sign-up-errors');
    const n = await stack.db.sql`select 1 from auth.users`;
    expect(n.length).toBe(0);
  });

  it('a new user signs up and walks the wizard (with bad input at every step)', async () => {
    await signUp(a, emailA);
    userA = await userId(emailA);
    await expect.poll(() => step(userA)).toBe('terms');
    await shoot(a, '03-onboarding-terms');

    // (1) terms: not ticked → error, nothing recorded
    await submit(a, 'Accept terms', 'Accept and continue');
    expect(await fieldError(a, 'accept')).toContain('accept the terms');
    const t0 = await stack.db.sql`select accepted_terms_at from public.polybot_user_profiles where id = ${userA}`;
    expect(t0[0]?.accepted_terms_at).toBeNull();
    await a.getByLabel(/I have read and accept/).check();
    await submit(a, 'Accept terms', 'Accept and continue');
    await a.getByRole('heading', { name: 'Polymarket' }).waitFor();
    const t1 = await stack.db.sql`select accepted_terms_at, accepted_terms_version from public.polybot_user_profiles where id = ${userA}`;
    expect(t1[0]?.accepted_terms_at).toBeInstanceOf(Date);
    expect(t1[0]?.accepted_terms_version).toBe('2026-11-01');
    await shoot(a, '04-onboarding-platforms');

    // (2) platforms: continue with no keys, empty, malformed and unknown keys → errors, nothing saved
    await submit(a, 'Continue to risk', 'Continue');
    await a.getByText('Connect at least one platform').waitFor();
    const kalshi = a.getByRole('form', { name: 'Kalshi keys' });
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'keyId')).toContain('UUID');
    expect(await fieldError(a, 'privateKeyPem')).toContain('PEM');
    await kalshi.getByLabel('Kalshi API key id').fill('12345');
    await kalshi.getByLabel('Kalshi private key (PEM)').fill('not a key');
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'keyId')).toContain('UUID');
    const other = await registerKalshiKey(stack.sim.origin);
    await kalshi.getByLabel('Kalshi API key id').fill('0b6a1c2e-8a5f-4c1e-9a49-0d1e2f3a4b5c');
    await kalshi.getByLabel('Kalshi private key (PEM)').fill(other.privatePem);
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'keyId')).toContain('does not know this API key id');
    await kalshi.getByLabel('Kalshi API key id').fill(kalshiA.keyId);
    await kalshi.getByLabel('Kalshi private key (PEM)').fill(other.privatePem);
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'privateKeyPem')).toContain('does not belong');
    const pm = a.getByRole('form', { name: 'Polymarket keys' });
    await pm.getByLabel('Polymarket wallet private key').fill('0x1234');
    await submit(a, 'Polymarket keys', /Check and save/);
    expect(await fieldError(a, 'privateKey')).toContain('64 hex digits');
    expect(await secretCount(userA)).toBe(0);
    await shoot(a, '05-onboarding-platforms-errors');

    // valid keys: saved, only the hint comes back
    await a.reload();
    await a.getByRole('form', { name: 'Kalshi keys' }).getByLabel('Kalshi API key id').fill(kalshiA.keyId);
    await a.getByRole('form', { name: 'Kalshi keys' }).getByLabel('Kalshi private key (PEM)').fill(kalshiA.privatePem);
    await submit(a, 'Kalshi keys', /Check and save/);
    await a.getByText(/Kalshi paper keys saved/).waitFor();
    const pmKey = polymarketKey();
    await a.getByRole('form', { name: 'Polymarket keys' }).getByLabel('Polymarket wallet private key').fill(pmKey);
    await submit(a, 'Polymarket keys', /Check and save/);
    await a.getByText(/Polymarket paper keys saved/).waitFor();
    expect(await secretCount(userA)).toBe(2);
    const html = await a.content();
    expect(html).not.toContain(pmKey.slice(2, 30));
    expect(html).not.toContain(kalshiA.privatePem.slice(40, 80));
    expect(html).toContain(`…${kalshiA.keyId.slice(-4)}`);
    await submit(a, 'Continue to risk', 'Continue');
    await a.getByRole('heading', { name: 'Risk limits and strategies' }).waitFor();
    expect(await step(userA)).toBe('risk');
    await shoot(a, '06-onboarding-risk');

    // (3) risk: out of range, empty, malformed → field errors, config untouched
    const before = await configRow(userA);
    await forceFill(a, 'Risk and strategies', 'Max trade size (USD)', '0');
    await forceFill(a, 'Risk and strategies', 'Minimum profit (%)', '');
    await forceFill(a, 'Risk and strategies', 'Max open positions', 'lots');
    await forceFill(a, 'Risk and strategies', 'Max daily loss (USD)', '99999999');
    await submit(a, 'Risk and strategies', 'Save and continue');
    expect(await fieldError(a, 'max_trade_size_usd')).toContain('at least 1');
    expect(await fieldError(a, 'min_profit_pct')).toContain('must be a number');
    expect(await fieldError(a, 'max_open_positions')).toContain('must be a number');
    expect(await fieldError(a, 'max_daily_loss_usd')).toContain('at most 1000000');
    expect(await configRow(userA)).toEqual(before);
    expect(await step(userA)).toBe('risk');
    // the form keeps what the user typed instead of snapping back to the saved values
    expect(await a.getByLabel('Max trade size (USD)').inputValue()).toBe('0');
    expect(await a.getByLabel('Max daily loss (USD)').inputValue()).toBe('99999999');
    await shoot(a, '07-onboarding-risk-errors');
    // strategies outside the plan are disabled and say what unlocks them
    const copy = a.getByLabel('Copy trading');
    expect(await copy.isDisabled()).toBe(true);
    await a.getByText(/Included in Pro/).first().waitFor();
    await a.reload();
    await a.getByLabel('Max trade size (USD)').fill('25');
    await submit(a, 'Risk and strategies', 'Save and continue');
    await a.getByRole('heading', { name: 'Choose a plan' }).waitFor();
    expect(Number((await configRow(userA)).max_trade_size_usd)).toBe(25);
    await shoot(a, '08-onboarding-plan');

    // (4) plan: paid plans go to Stripe Checkout; free completes onboarding at once
    await a.getByRole('button', { name: 'Choose Basic' }).waitFor();
    await a.getByRole('button', { name: 'Start on Free' }).click();
    await a.waitForURL('**/dashboard');
    expect(await step(userA)).toBe('done');
  });

  it('dashboard shows the bot status live, P&L, usage and trades', async () => {
    await a.getByTestId('bot-status').waitFor();
    expect(await a.getByTestId('mode-badge').textContent()).toContain('PAPER');
    expect(await a.getByTestId('bot-state').textContent()).toBe('Stopped');
    await a.getByTestId('trades-empty').waitFor();
    await shoot(a, '09-dashboard-empty');
    // The platform (bot-manager) writes status and trades as the service; here the test plays that part.
    await stack.db.sql`
      insert into public.polybot_bot_status (user_id, state, mode, heartbeat_at, config_version, config_applied_at)
      values (${userA}, 'running', 'paper', now(), 1, now())
      on conflict (user_id) do update set state = 'running', heartbeat_at = now()`;
    await a.getByTestId('bot-state').filter({ hasText: 'Running' }).waitFor({ timeout: 15_000 });
    await stack.db.sql`
      insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, outcome, side, strategy, mode,
                                         order_type, status, limit_price, price, size, filled_size, fee, notional_usd, realized_pnl_usd, executed_at)
      select ${userA}, 'coid-a-' || g, case when g % 2 = 0 then 'kalshi' else 'polymarket' end, 'MKT-' || g, 'INS-' || g, 'yes', 'buy',
             'single_platform', 'paper', 'FOK', 'filled', 0.45, 0.44, 10, 10, 0.02, 4.4, 0.5, now()
        from generate_series(1, 30) g`;
    await a.reload();
    await a.locator('[data-trade-id]').first().waitFor();
    expect(await a.locator('[data-trade-id]').count()).toBe(25);
    expect(await a.getByTestId('pnl-month').textContent()).toBe('$15.00');
    await shoot(a, '10-dashboard-trades');
    await a.getByRole('link', { name: /Older trades/ }).click();
    await a.waitForURL(/before=/);
    expect(await a.locator('[data-trade-id]').count()).toBe(5);
    await a.goto(`${stack.baseUrl}/dashboard?platform=kalshi`);
    expect(await a.locator('[data-trade-id]').count()).toBe(15);
    await a.goto(`${stack.baseUrl}/dashboard?mode=live`);
    await a.getByTestId('trades-empty').waitFor();
    await stack.db.sql`update public.polybot_bot_status set state = 'error', last_error = 'kalshi: 401 authentication_error invalid signature' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.getByText('A venue rejected your keys').waitFor();
    await shoot(a, '11-dashboard-error');
    await stack.db.sql`update public.polybot_bot_status set state = 'running', last_error = null where user_id = ${userA}`;
  });

  it('changes a limit (version bumps), with bad input refused', async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    const v0 = (await configRow(userA)).config_version;
    expect(Number(await a.getByTestId('saved-version').textContent())).toBe(v0);
    await forceFill(a, 'Risk and strategies', 'Max trade size (USD)', '100001');
    await forceFill(a, 'Risk and strategies', 'Minimum profit (%)', '-1');
    await submit(a, 'Risk and strategies', 'Save configuration');
    expect(await fieldError(a, 'max_trade_size_usd')).toContain('at most 100000');
    expect(await fieldError(a, 'min_profit_pct')).toContain('at least 0');
    expect((await configRow(userA)).config_version).toBe(v0);
    await shoot(a, '12-config-errors');
    await a.reload();
    await a.getByLabel('Max trade size (USD)').fill('42');
    await submit(a, 'Risk and strategies', 'Save configuration');
    await a.getByText(`Configuration version ${v0 + 1}`).waitFor();
    const after = await configRow(userA);
    expect(after.config_version).toBe(v0 + 1);
    expect(Number(after.max_trade_size_usd)).toBe(42);
    await a.reload();
    expect(Number(await a.getByTestId('saved-version').textContent())).toBe(v0 + 1);
    await shoot(a, '13-config');
  });

  it('pauses and resumes the bot', async () => {
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.getByRole('button', { name: 'Pause bot' }).click();
    await a.getByRole('button', { name: 'Resume bot' }).waitFor();
    expect((await configRow(userA)).bot_enabled).toBe(false);
    await a.getByRole('button', { name: 'Resume bot' }).click();
    await a.getByRole('button', { name: 'Pause bot' }).waitFor();
    expect((await configRow(userA)).bot_enabled).toBe(true);
  });

  it('rotates a key and deletes one with confirmation', async () => {
    await a.goto(`${stack.baseUrl}/settings/keys`);
    await shoot(a, '14-keys');
    const kalshi = a.getByRole('form', { name: 'Kalshi keys' });
    await kalshi.getByLabel('Kalshi API key id').fill(kalshiA.keyId);
    await kalshi.getByLabel('Kalshi private key (PEM)').fill(kalshiA.privatePem);
    await submit(a, 'Kalshi keys', 'Check and save');
    await a.getByText(/Kalshi paper keys rotated/).waitFor();
    const rotated = await stack.db.sql`select rotated_at from public.polybot_user_secrets where user_id = ${userA} and platform = 'kalshi'`;
    expect(rotated[0]?.rotated_at).toBeInstanceOf(Date);
    await a.reload();
    await a.getByText('Delete Polymarket paper keys').click();
    const del = a.getByRole('form', { name: 'Delete Polymarket paper keys' });
    await del.getByLabel('Type "delete" to confirm').fill('nope');
    await submit(a, 'Delete Polymarket paper keys', 'Delete keys');
    expect(await fieldError(a, 'confirm')).toContain('Type delete');
    expect(await secretCount(userA)).toBe(2);
    await del.getByLabel('Type "delete" to confirm').fill('delete');
    await del.getByRole('button', { name: 'Delete keys' }).click();
    await a.getByText('Keys deleted: polymarket paper.').waitFor();
    expect(await secretCount(userA)).toBe(1);
  });

  it('signs out and back in, and a half-onboarded user resumes their step', async () => {
    await signOut(a);
    await signIn(a, emailA);
    expect(new URL(a.url()).pathname).toBe('/dashboard');

    await signUp(b, emailB);
    userB = await userId(emailB);
    await b.getByLabel(/I have read and accept/).check();
    await submit(b, 'Accept terms', 'Accept and continue');
    await b.getByRole('heading', { name: 'Polymarket' }).waitFor();
    await signOut(b);
    await signIn(b, emailB);
    await b.goto(`${stack.baseUrl}/dashboard`);
    await b.waitForURL('**/onboarding');
    expect(await b.locator('[aria-current="step"]').textContent()).toContain('Platforms');
  });

  it('isolation: the second user sees none of the first user’s data, and ids of theirs are not found', async () => {
    // finish B's onboarding quickly through the UI
    const kb = await registerKalshiKey(stack.sim.origin);
    const kf = b.getByRole('form', { name: 'Kalshi keys' });
    await kf.getByLabel('Kalshi API key id').fill(kb.keyId);
    await kf.getByLabel('Kalshi private key (PEM)').fill(kb.privatePem);
    await submit(b, 'Kalshi keys', /Check and save/);
    await b.getByText(/Kalshi paper keys saved/).waitFor();
    await submit(b, 'Continue to risk', 'Continue');
    await submit(b, 'Risk and strategies', 'Save and continue');
    await b.getByRole('button', { name: 'Start on Free' }).click();
    await b.waitForURL('**/dashboard');
    await b.getByTestId('trades-empty').waitFor();
    expect(await b.locator('[data-trade-id]').count()).toBe(0);
    expect(await b.getByTestId('pnl-month').textContent()).toBe('$0.00');
    expect(await b.getByTestId('bot-state').textContent()).toBe('Stopped');
    const body = await b.content();
    expect(body).not.toContain(emailA);

    // A's trade ids → not found for B
    const tradeIds = await stack.db.sql<{ id: number }[]>`select id from public.polybot_trades where user_id = ${userA} order by id limit 3`;
    for (const { id } of tradeIds) {
      const res = await b.goto(`${stack.baseUrl}/trades/${id}`);
      expect(res?.status()).toBe(404);
      await b.getByRole('heading', { name: 'Not found' }).waitFor();
    }
    await shoot(b, '15-not-found');
    const own = await a.goto(`${stack.baseUrl}/trades/${tradeIds[0]?.id ?? 0}`);
    expect(own?.status()).toBe(200);
    await shoot(a, '16-trade');

    // B's status route returns B's status only
    const st = await b.request.get(`${stack.baseUrl}/api/status`);
    expect((await st.json()) as { state: string }).toMatchObject({ state: 'stopped' });

    // B deletes "kalshi paper" and "polymarket paper": only B's own rows can be touched; A's stay
    const aBefore = await stack.db.sql`select platform, is_paper, key_hint, rotated_at from public.polybot_user_secrets where user_id = ${userA} order by platform`;
    await b.goto(`${stack.baseUrl}/settings/keys`);
    await b.getByText('Delete Kalshi paper keys').click();
    const del = b.getByRole('form', { name: 'Delete Kalshi paper keys' });
    await del.getByLabel('Type "delete" to confirm').fill('delete');
    await del.getByRole('button', { name: 'Delete keys' }).click();
    await b.getByText('Keys deleted: kalshi paper.').waitFor();
    expect(await secretCount(userB)).toBe(0);
    expect(await stack.db.sql`select platform, is_paper, key_hint, rotated_at from public.polybot_user_secrets where user_id = ${userA} order by platform`).toEqual(aBefore);
    // B's config change does not touch A's config
    const aCfg = await configRow(userA);
    await b.goto(`${stack.baseUrl}/settings/config`);
    await b.getByLabel('Max trade size (USD)').fill('7');
    await submit(b, 'Risk and strategies', 'Save configuration');
    await b.getByText(/Configuration version/).waitFor();
    expect(await configRow(userA)).toEqual(aCfg);
    await shoot(b, '17-config-second-user');
    await b.goto(`${stack.baseUrl}/settings/billing`);
    await shoot(b, '18-billing');
    // upgrade: Stripe Checkout (the emulator) with a customer recorded for A only
    await a.goto(`${stack.baseUrl}/settings/billing`);
    await shoot(a, '21-billing-free');
    await a.getByRole('button', { name: 'Upgrade to Basic' }).click();
    await a.waitForURL((u) => u.origin === new URL(stack.billing.env.STRIPE_API_BASE ?? 'http://none').origin);
    await shoot(a, '22-stripe-checkout');
    const cust = await stack.db.sql<{ id: string; stripe_customer_id: string | null }[]>`
      select id, stripe_customer_id from public.polybot_user_profiles where id in (${userA}, ${userB})`;
    expect(cust.find((r) => r.id === userA)?.stripe_customer_id).toMatch(/^cus_/);
    expect(cust.find((r) => r.id === userB)?.stripe_customer_id).toBeNull();
    // pay with the emulator's test card → back on the billing page; the webhook moves A (only A) to Basic
    await a.getByRole('button', { name: 'Subscribe' }).click();
    await a.waitForURL('**/settings/billing?checkout=success');
    const tierOf = async (id: string) =>
      (await stack.db.sql<{ subscription_tier: string }[]>`select subscription_tier from public.polybot_user_profiles where id = ${id}`)[0]?.subscription_tier;
    await expect.poll(() => tierOf(userA), { timeout: 20_000 }).toBe('basic');
    expect(await tierOf(userB)).toBe('free');
    await a.reload();
    await a.getByRole('heading', { name: 'Current plan: Basic' }).waitFor();
    await a.getByRole('button', { name: /Manage subscription/ }).waitFor();
    await shoot(a, '23-billing-basic');
    // dark mode follows the system
    await a.emulateMedia({ colorScheme: 'dark' });
    await a.goto(`${stack.baseUrl}/dashboard`);
    await shoot(a, '19-dashboard-dark');
    await a.goto(`${stack.baseUrl}/settings/config`);
    await shoot(a, '20-config-dark');
  });

  it('with the bot-manager running: a new user sees their paper bot running, a paper trade, and the config version it applied', async () => {
    const ctxC = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const c = await ctxC.newPage();
    try {
      const emailC = `carol-${Date.now()}@example.test`;
      await signUp(c, emailC);
      const userC = await userId(emailC);
      await c.getByLabel(/I have read and accept/).check();
      await submit(c, 'Accept terms', 'Accept and continue');
      await c.getByRole('form', { name: 'Polymarket keys' }).getByLabel('Polymarket wallet private key').fill(polymarketKey());
      await submit(c, 'Polymarket keys', /Check and save/);
      await c.getByText(/Polymarket paper keys saved/).waitFor();
      await submit(c, 'Continue to risk', 'Continue');
      // arb-rich's opportunities pay a fraction of a percent: ask for 0.1 % so the bot takes them
      await c.getByLabel('Minimum profit (%)').fill('0.1');
      await submit(c, 'Risk and strategies', 'Save and continue');
      await c.getByRole('button', { name: 'Start on Free' }).click();
      await c.waitForURL('**/dashboard');

      // arb-rich's opportunities sit early in its timeline: the bots get a sim whose clock starts now
      botSim = await startVenueSim({ scenario: 'arb-rich', port: 0, host: '127.0.0.1' });
      manager = await startManagerProcess(stack, botSim);
      // live: the status card changes without a reload
      await c.getByTestId('bot-state').filter({ hasText: 'Running' }).waitFor({ timeout: 90_000 });
      expect(await c.getByTestId('mode-badge').textContent()).toContain('PAPER');
      await expect
        .poll(async () => (await stack.db.sql`select 1 from public.polybot_trades where user_id = ${userC} and mode = 'paper'`).length, { timeout: 90_000 })
        .toBeGreaterThan(0);
      await c.reload();
      await c.locator('[data-trade-id]').first().waitFor();
      await shoot(c, '24-dashboard-bot-running');

      // a limit change reaches the running bot: the config page shows the version it applied
      await c.goto(`${stack.baseUrl}/settings/config`);
      await c.getByLabel('Max trade size (USD)').fill('30');
      await submit(c, 'Risk and strategies', 'Save configuration');
      const v = (await configRow(userC)).config_version;
      await expect
        .poll(async () => (await stack.db.sql<{ v: number | null }[]>`select config_version::int as v from public.polybot_bot_status where user_id = ${userC}`)[0]?.v, {
          timeout: 60_000,
        })
        .toBe(v);
      await c.reload();
      await c.getByText(/Your bot applied it/).waitFor();
      await c.goto(`${stack.baseUrl}/dashboard`);
      await c.getByText(`settings v${v}, applied`).waitFor({ timeout: 30_000 });
    } finally {
      if (process.env.WEB_TEST_SHOW_LOG === '1') {
        console.log(manager?.log());
        console.log(await stack.db.sql`select state, mode, last_error, stats from public.polybot_bot_status`);
      }
      await ctxC.close();
    }
  });
});
