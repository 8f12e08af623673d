// Isolation between two users in Chromium: the second user sees none of the first user's data, the first user's
// ids are not found for them (a trade's page, the trades list's `before=` cursor), and whatever the second user does
// — delete keys, save config, pause and resume, start a Checkout — leaves the first user's rows unchanged (checked in
// the database), also with the first user's id slipped into the form. Both users are made through the wizard's happy
// path (support/onboard.ts). The web runs as its polybot_web login throughout, as in production.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserPage, shoot } from './support/browser.ts';
import { flows, hydrated, submit } from './support/flows.ts';
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
  a = await newUserPage(browser);
  b = await newUserPage(browser);
  userA = await onboard(stack, a, emailA, {
    kalshi: await registerKalshiKey(stack.sim.origin),
    polymarket: polymarketKey(),
  });
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
    const tradeIds = await stack.db.sql<
      { id: number }[]
    >`select id from public.polybot_trades where user_id = ${userA} order by id limit 3`;
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
    const aBefore = await stack.db
      .sql`select platform, is_paper, key_hint, rotated_at from public.polybot_user_secrets where user_id = ${userA} order by platform`;
    expect(aBefore.length).toBe(2);
    await b.goto(`${stack.baseUrl}/settings/keys`);
    await b.getByText('Delete Kalshi paper keys').click();
    const del = b.getByRole('form', { name: 'Delete Kalshi paper keys' });
    await del.getByLabel('Type "delete" to confirm').fill('delete');
    await del.getByRole('button', { name: 'Delete keys' }).click();
    await b.getByText('Kalshi paper keys deleted. Your bot stops using them within seconds.').waitFor();
    expect(await f.secretCount(userB)).toBe(0);
    expect(
      await stack.db
        .sql`select platform, is_paper, key_hint, rotated_at from public.polybot_user_secrets where user_id = ${userA} order by platform`,
    ).toEqual(aBefore);
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

  it('the trades list’s cursor, pause/resume and Checkout, pointed at the first user, reveal and change nothing of theirs', async () => {
    // B's own trades, made after A's (so A's trades have the lower ids a `before=` cursor reaches down to)
    await stack.db.sql`
      insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, outcome, side, strategy, mode,
                                         order_type, status, limit_price, price, size, filled_size, fee, notional_usd, realized_pnl_usd, executed_at)
      select ${userB}, 'coid-b-' || g, 'kalshi', 'BOB-' || g, 'BINS-' || g, 'yes', 'buy',
             'single_platform', 'paper', 'FOK', 'filled', 0.45, 0.44, 10, 10, 0.02, 4.4, 0.5, now()
        from generate_series(1, 3) g`;
    const aIds = (
      await stack.db.sql<
        { id: number }[]
      >`select id::int as id from public.polybot_trades where user_id = ${userA} order by id`
    ).map((r) => r.id);
    const bIds = (
      await stack.db.sql<
        { id: number }[]
      >`select id::int as id from public.polybot_trades where user_id = ${userB} order by id`
    ).map((r) => r.id);
    expect(Math.min(...bIds)).toBeGreaterThan(Math.max(...aIds));
    const shownIds = async () =>
      (
        await b
          .locator('[data-trade-id]')
          .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-trade-id'))))
      ).sort((x, y) => x - y);
    // before = one of A's ids: nothing of A's below it
    for (const id of [Math.max(...aIds), Math.min(...aIds) + 1]) {
      const res = await b.goto(`${stack.baseUrl}/dashboard?before=${id}`);
      expect(res?.status()).toBe(200);
      await b.getByTestId('trades-empty').waitFor();
      expect(await b.getByTestId('trades-empty').textContent()).toContain('No trades match here');
      expect(await shownIds()).toEqual([]);
    }
    // before = above everyone's ids: B's own three, none of A's lower ones
    await b.goto(`${stack.baseUrl}/dashboard?before=${Math.max(...bIds) + 1}`);
    await b.locator('[data-trade-id]').first().waitFor();
    expect(await shownIds()).toEqual(bIds);
    expect(await b.content()).not.toMatch(/MKT-\d|coid-a-/);

    // B pauses and resumes (once with A's id slipped into the form): A's config row does not move
    const aCfg = await f.configRow(userA);
    const bCfg = await f.configRow(userB);
    await b.goto(`${stack.baseUrl}/dashboard`);
    // Inputs added to a hydrated form stay: React leaves DOM it did not render alone.
    const slipIn = async (form: string) => {
      await hydrated(b, form);
      await b.getByRole('form', { name: form }).evaluate((el, id) => {
        for (const name of ['user_id', 'userId', 'id']) {
          const input = document.createElement('input');
          Object.assign(input, { type: 'hidden', name, value: id });
          el.appendChild(input);
        }
      }, userA);
    };
    // the first user's id really travels with the form
    const sent = () =>
      b.waitForRequest((r) => r.method() === 'POST' && (r.postData() ?? '').includes(userA), { timeout: 15_000 });
    await slipIn('Pause bot');
    const pausePosted = sent();
    await b.getByRole('button', { name: 'Pause bot' }).click();
    await pausePosted;
    await b.getByRole('button', { name: 'Resume bot' }).waitFor();
    expect(await f.configRow(userB)).toMatchObject({ bot_enabled: false, config_version: bCfg.config_version + 1 });
    expect(await f.configRow(userA)).toEqual(aCfg);
    await b.getByRole('button', { name: 'Resume bot' }).click();
    await b.getByRole('button', { name: 'Pause bot' }).waitFor();
    expect(await f.configRow(userB)).toMatchObject({ bot_enabled: true, config_version: bCfg.config_version + 2 });
    expect(await f.configRow(userA)).toEqual(aCfg);

    // B's config form with A's id slipped in saves B's row only
    await b.goto(`${stack.baseUrl}/settings/config`);
    await b.getByLabel('Max trade size (USD)').fill('9');
    await slipIn('Risk and strategies');
    const configPosted = sent();
    await submit(b, 'Risk and strategies', 'Save configuration');
    await configPosted;
    await b.getByText(/Configuration version/).waitFor();
    expect(Number((await f.configRow(userB)).max_trade_size_usd)).toBe(9);
    expect(await f.configRow(userA)).toEqual(aCfg);

    // B starts a Checkout with A's id slipped in: the session is B's (client_reference_id), A gets no Stripe customer
    const billingOf = (id: string) =>
      stack.db
        .sql`select subscription_tier, stripe_customer_id from public.polybot_user_profiles where id = ${id}`.then(
        (r) => r[0],
      );
    const aBilling = await billingOf(userA);
    await b.goto(`${stack.baseUrl}/settings/billing`);
    await slipIn('Upgrade to Basic');
    const checkoutPosted = sent();
    await b.getByRole('button', { name: 'Upgrade to Basic' }).click();
    await checkoutPosted;
    const emulator = new URL(stack.billing.env.STRIPE_API_BASE ?? 'http://stripe-not-configured').origin;
    await b.waitForURL((u) => u.origin === emulator && u.pathname.startsWith('/c/pay/'));
    const sessionId = new URL(b.url()).pathname.split('/').pop() ?? '';
    const session = await fetch(`${stack.billing.env.STRIPE_API_BASE}/v1/checkout/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${stack.billing.env.STRIPE_SECRET_KEY}` },
    });
    expect(session.status).toBe(200);
    const body = (await session.json()) as { client_reference_id: string; customer: string };
    expect(body.client_reference_id).toBe(userB);
    expect(body.customer).toBe((await billingOf(userB))?.stripe_customer_id);
    expect(await billingOf(userA)).toEqual(aBilling);
    expect(aBilling?.stripe_customer_id).toBeNull();
  });

  it('the web server connects as its least-privilege login, never as postgres (docs/SECURITY.md §1.1)', async () => {
    // Every page above ran on the web's pool: its connections are the ones named polybot-web (src/lib/db.ts).
    const rows = await stack.db.sql<{ usename: string }[]>`
      select distinct usename from pg_stat_activity where application_name = 'polybot-web'`;
    expect(rows.map((r) => r.usename)).toEqual(['polybot_web_local']);
  });
});
