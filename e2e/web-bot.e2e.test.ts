// One brand-new user's whole journey against the real bot-manager (its own process, meeting the web app only in the
// database; e2e/support/bot-manager.ts) trading on the arb-rich simulator: sign-up and every wizard step, the paper bot
// running and a paper trade appearing on the dashboard without a reload, a limit change the bot applies, pause and
// resume as the bot reports them, a key rotated while the bot runs (the bot checks the new key and restarts with it),
// then sign-out and sign-in back to where they were, and finally the platform stopping (its reason on the card). Every
// state the page shows here was written by the manager, never by the test.
import type { Browser, Page } from 'playwright-core';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { alive } from '@polybot/local-stack/testing';
import {
  flows,
  launchChromium,
  newUserPage,
  onboard,
  PASSWORD,
  polymarketKey,
  shoot,
  startStack,
  submit,
  type Stack,
} from '@polybot/web/testing';
import { startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';

let stack: Stack;
let browser: Browser;
let c: Page;
let manager: ManagerProcess | undefined;
let botSim: VenueSim | undefined;

interface BotRow {
  state: string;
  mode: string;
  pid: number | null;
  started_at: Date | null;
  config_version: number | null;
}

async function botRow(user: string): Promise<BotRow | undefined> {
  const [row] = await stack.db.sql<BotRow[]>`
    select state, mode, pid, started_at, config_version::int as config_version from public.polybot_bot_status where user_id = ${user}`;
  return row;
}

/** The start time the status card shows for the running bot (ms), or 0 while it shows none. */
async function shownStart(page: Page): Promise<number> {
  const el = page.getByTestId('bot-started');
  if ((await el.count()) === 0) return 0;
  return Date.parse((await el.getAttribute('data-started-at')) ?? '') || 0;
}

/** Set on the page's window once; still there later = the page was never reloaded or navigated away from. */
const markDocument = (page: Page) => page.evaluate(() => Object.assign(window, { __sameDocument: true }));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as Window & { __sameDocument?: boolean }).__sameDocument === true);

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  c = await newUserPage(browser);
});

