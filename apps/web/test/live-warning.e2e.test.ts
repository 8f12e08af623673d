// Choosing Live without a validated live key is warned, not silently ignored (issue 13 item 6), in Chromium: a user
// on a plan with live trading and no live key opens the config page — it says what paper means on each venue; picking
// Live shows, before saving, that the bot still trades paper on Polymarket and Kalshi and why; the saved result says
// it trades paper there until a validated live key is added (the choice itself is saved: dry_run off).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, newUserPage, shoot } from './support/browser.ts';
import { hydrated, submit } from './support/flows.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: Browser;
let page: Page;
let user = '';

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await newUserPage(browser);
  user = await onboard(stack, page, `live-${Date.now()}@example.test`, {});
  // As a Stripe upgrade would: the plan trigger copies Pro's limits, live trading included, onto the profile.
  await stack.db.sql`update public.polybot_user_profiles set subscription_tier = 'pro' where id = ${user}`;
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

it('Live without a validated live key: paper explained per venue, warned before saving, and said again once saved', async () => {
  await page.goto(`${stack.baseUrl}/settings/config`);
  await hydrated(page, 'Risk and strategies');
  const paper = page.getByTestId('paper-explained');
  await expect.poll(() => paper.innerText()).toMatch(/Paper on Polymarket:.*real public order books.*No key needed/s);
  expect(await paper.innerText()).toMatch(/Paper on Kalshi:.*Kalshi.s demo exchange/s);

  const warning = page.getByTestId('live-warning');
  expect(await warning.isVisible()).toBe(false);
  await page.getByRole('radio', { name: /Live trading/ }).check();
  await warning.waitFor({ state: 'visible' });
  expect(await warning.innerText()).toMatch(
    /still trades paper on Polymarket \(no live Polymarket key saved\) and Kalshi \(no live Kalshi key saved\)/,
  );
  await shoot(page, 'live-warning');

  await page.getByLabel('Trade on Kalshi').uncheck();
  await submit(page, 'Risk and strategies', 'Save configuration');
  const saved = page.getByRole('form', { name: 'Risk and strategies' }).getByRole('status');
  expect(await saved.innerText()).toMatch(
    /Live is on, but your bot trades paper on Polymarket \(no live Polymarket key saved\) until it has a validated live key there/,
  );
  const [row] = await stack.db.sql<{ dry_run: boolean }[]>`
    select dry_run from public.polybot_user_config where user_id = ${user}`;
  expect(row?.dry_run).toBe(false);
});

it('a live key the venue revoked: the dashboard shows the halt in the bot’s words and where to fix it', async () => {
  // The words are the bot-manager's (blocked.ts, live_key_invalid); written here as the manager writes the row.
  const words =
    'Polymarket rejected your live key on 2026-12-05 04:30 UTC (Polymarket rejected the live API credentials (HTTP 401)): live trading on Polymarket stopped and the bot trades paper there. Save a new live Polymarket key in Settings → API keys to trade live again.';
  await stack.db.sql`
    update public.polybot_bot_status
       set state = 'running', mode = 'paper', heartbeat_at = now(), halt_code = 'live_key_invalid', halt_reason = ${words}
     where user_id = ${user}`;
  await page.goto(`${stack.baseUrl}/dashboard`);
  await page.getByTestId('bot-reason').waitFor();
  expect(await page.getByTestId('bot-reason').innerText()).toContain(words);
  const advice = page.getByTestId('bot-advice');
  expect(await advice.innerText()).toMatch(/A venue rejected your live key \(revoked or expired\)/);
  expect(await advice.getByRole('link').getAttribute('href')).toBe('/settings/keys');
});
