// The real bot-manager (its own process, meeting the web app only in the database) with a user onboarded through
// the wizard's happy path (support/onboard.ts): the dashboard shows the paper bot running live, a paper trade it
// made, and — after a limit change in settings — the config version the bot applied.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';
import { launchChromium, shoot } from './support/browser.ts';
import { flows, submit } from './support/flows.ts';
import { polymarketKey } from './support/keys.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: Browser;
let c: Page;
let manager: ManagerProcess | undefined;
let botSim: VenueSim | undefined;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  c = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});

afterAll(async () => {
  await manager?.stop();
  await botSim?.close();
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('web app with the bot-manager running', () => {
  it('a new user sees their paper bot running, a paper trade, and the config version it applied', async () => {
    try {
      // arb-rich's opportunities pay a fraction of a percent: ask for 0.1 % so the bot takes them
      const userC = await onboard(stack, c, `carol-${Date.now()}@example.test`, { polymarket: polymarketKey(), minProfitPct: '0.1' });

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
      // the market reads as its question, not as a condition id
      expect(await c.locator('[data-trade-id] td.market').first().textContent()).not.toMatch(/^0x|^$/);
      // what the bot found is listed too, with whether it took it (stats.recentOpportunities from the runner)
      await expect.poll(async () => { await c.reload(); return c.getByTestId('opportunity').count(); }, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await c.getByTestId('opportunity').first().textContent()).toMatch(/expected \$.*(taken|skipped)/);
      // positions it holds are valued by the bot (realized P&L only comes at resolution)
      expect(await c.getByTestId('pnl-marked').textContent()).toMatch(/values today at [-−]?\$[\d,.]+ including [1-9]\d* open position/);
      await shoot(c, '24-dashboard-bot-running');

      // a limit change reaches the running bot: the config page shows the version it applied
      await c.goto(`${stack.baseUrl}/settings/config`);
      await c.getByLabel('Max trade size (USD)').fill('30');
      await submit(c, 'Risk and strategies', 'Save configuration');
      const v = (await flows(stack).configRow(userC)).config_version;
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
    }
  });
});
