// Isolation between two users in Chromium: the second user sees none of the first user's data, the first user's
// ids are not found for them, and whatever the second user does leaves the first user's rows unchanged (checked in
// the database). Both users are made through the wizard's happy path (support/onboard.ts).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shoot } from './support/browser.ts';
import { flows, submit } from './support/flows.ts';
import { polymarketKey, registerKalshiKey } from './support/keys.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: Browser;
let a: Page;
let b: Page;
let f: ReturnType<typeof flows>;
let userA = '';
let userB = '';
const emailA = `alice-${Date.now()}@example.test`;
const emailB = `bob-${Date.now()}@example.test`;

beforeAll(async () => {
  stack = await startStack();
  f = flows(stack);
  browser = await launchChromium();
  a = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  b = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  userA = await onboard(stack, a, emailA, { kalshi: await registerKalshiKey(stack.sim.origin), polymarket: polymarketKey() });
  // A has a running bot with trades (the platform's writes, played by SQL) for B not to see.
  await stack.db.sql`
    insert into public.polybot_bot_status (user_id, state, mode, heartbeat_at, config_version, config_applied_at)
    values (${userA}, 'running', 'paper', now(), 1, now())
    on conflict (user_id) do update set state = 'running', heartbeat_at = now()`;
  await stack.db.sql`
    insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, outcome, side, strategy, mode,
                                       order_type, status, limit_price, price, size, filled_size, fee, notional_usd, realized_pnl_usd, executed_at)
    select ${userA}, 'coid-a-' || g, 'kalshi', 'MKT-' || g, 'INS-' || g, 'yes', 'buy',
           'single_platform', 'paper', 'FOK', 'filled', 0.45, 0.44, 10, 10, 0.02, 4.4, 0.5, now()
      from generate_series(1, 5) g`;
  userB = await onboard(stack, b, emailB, { kalshi: await registerKalshiKey(stack.sim.origin) });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('isolation between users in Chromium', () => {
  it('the second user sees none of the first user’s data, and ids of theirs are not found', async () => {
    await b.goto(`${stack.baseUrl}/dashboard`);
    await b.getByTestId('trades-empty').waitFor();
    expect(await b.locator('[data-trade-id]').count()).toBe(0);
    expect(await b.getByTestId('pnl-month').textContent()).toBe('$0.00');
    expect(await b.getByTestId('bot-state').textContent()).toBe('Stopped');
    const body = await b.content();
    expect(body).not.toContain(emailA);

    // A's trade ids → not found for B (and found for A)
    const tradeIds = await stack.db.sql<{ id: number }[]>`select id from public.polybot_trades where user_id = ${userA} order by id limit 3`;
    expect(tradeIds.length).toBe(3);
    for (const { id } of tradeIds) {
      const res = await b.goto(`${stack.baseUrl}/trades/${id}`);
      expect(res?.status()).toBe(404);
      await b.getByRole('heading', { name: 'Not found' }).waitFor();
    }
    await shoot(b, '15-not-found');
    const own = await a.goto(`${stack.baseUrl}/trades/${tradeIds[0]?.id ?? 0}`);
    expect(own?.status()).toBe(200);

    // B's status route returns B's status only
    const st = await b.request.get(`${stack.baseUrl}/api/status`);
    expect((await st.json()) as { state: string }).toMatchObject({ state: 'stopped' });
  });

  it('what the second user changes leaves the first user’s rows alone', async () => {
    // B deletes "kalshi paper": only B's own row goes; A's (same platform and mode) stay as they were
    const aBefore = await stack.db.sql`select platform, is_paper, key_hint, rotated_at from public.polybot_user_secrets where user_id = ${userA} order by platform`;
    expect(aBefore.length).toBe(2);
    await b.goto(`${stack.baseUrl}/settings/keys`);
    await b.getByText('Delete Kalshi paper keys').click();
    const del = b.getByRole('form', { name: 'Delete Kalshi paper keys' });
    await del.getByLabel('Type "delete" to confirm').fill('delete');
    await del.getByRole('button', { name: 'Delete keys' }).click();
    await b.getByText('Keys deleted: kalshi paper.').waitFor();
    expect(await f.secretCount(userB)).toBe(0);
    expect(await stack.db.sql`select platform, is_paper, key_hint, rotated_at from public.polybot_user_secrets where user_id = ${userA} order by platform`).toEqual(aBefore);
    // B's config change does not touch A's config
    const aCfg = await f.configRow(userA);
    await b.goto(`${stack.baseUrl}/settings/config`);
    await b.getByLabel('Max trade size (USD)').fill('7');
    await submit(b, 'Risk and strategies', 'Save configuration');
    await b.getByText(/Configuration version/).waitFor();
    expect(Number((await f.configRow(userB)).max_trade_size_usd)).toBe(7);
    expect(await f.configRow(userA)).toEqual(aCfg);
    await shoot(b, '17-config-second-user');
    await b.goto(`${stack.baseUrl}/settings/billing`);
    await shoot(b, '18-billing');
  });
});
