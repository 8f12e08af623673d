// What every browser test does to a page or asks of the database: sign up/in/out, submit a form and wait for *that*
// submission's result, read field errors, and look rows up by user. Bound to one stack by `flows(stack)`.
import type { Page } from 'playwright-core';
import type { Stack } from './stack.ts';

export const PASSWORD = 'correct horse battery';

/** Fills a number input with anything, including text a number input would refuse to take from a keyboard. */
export async function forceFill(page: Page, formName: string, label: string, value: string): Promise<void> {
  const input = page.getByRole('form', { name: formName }).getByLabel(label, { exact: true });
  await input.evaluate((el) => el.setAttribute('type', 'text'));
  await input.fill(value);
}

/** Waits for the result of the submission that started after `before`/`url` were read (or for a navigation). */
async function waitForResult(page: Page, formName: string, before: string, url: string): Promise<void> {
  await page.waitForFunction(
    ({ name, prev, href }) => {
      if (location.href !== href) return true;
      const f = document.querySelector(`form[aria-label="${name}"]`);
      return !f || (f.getAttribute('data-result-at') ?? '0') !== prev;
    },
    { name: formName, prev: before, href: url },
  );
}

/** Clicks a form's submit button and waits for that submission's result (not a stale one) or a navigation. */
export async function submit(page: Page, formName: string, button: string | RegExp): Promise<void> {
  const form = page.getByRole('form', { name: formName });
  const before = (await form.getAttribute('data-result-at')) ?? '0';
  const url = page.url();
  await form.getByRole('button', { name: button }).click();
  await waitForResult(page, formName, before, url);
}

/**
 * Waits until React has hydrated the form (its element carries a fiber): before that, edits to it may be undone.
 * The form is looked up afresh on every check: a live refresh can replace the element, and a wait bound to the old,
 * detached one would never end (seen under load as a test hanging until its timeout).
 */
export async function hydrated(page: Page, formName: string): Promise<void> {
  await page.waitForFunction((name) => {
    const f = document.querySelector(`form[aria-label="${name}"]`);
    return f !== null && Object.keys(f).some((k) => k.startsWith('__reactFiber'));
  }, formName);
}

/**
 * Submits a form with fields set to values the page does not offer (a hidden input edited, or a select given an option
 * of one's own, as anyone can in dev tools), and waits for the result. The form must be hydrated first, and the values are set and the form submitted in
 * one task: React puts a controlled input's value back when it re-renders (hydration, a live refresh), which between
 * an edit and a click would quietly submit the page's own value instead.
 */
export async function submitTampered(
  page: Page,
  formName: string,
  button: string,
  values: Record<string, string>,
): Promise<void> {
  const form = page.getByRole('form', { name: formName });
  await hydrated(page, formName);
  const before = (await form.getAttribute('data-result-at')) ?? '0';
  const url = page.url();
  await form.evaluate(
    (f, { fields, label }) => {
      for (const [name, value] of Object.entries(fields)) {
        const input = f.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
        if (!input) throw new Error(`no field ${name}`);
        if (input instanceof HTMLSelectElement && !Array.from(input.options).some((o) => o.value === value))
          input.add(new Option(value, value));
        input.value = value;
      }
      const submitter = Array.from(f.querySelectorAll('button')).find((b) => b.textContent?.trim() === label);
      if (!submitter) throw new Error(`no button ${label}`);
      (f as HTMLFormElement).requestSubmit(submitter);
    },
    { fields: values, label: button },
  );
  await waitForResult(page, formName, before, url);
}

export async function fieldError(page: Page, name: string): Promise<string> {
  const el = page.locator(`[data-field-error="${name}"]`).first();
  await el.waitFor();
  return (await el.textContent()) ?? '';
}

export interface ConfigRow {
  config_version: number;
  max_trade_size_usd: string;
  bot_enabled: boolean;
  min_profit_pct: string;
}

export function flows(stack: Stack) {
  const sql = stack.db.sql;
  return {
    async userId(email: string): Promise<string> {
      const rows = await sql<{ id: string }[]>`select id from auth.users where email = ${email}`;
      const id = rows[0]?.id;
      if (!id) throw new Error(`no user ${email}`);
      return id;
    },
    async secretCount(id: string): Promise<number> {
      const rows = await sql<
        { n: number }[]
      >`select count(*)::int as n from public.polybot_user_secrets where user_id = ${id}`;
      return rows[0]?.n ?? -1;
    },
    async configRow(id: string): Promise<ConfigRow> {
      const rows = await sql<ConfigRow[]>`
        select config_version, max_trade_size_usd, bot_enabled, min_profit_pct from public.polybot_user_config where user_id = ${id}`;
      const row = rows[0];
      if (!row) throw new Error('no config row');
      return row;
    },
    async step(id: string): Promise<string> {
      const rows = await sql<
        { onboarding_step: string }[]
      >`select onboarding_step from public.polybot_user_profiles where id = ${id}`;
      return rows[0]?.onboarding_step ?? 'none';
    },
    async tier(id: string): Promise<string | undefined> {
      const rows = await sql<
        { subscription_tier: string }[]
      >`select subscription_tier from public.polybot_user_profiles where id = ${id}`;
      return rows[0]?.subscription_tier;
    },
    async signUp(page: Page, email: string): Promise<void> {
      await page.goto(`${stack.baseUrl}/sign-up`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL('**/onboarding');
    },
    async signIn(page: Page, email: string): Promise<void> {
      await page.goto(`${stack.baseUrl}/sign-in`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    },
    async signOut(page: Page): Promise<void> {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/sign-in');
    },
  };
}
