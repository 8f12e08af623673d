// Onboarding in Chromium against a real local stack: sign-up (with bad input), the terms page, the whole wizard with
// bad input at every step (every kind of field keeping what the user submitted, keys the venue rejects, hidden plan
// fields edited in the page), sign-out/in, resuming a half-finished wizard, and a paid plan chosen in the wizard
// (Stripe Checkout on the emulator, back to the wizard, onboarding done on that plan). Every refusal is also checked in
// the database: nothing saved.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingFlows, CARDS } from './support/billing.ts';
import { launchChromium, newUserPage, PHONE, shoot, sidewaysOverflow } from './support/browser.ts';
import { fieldError, flows, forceFill, submit, submitTampered } from './support/flows.ts';
import { polymarketKey, registerKalshiKey, type KalshiKey } from './support/keys.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: Browser;
let a: Page;
let b: Page;
let kalshiA: KalshiKey;
let f: ReturnType<typeof flows>;
let userA = '';
const emailA = `alice-${Date.now()}@example.test`;
const emailB = `bob-${Date.now()}@example.test`;

beforeAll(async () => {
  stack = await startStack();
  f = flows(stack);
  browser = await launchChromium();
  a = await newUserPage(browser);
  b = await newUserPage(browser);
  kalshiA = await registerKalshiKey(stack.sim.origin);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('onboarding in Chromium', () => {
  it('redirects a signed-out visitor to sign-in and rejects bad sign-up input', async () => {
    const res = await fetch(`${stack.baseUrl}/api/status`);
    expect(res.status).toBe(401);
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(new URL(a.url()).pathname).toBe('/sign-in');
    await shoot(a, '01-sign-in');
    // shoot() refuses pages that scroll sideways at phone width; the check itself catches a page made too wide
    await a.setViewportSize(PHONE);
    expect((await sidewaysOverflow(a)).overflow).toBe(0);
    await a.evaluate(() =>
      document.body.insertAdjacentHTML('beforeend', '<div id="too-wide" style="width: 600px">wide</div>'),
    );
    const wide = await sidewaysOverflow(a);
    expect(wide.overflow).toBeGreaterThan(0);
    expect(wide.culprits.join()).toContain('wide');
    await a.evaluate(() => document.getElementById('too-wide')?.remove());
    await a.setViewportSize({ width: 1280, height: 900 });
    await a.goto(`${stack.baseUrl}/sign-up`);
    await a.getByRole('heading', { name: 'Create your account' }).waitFor();
    await shoot(a, '02a-sign-up');
    await a.getByLabel('Email').fill('not-an-email');
    await a.getByLabel('Password').fill('short');
    await a.getByRole('button', { name: 'Create account' }).click();
    expect(await fieldError(a, 'email')).toContain('valid email');
    expect(await fieldError(a, 'password')).toContain('at least 8');
    // the email comes back for correcting; the password never travels back to the browser
    expect(await a.getByLabel('Email').inputValue()).toBe('not-an-email');
    expect(await a.getByLabel('Password').inputValue()).toBe('');
    await shoot(a, '02-sign-up-errors');
    const n = await stack.db.sql`select 1 from auth.users`;
    expect(n.length).toBe(0);
  });

  it('the terms are a public page with the version the wizard records', async () => {
    const res = await a.goto(`${stack.baseUrl}/terms`);
    expect(res?.status()).toBe(200);
    expect(new URL(a.url()).pathname).toBe('/terms');
    await a.getByRole('heading', { name: 'Terms of service', level: 1 }).waitFor();
    expect(await a.getByTestId('terms-version').textContent()).toContain('Version 2026-11-01');
    for (const h of [
      '1. What PolyBot does',
      '2. Paper and live trading',
      '3. Risk',
      '4. Your responsibilities',
      '5. Plans and payment',
      '6. Changes to these terms',
    ]) {
      await a.getByRole('heading', { name: h, level: 2 }).waitFor();
    }
    // the contents link to each section
    await a.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Risk' }).click();
    await a.waitForURL((u) => u.pathname === '/terms' && u.hash === '#risk');
    await shoot(a, '02b-terms');
    // sign-up points to them
    await a.goto(`${stack.baseUrl}/sign-up`);
    await a.getByRole('link', { name: 'terms of service' }).click();
    await a.waitForURL('**/terms');
  });

  it('a new user signs up and walks the wizard (with bad input at every step)', async () => {
    await f.signUp(a, emailA);
    userA = await f.userId(emailA);
    await expect.poll(() => f.step(userA)).toBe('terms');
    await shoot(a, '03-onboarding-terms');
    // the full terms, at the version the checkbox names, and back to the same step
    await a.getByRole('link', { name: 'Read the full terms (version 2026-11-01)' }).click();
    await a.waitForURL('**/terms');
    expect(await a.getByTestId('terms-version').textContent()).toContain('Version 2026-11-01');
    await a.getByRole('link', { name: 'Back to setup' }).click();
    await a.waitForURL('**/onboarding');
    await a.getByRole('heading', { name: 'Terms of service' }).waitFor();

    // (1) terms: not ticked → error, nothing recorded
    await submit(a, 'Accept terms', 'Accept and continue');
    expect(await fieldError(a, 'accept')).toContain('accept the terms');
    const t0 = await stack.db.sql`select accepted_terms_at from public.polybot_user_profiles where id = ${userA}`;
    expect(t0[0]?.accepted_terms_at).toBeNull();
    await a.getByLabel(/I have read and accept/).check();
    await submit(a, 'Accept terms', 'Accept and continue');
    await a.getByRole('heading', { name: 'Polymarket' }).waitFor();
    const t1 = await stack.db
      .sql`select accepted_terms_at, accepted_terms_version from public.polybot_user_profiles where id = ${userA}`;
    expect(t1[0]?.accepted_terms_at).toBeInstanceOf(Date);
    expect(t1[0]?.accepted_terms_version).toBe('2026-11-01');
    await shoot(a, '04-onboarding-platforms');

    // (2) platforms: with no keys the step offers paper without any (the no-key journey is e2e/web-nokey); empty,
    // malformed and unknown keys → errors, nothing saved
    expect(await a.getByTestId('paper-without-keys').textContent()).toMatch(
      /simulates fills against .* real public order books.*Keys are needed only to trade live/,
    );
    await a.getByRole('button', { name: 'Continue on paper without keys' }).waitFor();
    const kalshi = a.getByRole('form', { name: 'Kalshi keys' });
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'keyId')).toContain('UUID');
    expect(await fieldError(a, 'privateKeyPem')).toContain('PEM');
    // the radio the user picked survives a refused submit (it used to snap back to "paper")
    await kalshi.getByRole('radio', { name: /Live/ }).check();
    await kalshi.getByLabel('Kalshi API key id').fill('12345');
    await kalshi.getByLabel('Kalshi private key (PEM)').fill('not a key');
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'keyId')).toContain('UUID');
    expect(await kalshi.getByRole('radio', { name: /Live/ }).isChecked()).toBe(true);
    expect(await kalshi.getByRole('radio', { name: /Paper/ }).isChecked()).toBe(false);
    expect(await kalshi.getByLabel('Kalshi API key id').inputValue()).toBe('12345');
    await kalshi.getByRole('radio', { name: /Paper/ }).check();
    const other = await registerKalshiKey(stack.sim.origin);
    await kalshi.getByLabel('Kalshi API key id').fill('0b6a1c2e-8a5f-4c1e-9a49-0d1e2f3a4b5c');
    await kalshi.getByLabel('Kalshi private key (PEM)').fill(other.privatePem);
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'keyId')).toContain('does not know this API key id');
    await kalshi.getByLabel('Kalshi API key id').fill(kalshiA.keyId);
    await kalshi.getByLabel('Kalshi private key (PEM)').fill(other.privatePem);
    await submit(a, 'Kalshi keys', /Check and save/);
    expect(await fieldError(a, 'privateKeyPem')).toContain('does not belong');
    // the select keeps the submitted wallet type; the secret itself is never sent back to refill the field
    const pm = a.getByRole('form', { name: 'Polymarket keys' });
    await pm.getByLabel('Wallet type').selectOption('1');
    await pm.getByLabel('Polymarket wallet private key').fill('0x1234');
    await submit(a, 'Polymarket keys', /Check and save/);
    expect(await fieldError(a, 'privateKey')).toContain('64 hex digits');
    expect(await pm.getByLabel('Wallet type').inputValue()).toBe('1');
    expect(await pm.getByLabel('Polymarket wallet private key').inputValue()).toBe('');
    // a proxy wallet (type 1) needs its funder: the shared schema's words, at the field
    await pm.getByLabel('Polymarket wallet private key').fill(polymarketKey());
    await submit(a, 'Polymarket keys', /Check and save/);
    expect(await fieldError(a, 'funderAddress')).toMatch(/^Funder address is required for this wallet type/);
    // a malformed funder address, next to a well-formed key: refused at the field, kept for correcting
    await pm.getByLabel('Polymarket wallet private key').fill(polymarketKey());
    await pm.getByLabel('Funder address').fill('0x12345');
    await submit(a, 'Polymarket keys', /Check and save/);
    expect(await fieldError(a, 'funderAddress')).toBe('Funder address must be a 0x-prefixed 40-hex-digit address');
    expect(await pm.getByLabel('Funder address').inputValue()).toBe('0x12345');
    expect(await f.secretCount(userA)).toBe(0);
    // a well-formed key the venue refuses (the simulator answers the next key request with 401): its reason, nothing saved
    const fault = await fetch(`${stack.sim.origin}/_sim/polymarket/fail-next`, {
      method: 'POST',
      body: JSON.stringify({ method: 'POST', path: '/auth/api-key', status: 401, when: 'before' }),
    });
    expect(fault.status).toBe(200);
    await pm.getByLabel('Polymarket wallet private key').fill(polymarketKey());
    await pm.getByLabel('Funder address').fill('');
    await pm.getByLabel('Wallet type').selectOption('0');
    // an own wallet (EOA) has no funder: the field is not shown
    expect(await pm.getByLabel('Funder address').isVisible()).toBe(false);
    await submit(a, 'Polymarket keys', /Check and save/);
    expect(await fieldError(a, 'privateKey')).toBe(
      'Polymarket did not accept this key: it could not derive API credentials for it.',
    );
    expect(await pm.getByRole('alert').textContent()).toContain(
      'The venue did not accept these keys. Nothing was saved.',
    );
    expect(await f.secretCount(userA)).toBe(0);
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
    expect(await f.secretCount(userA)).toBe(2);
    const html = await a.content();
    expect(html).not.toContain(pmKey.slice(2, 30));
    expect(html).not.toContain(kalshiA.privatePem.slice(40, 80));
    expect(html).toContain(`…${kalshiA.keyId.slice(-4)}`);
    await submit(a, 'Continue to risk', 'Continue');
    await a.getByRole('heading', { name: 'Risk limits and strategies' }).waitFor();
    expect(await f.step(userA)).toBe('risk');
    await shoot(a, '06-onboarding-risk');

    // (3) risk: out of range, empty, malformed → field errors, config untouched; toggles stay as the user left them
    const before = await f.configRow(userA);
    const toggles = async () =>
      (
        await stack.db.sql<{ news: boolean; kalshi: boolean }[]>`
        select enable_news_arbitrage as news, enable_kalshi as kalshi from public.polybot_user_config where user_id = ${userA}`
      )[0];
    const savedToggles = await toggles();
    const risk = a.getByRole('form', { name: 'Risk and strategies' });
    const news = risk.getByLabel('News signals');
    const onKalshi = risk.getByLabel('Trade on Kalshi');
    expect(await news.isChecked()).toBe(savedToggles?.news);
    expect(await onKalshi.isChecked()).toBe(savedToggles?.kalshi);
    await news.setChecked(!savedToggles?.news);
    await onKalshi.setChecked(!savedToggles?.kalshi);
    await forceFill(a, 'Risk and strategies', 'Max trade size (USD)', '0');
    await forceFill(a, 'Risk and strategies', 'Minimum profit (%)', '');
    await forceFill(a, 'Risk and strategies', 'Max open positions', 'lots');
    await forceFill(a, 'Risk and strategies', 'Max daily loss (USD)', '99999999');
    await submit(a, 'Risk and strategies', 'Save and continue');
    expect(await fieldError(a, 'max_trade_size_usd')).toContain('at least 1');
    expect(await fieldError(a, 'min_profit_pct')).toContain('must be a number');
    expect(await fieldError(a, 'max_open_positions')).toContain('must be a number');
    expect(await fieldError(a, 'max_daily_loss_usd')).toContain('at most 1,000,000');
    expect(await f.configRow(userA)).toEqual(before);
    expect(await toggles()).toEqual(savedToggles);
    expect(await f.step(userA)).toBe('risk');
    // the form keeps what the user submitted instead of snapping back to the saved values
    expect(await a.getByLabel('Max trade size (USD)').inputValue()).toBe('0');
    expect(await a.getByLabel('Max daily loss (USD)').inputValue()).toBe('99999999');
    expect(await news.isChecked()).toBe(!savedToggles?.news);
    expect(await onKalshi.isChecked()).toBe(!savedToggles?.kalshi);
    expect(await risk.getByRole('radio', { name: /Paper trading/ }).isChecked()).toBe(true);
    await shoot(a, '07-onboarding-risk-errors');
    // strategies outside the plan are disabled and say what unlocks them
    const copy = a.getByLabel('Copy trading');
    expect(await copy.isDisabled()).toBe(true);
    await a
      .getByText(/Included in Pro/)
      .first()
      .waitFor();
    await a.reload();
    // after a reload the form shows what is saved again
    expect(await news.isChecked()).toBe(savedToggles?.news);
    await a.getByLabel('Max trade size (USD)').fill('25');
    await submit(a, 'Risk and strategies', 'Save and continue');
    await a.getByRole('heading', { name: 'Choose a plan' }).waitFor();
    expect(Number((await f.configRow(userA)).max_trade_size_usd)).toBe(25);
    await shoot(a, '08-onboarding-plan');

    // (4) plan: hidden fields edited in the page are refused and change nothing. The Free form asking for Pro:
    const free = a.getByRole('form', { name: 'Choose Free' });
    await submitTampered(a, 'Choose Free', 'Start on Free', { tier: 'pro' });
    expect(await free.locator('[data-field-error="tier"]').textContent()).toBe('Paid plans go through checkout');
    expect(new URL(a.url()).pathname).toBe('/onboarding');
    // a Checkout form asking for a plan that does not exist: no Stripe customer, no session, still on the plan step
    const basic = a.getByRole('form', { name: 'Upgrade to Basic' });
    await submitTampered(a, 'Upgrade to Basic', 'Choose Basic', { tier: 'bogus' });
    expect(await basic.locator('[data-field-error="tier"]').textContent()).toBe('Choose a paid plan');
    expect(new URL(a.url()).pathname).toBe('/onboarding');
    const plan = await stack.db.sql`
      select onboarding_step, onboarding_completed, subscription_tier, stripe_customer_id from public.polybot_user_profiles where id = ${userA}`;
    expect(plan[0]).toEqual({
      onboarding_step: 'plan',
      onboarding_completed: false,
      subscription_tier: 'free',
      stripe_customer_id: null,
    });
    await a.reload();

    // paid plans go to Stripe Checkout (below, another user); free completes onboarding at once
    await a.getByRole('button', { name: 'Choose Basic' }).waitFor();
    await a.getByRole('button', { name: 'Start on Free' }).click();
    await a.waitForURL('**/dashboard');
    expect(await f.step(userA)).toBe('done');
  });

  it('signs out and back in, and a half-onboarded user resumes their step', async () => {
    await f.signOut(a);
    // a wrong password: refused, the email stays filled in, still signed out
    await a.getByLabel('Email').fill(emailA);
    await a.getByLabel('Password').fill('not the password');
    await submit(a, 'Sign in', 'Sign in');
    await a.getByText('Email or password is wrong.').waitFor();
    expect(new URL(a.url()).pathname).toBe('/sign-in');
    expect(await a.getByLabel('Email').inputValue()).toBe(emailA);
    expect(await a.getByLabel('Password').inputValue()).toBe('');
    await f.signIn(a, emailA);
    expect(new URL(a.url()).pathname).toBe('/dashboard');

    await f.signUp(b, emailB);
    await b.getByLabel(/I have read and accept/).check();
    await submit(b, 'Accept terms', 'Accept and continue');
    await b.getByRole('heading', { name: 'Polymarket' }).waitFor();
    await f.signOut(b);
    await f.signIn(b, emailB);
    await b.goto(`${stack.baseUrl}/dashboard`);
    await b.waitForURL('**/onboarding');
    expect(await b.locator('[aria-current="step"]').textContent()).toContain('Platforms');
    expect(await f.step(await f.userId(emailB))).toBe('platforms');
  });

  it('a paid plan chosen in the wizard: Stripe Checkout, back to the wizard, onboarding done on that plan', async () => {
    const bf = billingFlows(stack);
    const p = await newUserPage(browser);
    const email = `cleo-${Date.now()}@example.test`;
    await f.signUp(p, email);
    const user = await f.userId(email);
    await p.getByLabel(/I have read and accept/).check();
    await submit(p, 'Accept terms', 'Accept and continue');
    await p
      .getByRole('form', { name: 'Polymarket keys' })
      .getByLabel('Polymarket wallet private key')
      .fill(polymarketKey());
    await submit(p, 'Polymarket keys', /Check and save/);
    await p.getByText(/Polymarket paper keys saved/).waitFor();
    await submit(p, 'Continue to risk', 'Continue');
    await submit(p, 'Risk and strategies', 'Save and continue');
    await p.getByRole('heading', { name: 'Choose a plan' }).waitFor();

    await p.getByRole('button', { name: 'Choose Basic' }).click();
    await p.waitForURL((u) => u.origin === bf.emulatorOrigin && u.pathname.startsWith('/c/pay/'));
    await p.getByText('PolyBot Basic').waitFor();
    await bf.pay(p, CARDS.pays);
    await p.waitForURL((u) => u.pathname === '/onboarding' && u.searchParams.get('checkout') === 'success');
    // the wizard waits for Stripe's webhook by itself, then offers to finish
    await p
      .getByTestId('checkout-status')
      .filter({ hasText: 'Payment confirmed: your Basic plan is active.' })
      .waitFor({ timeout: 60_000 });
    expect(await p.locator('[aria-current="step"]').textContent()).toContain('Plan');
    // no second Checkout from here once a plan is paid for
    expect(await p.getByRole('button', { name: /Choose|Start on Free/ }).count()).toBe(0);
    expect(await f.step(user)).toBe('plan');
    expect(await bf.billingRow(user)).toMatchObject({
      subscription_tier: 'basic',
      subscription_status: 'active',
      monthly_trade_limit: 1000,
    });
    await shoot(p, '08b-onboarding-checkout-success');

    await submit(p, 'Finish setup', 'Go to my dashboard');
    await p.waitForURL('**/dashboard');
    expect(await f.step(user)).toBe('done');
    expect(await p.getByTestId('bot-plan').textContent()).toBe('Basic plan · 1,000 trades/month');
    expect(await p.getByTestId('usage').textContent()).toBe('0 / 1,000');
    await p.context().close();
  });
});
