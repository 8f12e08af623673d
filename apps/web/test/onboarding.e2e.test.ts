// Onboarding in Chromium against a real local stack: sign-up (with bad input), the whole wizard with bad input at
// every step (and every kind of field keeping what the user submitted), sign-out/in, and resuming a half-finished
// wizard. Every refusal is also checked in the database: nothing saved.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shoot } from './support/browser.ts';
import { fieldError, flows, forceFill, submit } from './support/flows.ts';
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
  a = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  b = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
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
    await a.goto(`${stack.baseUrl}/sign-up`);
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

  it('a new user signs up and walks the wizard (with bad input at every step)', async () => {
    await f.signUp(a, emailA);
    userA = await f.userId(emailA);
    await expect.poll(() => f.step(userA)).toBe('terms');
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
      (await stack.db.sql<{ news: boolean; kalshi: boolean }[]>`
        select enable_news_arbitrage as news, enable_kalshi as kalshi from public.polybot_user_config where user_id = ${userA}`)[0];
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
    await a.getByText(/Included in Pro/).first().waitFor();
    await a.reload();
    // after a reload the form shows what is saved again
    expect(await news.isChecked()).toBe(savedToggles?.news);
    await a.getByLabel('Max trade size (USD)').fill('25');
    await submit(a, 'Risk and strategies', 'Save and continue');
    await a.getByRole('heading', { name: 'Choose a plan' }).waitFor();
    expect(Number((await f.configRow(userA)).max_trade_size_usd)).toBe(25);
    await shoot(a, '08-onboarding-plan');

    // (4) plan: paid plans go to Stripe Checkout; free completes onboarding at once
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
});
