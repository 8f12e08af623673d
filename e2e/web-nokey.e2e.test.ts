// A paper-only user who hands over no key at all (issue 13, item 6): the wizard's platforms step lets them continue on
// paper without keys, and the real bot-manager (its own process; e2e/support/bot-manager.ts) runs their paper bot,
// which trades on the arb-rich simulator's public order books. Every state checked here was written by the manager.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { flows, launchChromium, newUserPage, onboard, startStack, type Stack } from '@polybot/web/testing';
import { startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';

let stack: Stack;
let browser: Browser;
let d: Page;
let manager: ManagerProcess | undefined;
let botSim: VenueSim | undefined;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  d = await newUserPage(browser);
});

afterAll(async () => {
  await manager?.stop();
  await botSim?.close();
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('a user with no key at all', () => {
  it('onboards on paper without keys, and their paper bot runs and trades', async () => {
    const f = flows(stack);
    const email = `dora-${Date.now()}@example.test`;
    // No key options: onboard() takes "Continue on paper without keys"; risk asks 0.1 % so arb-rich's opportunities qualify.
    const userD = await onboard(stack, d, email, { minProfitPct: '0.1' });
    expect(await f.step(userD)).toBe('done');
    const [keys] = await stack.db.sql<{ n: number }[]>`
      select count(*)::int as n from public.polybot_user_secrets where user_id = ${userD}`;
    expect(keys?.n).toBe(0);

    botSim = await startVenueSim({ scenario: 'arb-rich', port: 0, host: '127.0.0.1' });
    manager = await startManagerProcess({ databaseUrl: stack.db.url, sim: botSim });
    try {
      await d
        .getByTestId('bot-state')
        .filter({ hasText: /^Running$/ })
        .waitFor({ timeout: 90_000 });
      expect(await d.getByTestId('mode-badge').textContent()).toBe('PAPER — no real money');
      // a missing key is no problem on paper: nothing on the card says otherwise
      expect(await d.getByTestId('bot-problem').count()).toBe(0);
      expect((await d.getByTestId('bot-reason').allTextContents()).join(' ')).not.toMatch(/key/i);

      // a paper trade against the simulator's public books appears by itself
      const firstRow = d.locator('[data-trade-id]').first();
      await firstRow.waitFor({ timeout: 90_000 });
      const [trade] = await stack.db.sql<{ user_id: string; mode: string }[]>`
        select user_id, mode from public.polybot_trades where id = ${Number(await firstRow.getAttribute('data-trade-id'))}`;
      expect(trade).toEqual({ user_id: userD, mode: 'paper' });
      expect(await firstRow.locator('td').nth(5).textContent()).toBe('Paper');
    } finally {
      if (process.env.WEB_TEST_SHOW_LOG === '1') console.log(manager?.log());
    }
  }, 300_000);
});
