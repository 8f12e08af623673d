// The dashboard and settings in Chromium for one onboarded user (made through the wizard's happy path by
// support/onboard.ts): live bot status, P&L, trades with pagination and filters, a config change with bad input,
// pause/resume, key rotation and deletion, and dark mode. The platform's writes (status, trades) are played by SQL.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shoot } from './support/browser.ts';
import { fieldError, flows, forceFill, submit } from './support/flows.ts';
import { polymarketKey, registerKalshiKey, type KalshiKey } from './support/keys.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: Browser;
let a: Page;
let kalshiA: KalshiKey;
let f: ReturnType<typeof flows>;
let userA = '';

beforeAll(async () => {
  stack = await startStack();
  f = flows(stack);
  browser = await launchChromium();
  a = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  kalshiA = await registerKalshiKey(stack.sim.origin);
  userA = await onboard(stack, a, `alice-${Date.now()}@example.test`, { kalshi: kalshiA, polymarket: polymarketKey() });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('dashboard and settings in Chromium', () => {
  it('dashboard shows the bot status live, P&L, usage and trades', async () => {
    await a.getByTestId('bot-status').waitFor();
    expect(await a.getByTestId('mode-badge').textContent()).toContain('PAPER');
    expect(await a.getByTestId('bot-state').textContent()).toBe('Stopped');
    await a.getByTestId('trades-empty').waitFor();
    expect(await a.getByTestId('trades-empty').textContent()).toContain('No trades yet');
    await a.getByTestId('pnl-empty').waitFor();
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
    // filtered to nothing: says so (not "no trades yet") and offers the way back
    expect(await a.getByTestId('trades-empty').textContent()).toContain('No trades match these filters');
    await shoot(a, '10b-dashboard-filtered-empty');
    await a.getByRole('link', { name: 'Show all trades' }).click();
    await a.waitForURL((u) => u.pathname === '/dashboard' && u.search === '');
    expect(await a.locator('[data-trade-id]').count()).toBe(25);
    await stack.db.sql`update public.polybot_bot_status set state = 'error', last_error = 'kalshi: 401 authentication_error invalid signature' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.getByText('A venue rejected your keys').waitFor();
    await shoot(a, '11-dashboard-error');
    await stack.db.sql`update public.polybot_bot_status set state = 'running', last_error = null where user_id = ${userA}`;
    // A runner still on the plan before a change (its heartbeat names it) is shown as such until it restarts.
    await stack.db.sql`update public.polybot_bot_status set stats = stats || '{"plan_tier":"pro"}' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(await a.getByTestId('bot-plan').textContent()).toBe('Free plan · 100 trades/month · your bot still runs on Pro and restarts with it in a moment');
    await stack.db.sql`update public.polybot_bot_status set stats = stats || '{"plan_tier":"free"}' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(await a.getByTestId('bot-plan').textContent()).toBe('Free plan · 100 trades/month');
    // a trade of one's own opens
    const [first] = await stack.db.sql<{ id: number }[]>`select id from public.polybot_trades where user_id = ${userA} order by id limit 1`;
    const own = await a.goto(`${stack.baseUrl}/trades/${first?.id ?? 0}`);
    expect(own?.status()).toBe(200);
    await a.getByRole('heading', { name: `Trade #${first?.id}` }).waitFor();
    expect(await a.locator('dl').textContent()).toContain('Realized P&L$0.50');
    await shoot(a, '16-trade');
  });

  it('changes a limit (version bumps), with bad input refused', async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    const v0 = (await f.configRow(userA)).config_version;
    expect(Number(await a.getByTestId('saved-version').textContent())).toBe(v0);
    await forceFill(a, 'Risk and strategies', 'Max trade size (USD)', '100001');
    await forceFill(a, 'Risk and strategies', 'Minimum profit (%)', '-1');
    await submit(a, 'Risk and strategies', 'Save configuration');
    expect(await fieldError(a, 'max_trade_size_usd')).toContain('at most 100,000');
    expect(await fieldError(a, 'min_profit_pct')).toContain('at least 0');
    expect((await f.configRow(userA)).config_version).toBe(v0);
    await shoot(a, '12-config-errors');
    await a.reload();
    await a.getByLabel('Max trade size (USD)').fill('42');
    await submit(a, 'Risk and strategies', 'Save configuration');
    await a.getByText(`Configuration version ${v0 + 1}`).waitFor();
    const after = await f.configRow(userA);
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
    expect((await f.configRow(userA)).bot_enabled).toBe(false);
    await a.getByRole('button', { name: 'Resume bot' }).click();
    await a.getByRole('button', { name: 'Pause bot' }).waitFor();
    expect((await f.configRow(userA)).bot_enabled).toBe(true);
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
    expect(await f.secretCount(userA)).toBe(2);
    await del.getByLabel('Type "delete" to confirm').fill('delete');
    await del.getByRole('button', { name: 'Delete keys' }).click();
    await a.getByText('Keys deleted: polymarket paper.').waitFor();
    expect(await f.secretCount(userA)).toBe(1);
  });

  it('follows the system dark mode', async () => {
    await a.emulateMedia({ colorScheme: 'dark' });
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.locator('[data-trade-id]').first().waitFor();
    const bg = await a.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await shoot(a, '19-dashboard-dark');
    await a.goto(`${stack.baseUrl}/settings/config`);
    await shoot(a, '20-config-dark');
    await a.emulateMedia({ colorScheme: 'light' });
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(await a.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(bg);
  });
});
