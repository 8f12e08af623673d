// The dashboard and settings in Chromium for one onboarded user (made through the wizard's happy path by
// support/onboard.ts): live bot status, P&L, trades with pagination and filters (venue, strategy, mode), a config
// change with out-of-range, empty and malformed input and with form fields edited in the page (live trading and a
// strategy the plan lacks, an unknown mode, pause/resume asking "maybe"), key rotation and deletion, the loading and
// error pages, and dark mode. The platform's writes (status, trades) are played by SQL.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserPage, shoot } from './support/browser.ts';
import { fieldError, flows, forceFill, hydrated, submit, submitTampered } from './support/flows.ts';
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
  a = await newUserPage(browser);
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
             case when g % 3 = 0 then 'cross_platform' else 'single_platform' end, 'paper', 'FOK', 'filled', 0.45, 0.44, 10, 10, 0.02, 4.4, 0.5, now()
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
    // the strategy filter, through the form: every row shown is of that strategy, and with the venue it narrows further
    await a.goto(`${stack.baseUrl}/dashboard`);
    const filter = a.getByRole('form', { name: 'Filter trades' });
    await filter.getByLabel('Strategy').selectOption('cross_platform');
    await filter.getByRole('button', { name: 'Filter' }).click();
    await a.waitForURL((u) => u.searchParams.get('strategy') === 'cross_platform');
    await a.locator('[data-trade-id]').first().waitFor();
    const strategies = async () =>
      (await a.locator('[data-trade-id] td:nth-child(5)').allTextContents()).map((t) => t.trim());
    expect(await strategies()).toEqual(Array(10).fill('Cross-platform'));
    expect(await filter.getByLabel('Strategy').inputValue()).toBe('cross_platform');
    await shoot(a, '10c-dashboard-strategy-filter');
    await filter.getByLabel('Venue').selectOption('kalshi');
    await filter.getByRole('button', { name: 'Filter' }).click();
    await a.waitForURL(
      (u) => u.searchParams.get('platform') === 'kalshi' && u.searchParams.get('strategy') === 'cross_platform',
    );
    await expect.poll(() => a.locator('[data-trade-id]').count()).toBe(5);
    expect(await strategies()).toEqual(Array(5).fill('Cross-platform'));
    // an unknown strategy in the URL (a stale bookmark) is dropped, not an error
    await a.goto(`${stack.baseUrl}/dashboard?strategy=bogus`);
    expect(await a.locator('[data-trade-id]').count()).toBe(25);
    await a.goto(`${stack.baseUrl}/dashboard?mode=live`);
    // filtered to nothing: says so (not "no trades yet") and offers the way back
    expect(await a.getByTestId('trades-empty').textContent()).toContain('No trades match these filters');
    await shoot(a, '10b-dashboard-filtered-empty');
    await a.getByRole('link', { name: 'Show all trades' }).click();
    await a.waitForURL((u) => u.pathname === '/dashboard' && u.search === '');
    expect(await a.locator('[data-trade-id]').count()).toBe(25);
    // as the runner reports a rejected key: the words, and the code the dashboard explains
    await stack.db
      .sql`update public.polybot_bot_status set state = 'error', last_error = 'kalshi: 401 authentication_error invalid signature', error_code = 'keys_rejected' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.getByText('A venue rejected your keys').waitFor();
    await shoot(a, '11-dashboard-error');
    await stack.db
      .sql`update public.polybot_bot_status set state = 'running', last_error = null, error_code = null where user_id = ${userA}`;
    // As the runner reports a running bot that cannot trade (blocked.ts): its words, and what to do chosen by the code.
    await stack.db.sql`update public.polybot_bot_status set state = 'running', halt_code = 'max_positions_reached',
        halt_reason = 'max open positions reached (2 of 2): no new positions' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.getByTestId('bot-advice').waitFor();
    expect(await a.getByTestId('bot-reason').textContent()).toBe(
      ' — max open positions reached (2 of 2): no new positions',
    );
    expect(await a.getByTestId('bot-advice').textContent()).toBe(
      'Wait until a position closes, or raise Max open positions in Settings. Open Settings → Config',
    );
    expect(await a.getByTestId('bot-advice').getByRole('link').getAttribute('href')).toBe('/settings/config');
    // Every opportunity not taken says why, in the runner's words (BotOpportunity.skip_code and skip_reason).
    const opportunities = [
      { acted: true, skip_code: null, skip_reason: null },
      {
        acted: false,
        skip_code: 'max_positions',
        skip_reason: 'would open 2 new positions with 2 of 2 open',
      },
    ].map((o, i) => ({
      strategy: 'single_platform',
      description: `Basket ${i + 1}`,
      expected_profit_usd: 0.5,
      detected_at_ms: 1_000 + i,
      ...o,
    }));
    await stack.db.sql`update public.polybot_bot_status
        set stats = stats || ${stack.db.sql.json({ recent_opportunities: opportunities })} where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.getByTestId('opportunity').nth(1).waitFor();
    expect(await a.getByTestId('opportunity').allTextContents()).toEqual([
      'Single-platform: Basket 1 (expected $0.50) — taken',
      'Single-platform: Basket 2 (expected $0.50) — skipped: would open 2 new positions with 2 of 2 open',
    ]);
    await shoot(a, '11b-dashboard-max-positions');
    await stack.db
      .sql`update public.polybot_bot_status set halt_code = null, halt_reason = null where user_id = ${userA}`;
    // A runner still on the plan before a change (its heartbeat names it) is shown as such until it restarts.
    await stack.db
      .sql`update public.polybot_bot_status set stats = stats || '{"plan_tier":"pro"}' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(await a.getByTestId('bot-plan').textContent()).toBe(
      'Free plan · 100 trades/month · your bot still runs on Pro and restarts with it in a moment',
    );
    await stack.db
      .sql`update public.polybot_bot_status set stats = stats || '{"plan_tier":"free"}' where user_id = ${userA}`;
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(await a.getByTestId('bot-plan').textContent()).toBe('Free plan · 100 trades/month · your bot runs on it');
    // a trade of one's own opens
    const [first] = await stack.db.sql<
      { id: number }[]
    >`select id from public.polybot_trades where user_id = ${userA} order by id limit 1`;
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
    // empty and malformed values: each at its field, nothing saved
    const before = await f.configRow(userA);
    await a.reload();
    await forceFill(a, 'Risk and strategies', 'Max trade size (USD)', '');
    await forceFill(a, 'Risk and strategies', 'Minimum profit (%)', '12abc');
    await forceFill(a, 'Risk and strategies', 'Max open positions', '2.5');
    await forceFill(a, 'Risk and strategies', 'Max daily loss (USD)', '1e');
    await submit(a, 'Risk and strategies', 'Save configuration');
    expect(await fieldError(a, 'max_trade_size_usd')).toBe('Max trade size (USD) must be a number');
    expect(await fieldError(a, 'min_profit_pct')).toBe('Minimum profit (%) must be a number');
    expect(await fieldError(a, 'max_open_positions')).toBe('Max open positions must be a whole number');
    expect(await fieldError(a, 'max_daily_loss_usd')).toBe('Max daily loss (USD) must be a number');
    expect(await f.configRow(userA)).toEqual(before);

    // fields the page does not offer, switched on by editing it: live trading and a strategy outside the plan (Free)
    const planColumns = () =>
      stack.db
        .sql`select dry_run, enable_copy_trading, config_version::int as v from public.polybot_user_config where user_id = ${userA}`.then(
        (r) => r[0],
      );
    const planBefore = await planColumns();
    expect(planBefore).toMatchObject({ dry_run: true, enable_copy_trading: false });
    await a.reload();
    await hydrated(a, 'Risk and strategies');
    const risk = a.getByRole('form', { name: 'Risk and strategies' });
    const live = risk.getByRole('radio', { name: /Live trading/ });
    expect(await live.isDisabled()).toBe(true);
    await live.evaluate((el) => el.removeAttribute('disabled'));
    await live.check();
    const copy = risk.getByLabel('Copy trading');
    await copy.evaluate((el) => el.removeAttribute('disabled'));
    await copy.check();
    await submit(a, 'Risk and strategies', 'Save configuration');
    expect(await fieldError(a, 'trading_mode')).toBe('Live trading needs a paid plan. Paper trading stays available.');
    expect(await fieldError(a, 'enable_copy_trading')).toBe(
      'Your plan does not include this strategy. Upgrade on the billing page.',
    );
    expect(await risk.getByRole('alert').textContent()).toBe('Some settings are not available on your plan.');
    expect(await planColumns()).toEqual(planBefore);
    // a mode that is neither paper nor live is refused, not read as paper
    await a.reload();
    await submitTampered(a, 'Risk and strategies', 'Save configuration', { trading_mode: 'maybe' });
    expect(await fieldError(a, 'trading_mode')).toBe('Choose paper or live trading');
    expect(await f.configRow(userA)).toEqual(before);

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

  it('pauses and resumes the bot; a pause form asking "maybe" changes nothing', async () => {
    await a.goto(`${stack.baseUrl}/dashboard`);
    const cfg = await f.configRow(userA);
    await submitTampered(a, 'Pause bot', 'Pause bot', { bot_enabled: 'maybe' });
    expect(await fieldError(a, 'bot_enabled')).toBe('Choose pause or resume');
    expect(await f.configRow(userA)).toEqual(cfg);
    await a.reload();
    await a.getByRole('button', { name: 'Pause bot' }).click();
    await a.getByRole('button', { name: 'Resume bot' }).waitFor();
    expect((await f.configRow(userA)).bot_enabled).toBe(false);
    await a.getByRole('button', { name: 'Resume bot' }).click();
    await a.getByRole('button', { name: 'Pause bot' }).waitFor();
    expect((await f.configRow(userA)).bot_enabled).toBe(true);
  });

  it("too many pauses and resumes: the database's refusal is shown as it is, and nothing changes", async () => {
    // The window's toggles already made (migration 20261207000610 allows 6 in 10 minutes), as the trigger records them.
    await stack.db.sql`delete from private.bot_toggles where user_id = ${userA}`;
    await stack.db.sql`insert into private.bot_toggles (user_id) select ${userA} from generate_series(1, 6)`;
    try {
      await a.goto(`${stack.baseUrl}/dashboard`);
      await hydrated(a, 'Pause bot');
      const cfg = await f.configRow(userA);
      await submit(a, 'Pause bot', 'Pause bot');
      expect(await a.getByRole('form', { name: 'Pause bot' }).getByRole('alert').textContent()).toContain(
        'You paused or resumed your bot 6 times in the last 10 minutes, the most allowed: each time restarts it. Try again in 10 minutes.',
      );
      expect(await f.configRow(userA)).toEqual(cfg);
    } finally {
      await stack.db.sql`delete from private.bot_toggles where user_id = ${userA}`;
    }
  });

  it('rotates a key and deletes one with confirmation', async () => {
    await a.goto(`${stack.baseUrl}/settings/keys`);
    await shoot(a, '14-keys');
    const kalshi = a.getByRole('form', { name: 'Kalshi keys' });
    await kalshi.getByLabel('Kalshi API key id').fill(kalshiA.keyId);
    await kalshi.getByLabel('Kalshi private key (PEM)').fill(kalshiA.privatePem);
    await submit(a, 'Kalshi keys', 'Check and save');
    await a.getByText(/Kalshi paper keys rotated/).waitFor();
    const rotated = await stack.db
      .sql`select rotated_at from public.polybot_user_secrets where user_id = ${userA} and platform = 'kalshi'`;
    expect(rotated[0]?.rotated_at).toBeInstanceOf(Date);
    await shoot(a, '14b-keys-rotated');
    await a.reload();
    await a.getByText('Delete Polymarket paper keys').click();
    const del = a.getByRole('form', { name: 'Delete Polymarket paper keys' });
    await del.getByLabel('Type "delete" to confirm').fill('nope');
    await submit(a, 'Delete Polymarket paper keys', 'Delete keys');
    expect(await fieldError(a, 'confirm')).toContain('Type delete');
    expect(await f.secretCount(userA)).toBe(2);
    await del.getByLabel('Type "delete" to confirm').fill('delete');
    await del.getByRole('button', { name: 'Delete keys' }).click();
    await a.getByText('Polymarket paper keys deleted. Your bot stops using them within seconds.').waitFor();
    expect(await f.secretCount(userA)).toBe(1);
    expect(await a.locator('[data-key]').count()).toBe(1);
    await shoot(a, '14c-keys-deleted');
  });

  it('shows a loading state while the dashboard waits for its data', async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    // The menu's links prefetch their pages' loading states; let them land before the data is held up.
    await a.waitForLoadState('networkidle');
    // Hold the dashboard's trades query behind a table lock, navigate there, and look at the page meanwhile.
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    let locked = (): void => undefined;
    const isLocked = new Promise<void>((r) => (locked = r));
    const tx = stack.db.sql.begin(async (t) => {
      await t`lock table public.polybot_trades in access exclusive mode`;
      locked();
      await held;
    });
    try {
      await isLocked;
      await a.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await a.locator('[aria-busy="true"][aria-label="Loading"]').waitFor();
      expect(await a.locator('[data-trade-id]').count()).toBe(0);
      await shoot(a, '09b-dashboard-loading');
    } finally {
      release();
      await tx;
    }
    await a.waitForURL('**/dashboard');
    await a.locator('[data-trade-id]').first().waitFor();
    expect(await a.locator('[aria-label="Loading"]').count()).toBe(0);
  });

  it('a server error shows the error page, and "Try again" recovers once the cause is gone', async () => {
    // A real failure: the database refuses the dashboard's read (the grant is taken away for a moment).
    await stack.db.sql`revoke select on public.polybot_trades from authenticated`;
    try {
      await a.goto(`${stack.baseUrl}/dashboard`);
      await a.getByRole('heading', { name: 'Something went wrong' }).waitFor();
      expect(await a.getByTestId('error-reference').textContent()).toMatch(/^Reference: \S+$/);
      expect(await a.locator('[data-trade-id]').count()).toBe(0);
      // the menu stays, so the user can go elsewhere
      await a.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).waitFor();
      await shoot(a, '15b-error');
    } finally {
      await stack.db.sql`grant select on public.polybot_trades to authenticated`;
    }
    await a.getByRole('button', { name: 'Try again' }).click();
    await a.locator('[data-trade-id]').first().waitFor({ timeout: 30_000 });
    expect(new URL(a.url()).pathname).toBe('/dashboard');
    // and a page that does not exist says so, with the way back
    const res = await a.goto(`${stack.baseUrl}/no-such-page`);
    expect(res?.status()).toBe(404);
    await a.getByRole('heading', { name: 'Not found' }).waitFor();
    await a.getByRole('link', { name: 'Go to your dashboard' }).waitFor();
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
