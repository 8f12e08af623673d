// A user who has finished the wizard, made through the UI on its happy path (sign-up, terms, keys — or none, for
// paper only —, risk, Free).
// The wizard's bad-input paths are proven in onboarding.e2e.test.ts; files that only need "an onboarded user"
// use this so each file stands on its own instead of depending on a user another file created.
import type { Page } from 'playwright-core';
import { flows, submit } from './flows.ts';
import type { KalshiKey } from './keys.ts';
import type { Stack } from './stack.ts';

/** No key options at all = the "Continue on paper without keys" path. */
export interface OnboardOptions {
  /** Kalshi paper keys registered with the stack's venue simulator. */
  kalshi?: KalshiKey;
  /** A Polymarket wallet private key (paper). */
  polymarket?: string;
  /** Minimum profit (%) to save on the risk step; the plan's default otherwise. */
  minProfitPct?: string;
}

/** Signs up `email` on `page`, walks the wizard to the dashboard, and returns the new user's id. */
export async function onboard(stack: Stack, page: Page, email: string, opts: OnboardOptions): Promise<string> {
  await flows(stack).signUp(page, email);
  return finishOnboarding(stack, page, email, opts);
}

/** From the wizard's first step (a signed-in user on /onboarding) to the dashboard; returns the user's id. */
export async function finishOnboarding(stack: Stack, page: Page, email: string, opts: OnboardOptions): Promise<string> {
  const f = flows(stack);
  await page.getByLabel(/I have read and accept/).check();
  await submit(page, 'Accept terms', 'Accept and continue');
  await page.getByRole('heading', { name: 'Polymarket' }).waitFor();
  if (opts.kalshi) {
    const form = page.getByRole('form', { name: 'Kalshi keys' });
    await form.getByLabel('Kalshi API key id').fill(opts.kalshi.keyId);
    await form.getByLabel('Kalshi private key (PEM)').fill(opts.kalshi.privatePem);
    await submit(page, 'Kalshi keys', /Check and save/);
    await page.getByText(/Kalshi paper keys saved/).waitFor();
  }
  if (opts.polymarket) {
    await page
      .getByRole('form', { name: 'Polymarket keys' })
      .getByLabel('Polymarket wallet private key')
      .fill(opts.polymarket);
    await submit(page, 'Polymarket keys', /Check and save/);
    await page.getByText(/Polymarket paper keys saved/).waitFor();
  }
  const noKeys = !opts.kalshi && !opts.polymarket;
  await submit(page, 'Continue to risk', noKeys ? 'Continue on paper without keys' : 'Continue');
  await page.getByRole('heading', { name: 'Risk limits and strategies' }).waitFor();
  if (opts.minProfitPct !== undefined) await page.getByLabel('Minimum profit (%)').fill(opts.minProfitPct);
  await submit(page, 'Risk and strategies', 'Save and continue');
  await page.getByRole('heading', { name: 'Choose a plan' }).waitFor();
  await page.getByRole('button', { name: 'Start on Free' }).click();
  await page.waitForURL('**/dashboard');
  return f.userId(email);
}