afterAll(async () => {
  await manager?.stop();
  await botSim?.close();
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('one new user with the bot-manager running', () => {
  it('signs up, sets up, watches the paper bot trade, changes a limit, pauses, resumes, rotates a key, signs out and back in', async () => {
    const f = flows(stack);
    const email = `carol-${Date.now()}@example.test`;
    try {
      // The whole wizard: terms, a Polymarket paper key checked with the venue, risk asking 0.1 % so arb-rich's
      // opportunities qualify, then Free.
      const userC = await onboard(stack, c, email, { polymarket: polymarketKey(), minProfitPct: '0.1' });
      expect(new URL(c.url()).pathname).toBe('/dashboard');
      expect(await f.step(userC)).toBe('done');
      await c.getByTestId('trades-empty').waitFor();
      expect(await c.getByTestId('bot-state').textContent()).toBe('Stopped');

      // The platform picks the new user up while the dashboard is open (the page is rendered before any bot exists, so
      // all that follows arrives live). arb-rich's opportunities sit in the first two minutes of its timeline: the
      // bots get a simulator whose clock starts now.
      await markDocument(c);
      botSim = await startVenueSim({ scenario: 'arb-rich', port: 0, host: '127.0.0.1' });
      manager = await startManagerProcess({ databaseUrl: stack.db.url, sim: botSim });
      await c
        .getByTestId('bot-state')
        .filter({ hasText: /^Running$/ })
        .waitFor({ timeout: 90_000 });
      expect(await c.getByTestId('mode-badge').textContent()).toBe('PAPER — no real money');
      const running = await botRow(userC);
      expect(running).toMatchObject({ state: 'running', mode: 'paper' });
      expect(running?.pid).toBeGreaterThan(0);

      // A paper trade from arb-rich appears in the list by itself (the status poll sees it and re-renders the lists).
      const firstRow = c.locator('[data-trade-id]').first();
      await firstRow.waitFor({ timeout: 90_000 });
      const shownId = Number(await firstRow.getAttribute('data-trade-id'));
      const [trade] = await stack.db.sql<
        { user_id: string; mode: string }[]
      >`select user_id, mode from public.polybot_trades where id = ${shownId}`;
      expect(trade).toEqual({ user_id: userC, mode: 'paper' });
      expect(await firstRow.locator('td').nth(5).textContent()).toBe('Paper');
      // the market reads as its question, not as a condition id
      expect(await firstRow.locator('td.market').textContent()).not.toMatch(/^0x|^$/);
      expect(await c.getByTestId('usage').textContent()).toMatch(/^[1-9]\d* \/ 100$/);
      // what the bot found is listed too, with whether it took it (stats.recent_opportunities from the runner)
      await c.getByTestId('opportunity').filter({ hasText: /taken/ }).first().waitFor({ timeout: 30_000 });
      expect(await c.getByTestId('opportunity').first().textContent()).toMatch(
        /expected \$.*(taken|skipped: .+|deciding now)$/,
      );
      // the positions it holds are valued as the positions page values them (realized P&L comes at a sale or resolution)
      await expect
        .poll(() => c.getByTestId('pnl-marked').textContent(), { timeout: 30_000 })
        .toMatch(/Your [1-9]\d* open positions? cost \$[\d,.]+ and are worth \$[\d,.]+ now: [-−]?\$[\d,.]+ unrealized/);
      expect(await sameDocument(c)).toBe(true);
      await shoot(c, '24-dashboard-bot-running');

      // A limit change reaches the running bot: it reports the new config version.
      await c.getByRole('link', { name: 'Config', exact: true }).click();
      await c.waitForURL('**/settings/config');
      await c.getByLabel('Max trade size (USD)').fill('30');
      await submit(c, 'Risk and strategies', 'Save configuration');
      const v = (await f.configRow(userC)).config_version;
      await c.getByText(`Saved. Configuration version ${v} is on its way to your bot.`).waitFor();
      await expect.poll(async () => (await botRow(userC))?.config_version, { timeout: 60_000 }).toBe(v);
      await c.reload();
      await c.getByText(/Your bot applied it at/).waitFor();
      await c.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await c.waitForURL('**/dashboard');
      await c.getByText(`settings v${v}, applied`).waitFor({ timeout: 30_000 });

      // Pause: the page says "Paused" once the bot has stopped (the manager's row), not when the button was pressed.
      const pidBeforePause = (await botRow(userC))?.pid ?? 0;
      expect(alive(pidBeforePause)).toBe(true);
      await markDocument(c);
      await c.getByRole('button', { name: 'Pause bot' }).click();
      await c.getByRole('button', { name: 'Resume bot' }).waitFor();
      expect((await f.configRow(userC)).bot_enabled).toBe(false);
      await c
        .getByTestId('bot-state')
        .filter({ hasText: /^Paused$/ })
        .waitFor({ timeout: 60_000 });
      // the manager's row: paused, no process, and its own reason
      const [pausedRow] = await stack.db.sql<{ state: string; pid: number | null; halt_reason: string | null }[]>`
        select state, pid, halt_reason from public.polybot_bot_status where user_id = ${userC}`;
      expect(pausedRow).toEqual({ state: 'paused', pid: null, halt_reason: 'paused by you' });
      expect(alive(pidBeforePause)).toBe(false);
      expect(await c.getByTestId('bot-started').count()).toBe(0);
      expect(await c.getByTestId('bot-reason').count()).toBe(0); // "Paused by you" says it already
      // the positions stay open while the bot is paused, and the P&L card still values them (from the positions,
      // not from the bot's heartbeat)
      await c.getByTestId('pnl-marked').waitFor();
      expect(await sameDocument(c)).toBe(true);
      await shoot(c, '25-dashboard-bot-paused');

      // Resume: running again, in a new process.
      await c.getByRole('button', { name: 'Resume bot' }).click();
      await c.getByRole('button', { name: 'Pause bot' }).waitFor();
      await c
        .getByTestId('bot-state')
        .filter({ hasText: /^Running$/ })
        .waitFor({ timeout: 90_000 });
      const resumed = await botRow(userC);
      expect(resumed?.state).toBe('running');
      expect(resumed?.pid).toBeGreaterThan(0);
      expect(resumed?.pid).not.toBe(pidBeforePause);
      expect((await f.configRow(userC)).bot_enabled).toBe(true);
      expect(await sameDocument(c)).toBe(true);

      // Rotate the Polymarket key while the bot runs: the bot checks the new key with the venue and restarts with it.
      const startedBefore = resumed?.started_at ?? new Date(0);
      await expect.poll(() => shownStart(c), { timeout: 30_000 }).toBe(startedBefore.getTime());
      const [oldHint] = await stack.db.sql<
        { key_hint: string }[]
      >`select key_hint from public.polybot_user_secrets where user_id = ${userC} and platform = 'polymarket'`;
      // The hint of a Polymarket key is its address's last characters, never the key's (save_user_secret).
      const hintOf = (key: string) => `0x…${privateKeyToAccount(`0x${key.replace(/^0x/, '')}`).address.slice(-4)}`;
      let newKey = polymarketKey();
      while (hintOf(newKey) === oldHint?.key_hint) newKey = polymarketKey();
      await c.getByRole('link', { name: 'API keys', exact: true }).click();
      await c.waitForURL('**/settings/keys');
      const pmCard = c.locator('[data-key="polymarket-paper"]');
      expect(await pmCard.getByTestId('key-hint').textContent()).toBe(oldHint?.key_hint);
      await c.getByRole('form', { name: 'Polymarket keys' }).getByLabel('Polymarket wallet private key').fill(newKey);
      await submit(c, 'Polymarket keys', 'Check and save');
      await c.getByText(`Polymarket paper keys rotated (wallet ${hintOf(newKey)}).`).waitFor();
      // the bot-manager validates the new key before the runner starts with it; the keys page says so
      await expect
        .poll(
          async () => {
            await c.reload();
            return pmCard.textContent();
          },
          { timeout: 60_000 },
        )
        .toMatch(/Valid · saved .* · last validated \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(await pmCard.getByTestId('key-hint').textContent()).toBe(hintOf(newKey));
      const [validation] = await stack.db.sql<
        { validation_status: string; last_validated_at: Date; rotated_at: Date }[]
      >`
        select validation_status, last_validated_at, rotated_at from public.polybot_user_secrets where user_id = ${userC} and platform = 'polymarket'`;
      expect(validation?.validation_status).toBe('valid');
      expect(validation?.last_validated_at.getTime()).toBeGreaterThanOrEqual(
        validation?.rotated_at.getTime() ?? Infinity,
      );
      await shoot(c, '26-keys-rotated-bot-validated');
      await c.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await c.waitForURL('**/dashboard');
      // the status card shows the restart live: a later start time (only while the bot runs, so "Starting" reads as none)
      await expect.poll(() => shownStart(c), { timeout: 60_000 }).toBeGreaterThan(startedBefore.getTime());
      await c
        .getByTestId('bot-state')
        .filter({ hasText: /^Running$/ })
        .waitFor({ timeout: 60_000 });
      const rotated = await botRow(userC);
      expect(rotated?.pid).not.toBe(resumed?.pid);
      expect(rotated?.started_at?.getTime()).toBeGreaterThan(startedBefore.getTime());

      // Sign out on the keys page; signing back in returns there, with the bot still running and its trades shown.
      await c.getByRole('link', { name: 'API keys', exact: true }).click();
      await c.waitForURL('**/settings/keys');
      await f.signOut(c);
      await c.goto(`${stack.baseUrl}/settings/keys`);
      await c.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('next') === '/settings/keys');
      await c.getByLabel('Email').fill(email);
      await c.getByLabel('Password').fill(PASSWORD);
      await c.getByRole('button', { name: 'Sign in' }).click();
      await c.waitForURL('**/settings/keys');
      expect(await c.locator('[data-key="polymarket-paper"]').getByTestId('key-hint').textContent()).toBe(
        hintOf(newKey),
      );
      await c.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await c.waitForURL('**/dashboard');
      await c
        .getByTestId('bot-state')
        .filter({ hasText: /^Running$/ })
        .waitFor({ timeout: 30_000 });
      // the same settings as before signing out: the limit change, then pause and resume (each a config version)
      const after = await f.configRow(userC);
      expect(after).toMatchObject({ config_version: v + 2, bot_enabled: true });
      expect(Number(after.max_trade_size_usd)).toBe(30);
      await c.getByText(`settings v${v + 2}, applied`).waitFor({ timeout: 30_000 });
      await c.locator('[data-trade-id]').first().waitFor();

      // The platform itself stops (a deploy): the card says so in the manager's words, live.
      await markDocument(c);
      await manager?.stop();
      manager = undefined;
      await c
        .getByTestId('bot-state')
        .filter({ hasText: /^Stopped$/ })
        .waitFor({ timeout: 30_000 });
      expect(await c.getByTestId('bot-reason').textContent()).toBe(
        ' — the bot service is restarting; your bot resumes when it is back',
      );
      expect(await sameDocument(c)).toBe(true);
    } finally {
      if (process.env.WEB_TEST_SHOW_LOG === '1') {
        console.log(manager?.log());
        console.log(await stack.db.sql`select state, mode, last_error, stats from public.polybot_bot_status`);
      }
    }
  }, 480_000);
});
