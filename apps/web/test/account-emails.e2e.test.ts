// Account emails in Chromium against a stack whose sign-ups must be confirmed: sign-up says "check your email", the
// confirmation arrives in the local mail sink and its link (followed from the browser inbox) signs the user in;
// then "Forgot password?" → the reset email → its link → a new password → signed in on the dashboard; the old password
// no longer works, the new one does, and the used link is refused.
import { messageLinks } from '@polybot/local-stack/mail';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserPage, shoot } from './support/browser.ts';
import { fieldError, flows, PASSWORD, submit } from './support/flows.ts';
import { finishOnboarding } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: Browser;
let page: Page;
const email = `reset-${Date.now()}@example.test`;
const NEW_PASSWORD = 'a brand new passphrase';

beforeAll(async () => {
  stack = await startStack({ confirmSignups: true });
  browser = await launchChromium();
  page = await newUserPage(browser);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

async function signInWith(p: Page, password: string): Promise<void> {
  await p.goto(`${stack.baseUrl}/sign-in`);
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await submit(p, 'Sign in', 'Sign in');
}

describe('account emails in Chromium', () => {
  it('sign-up asks to confirm the email; the link in the inbox signs the user in', async () => {
    await page.goto(`${stack.baseUrl}/sign-up`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await submit(page, 'Create account', 'Create account');
    await page.getByRole('status').filter({ hasText: 'Check your email to confirm your account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-up');

    await signInWith(page, PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Confirm your email address first' }).waitFor();

    // The way a person does it: the inbox page, the message, its link.
    await stack.mail.waitFor({ to: email, subject: 'Confirm' });
    await page.goto(stack.mail.inboxUrl);
    await page.getByRole('link', { name: 'Confirm your PolyBot account' }).click();
    await shoot(page, 'mail-01-inbox-confirmation');
    await page.getByRole('link', { name: /\/auth\/confirm\?token_hash=/ }).click();
    await page.waitForURL('**/onboarding');
    await finishOnboarding(stack, page, email, {});
  });

  it('forgot password: the same answer for any email, a link by email, a new password, signed in', async () => {
    const fresh = await newUserPage(browser);
    await fresh.goto(`${stack.baseUrl}/sign-in`);
    await fresh.getByRole('link', { name: 'Forgot password?' }).click();
    await fresh.waitForURL('**/forgot-password');
    await shoot(fresh, 'mail-02-forgot-password');

    // An address without an account gets exactly the same message, and no mail.
    const nobody = `nobody-${Date.now()}@example.test`;
    await fresh.getByLabel('Email').fill(nobody);
    await submit(fresh, 'Send reset link', 'Send reset link');
    const neutral = await fresh.getByRole('status').textContent();
    expect(neutral).toContain('If an account exists for that email');

    await fresh.getByLabel('Email').fill(email);
    await submit(fresh, 'Send reset link', 'Send reset link');
    expect(await fresh.getByRole('status').textContent()).toBe(neutral);
    expect(stack.mail.messages({ to: nobody })).toEqual([]);

    const message = await stack.mail.waitFor({ to: email, subject: 'Reset' });
    const link = messageLinks(message).find((l) => l.includes('/auth/confirm'));
    expect(link).toMatch(/\/auth\/confirm\?token_hash=[0-9a-f]+&type=recovery&next=%2Freset-password$/);
    await fresh.goto(link ?? '');
    await fresh.waitForURL('**/reset-password');
    await shoot(fresh, 'mail-03-reset-password');

    // Server-side validation: the two entries must match.
    await fresh.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await fresh.getByLabel('New password again').fill('something else entirely');
    await submit(fresh, 'Set new password', 'Set new password');
    expect(await fieldError(fresh, 'password_confirm')).toContain('not the same');
    expect(await fresh.getByLabel('New password again').inputValue()).toBe(''); // never echoed back

    await fresh.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await fresh.getByLabel('New password again').fill(NEW_PASSWORD);
    await submit(fresh, 'Set new password', 'Set new password');
    await fresh.waitForURL((u) => u.pathname === '/dashboard' && u.searchParams.get('notice') === 'password-updated');
    await fresh.getByRole('status').filter({ hasText: 'Your password has been changed' }).waitFor();

    // The link was one use: following it again offers a new one.
    const again = await newUserPage(browser);
    await again.goto(link ?? '');
    await again.waitForURL((u) => u.pathname === '/forgot-password' && u.searchParams.get('error') === 'link');
    await again.getByRole('alert').filter({ hasText: 'expired or was already used' }).waitFor();
  });

  it('the old password no longer signs in; the new one does', async () => {
    const p = await newUserPage(browser);
    await signInWith(p, PASSWORD);
    await p.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    await signInWith(p, NEW_PASSWORD);
    await p.waitForURL('**/dashboard');
    expect(await flows(stack).userId(email)).toEqual(expect.any(String));
  });
});
