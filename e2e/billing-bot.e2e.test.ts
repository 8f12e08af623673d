// Billing reaching the bot, end to end with real parts: the real `stripe` SDK and the emulator's hosted pages, signed
// webhooks applied by the real edge function (`deno serve`), Postgres with its plan-limit trigger and NOTIFY, and the
// real bot-manager process (spawned as in production) running paper runners against the simulated Polymarket.
// The cases share one stack, one manager and one emulator clock, so they run in order.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { polymarketFactory, startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { createCheckoutSession, createPortalSession } from '@polybot/billing';
import { startBillingStack, type BillingStack } from '@polybot/billing/testing';
import { alive, startCountingProxy, type CountingProxy } from '@polybot/local-stack/testing';
import { botStatus, createBotUser, startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';

const DAY = 86_400_000;
// arb-rich's followed wallet: it buys Fed "No change" YES at once and BTC Up after 30 s (scenario time = wall clock).
const WALLET = '0x9fb96c5cf2027d0ce8e0e92fc30b52e81f001866';

let stack: BillingStack;
let sim: VenueSim;
let proxy: CountingProxy;
let manager: ManagerProcess | undefined;

beforeAll(async () => {
  stack = await startBillingStack();
  sim = await startVenueSim({ scenario: 'arb-rich', port: 0, host: '127.0.0.1', venues: [polymarketFactory] });
  proxy = await startCountingProxy(sim.origin);
  manager = await startManagerProcess({ databaseUrl: stack.db.url, sim, dataApiUrl: `${proxy.origin}/data-api` });
});

afterAll(async () => {
  if (process.env.BILLING_TEST_SHOW_LOG === '1') console.log(manager?.log());
  await manager?.stop();
  await Promise.allSettled([proxy?.close(), sim?.close()]);
  await stack?.stop();
});

interface Plan {
  subscription_tier: string;
  subscription_status: string;
  subscription_expires_at: Date | null;
  monthly_trade_limit: number;
  max_trade_size_usd: string;
  features_enabled: Record<string, boolean>;
}

async function planOf(userId: string): Promise<Plan> {
  const [row] = await stack.db.sql<Plan[]>`
    select subscription_tier, subscription_status, subscription_expires_at, monthly_trade_limit,
           max_trade_size_usd::text, features_enabled
      from public.polybot_user_profiles where id = ${userId}`;
  if (!row) throw new Error('no profile');
  return row;
}

/** Checkout for `tier` paid with 4242 on the hosted page; resolves once the webhooks have been applied. */
async function subscribe(userId: string, tier: 'basic' | 'pro'): Promise<{ customerId: string; subId: string }> {
  const session = await createCheckoutSession(stack.deps, {
    userId,
    tier,
    successUrl: 'http://app.test/billing?checkout=success',
    cancelUrl: 'http://app.test/billing?checkout=cancelled',
  });
  const res = await fetch(session.url, {
    method: 'POST',
    body: new URLSearchParams({ card: '4242 4242 4242 4242' }),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  await stack.emulator.webhooksIdle();
  expect((await planOf(userId)).subscription_tier).toBe(tier);
  const subId = (await stack.stripe.checkout.sessions.retrieve(session.id)).subscription;
  return { customerId: session.customerId, subId: typeof subId === 'string' ? subId : (subId?.id ?? '') };
}

/** The runner heartbeats `n` more times (status rows written by the manager on each beat). */
async function heartbeats(userId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const mark = (await botStatus(stack.db.sql, userId)).heartbeat_at?.getTime();
    await expect
      .poll(async () => (await botStatus(stack.db.sql, userId)).heartbeat_at?.getTime(), {
        timeout: 30_000,
        interval: 50,
      })
      .not.toBe(mark);
  }
}

/** Waits for a running runner that started on `tier` (the plan the manager handed it, reported in its status). */
async function runningOn(userId: string, tier: string, notPid?: number): Promise<{ pid: number; startedAt: number }> {
  await expect
    .poll(
      async () => {
        const s = await botStatus(stack.db.sql, userId);
        return s.state === 'running' && s.pid !== null && s.pid !== notPid && s.stats?.plan_tier === tier;
      },
      { timeout: 120_000, interval: 100 },
    )
    .toBe(true);
  const s = await botStatus(stack.db.sql, userId);
  return { pid: s.pid ?? 0, startedAt: s.started_at?.getTime() ?? 0 };
}

const walletPolls = (): number =>
  proxy.urls.filter((u) => u.startsWith('GET /data-api/trades?') && u.toLowerCase().includes(`user=${WALLET}`)).length;
const copyTrades = async (userId: string): Promise<number> =>
  (
    await stack.db.sql<
      { n: number }[]
    >`select count(*)::int as n from public.polybot_trades where user_id = ${userId} and strategy = 'copy_trading'`
  )[0]?.n ?? 0;

test('downgrade Pro → Basic in the portal: Basic limits at once (NOTIFY), the runner restarts on Basic and copy trading (Pro only) stops', async () => {
  const userId = await createBotUser(stack.db.sql, stack.createUser, {
    enable_copy_trading: true,
    enable_single_platform_arb: false,
    enable_cross_platform_arb: false,
    enable_overlapping_arb: false,
    enable_news_arbitrage: false,
    advanced_config: stack.db.sql.json({
      newsRules: [],
      followedWallets: [{ address: WALLET, scale: 0.5, maxPerTradeUsd: 10 }],
    }),
  });
  const { subId } = await subscribe(userId, 'pro');
  const pro = await runningOn(userId, 'pro');
  // On Pro the strategy is in effect: the manager polls the followed wallet for this runner, which mirrors its buy.
  await expect.poll(() => copyTrades(userId), { timeout: 120_000, interval: 200 }).toBeGreaterThan(0);
  const polledOnPro = walletPolls();
  await heartbeats(userId, 10);
  expect(walletPolls()).toBeGreaterThan(polledOnPro);
  const periodEnd = (await planOf(userId)).subscription_expires_at;

  const notified: string[] = [];
  const listener = await stack.db.sql.listen('polybot_user_changed', (payload) => {
    if ((JSON.parse(payload) as { user_id?: string }).user_id === userId) notified.push(payload);
  });
  try {
    const portal = await createPortalSession(stack.deps, { userId, returnUrl: 'http://app.test/billing' });
    const res = await fetch(portal.url, {
      method: 'POST',
      body: new URLSearchParams({ subscription: subId, action: 'switch', price: stack.prices.basic }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    await stack.emulator.webhooksIdle();
    // Policy (docs/BILLING.md): a plan switch applies at once — Basic's limits and features, same billing period.
    const basic = await planOf(userId);
    expect(basic).toMatchObject({
      subscription_tier: 'basic',
      subscription_status: 'active',
      monthly_trade_limit: 1000,
      max_trade_size_usd: '250.00',
      features_enabled: {
        single_platform: true,
        cross_platform: true,
        news_arbitrage: true,
        overlapping_arb: false,
        copy_trading: false,
      },
    });
    expect(basic.subscription_expires_at).toEqual(periodEnd);
    expect((await stack.stripe.subscriptions.retrieve(subId)).items.data[0]?.price.id).toBe(stack.prices.basic);
    await expect.poll(() => notified.length, { timeout: 15_000 }).toBeGreaterThan(0);
  } finally {
    await listener.unlisten();
  }

  // The manager restarts the runner on the new plan: a new process, started later, reporting Basic's limit.
  const onBasic = await runningOn(userId, 'basic', pro.pid);
  expect(onBasic.startedAt).toBeGreaterThan(pro.startedAt);
  expect((await botStatus(stack.db.sql, userId)).stats?.plan_monthly_trade_limit).toBe(1000);
  expect(alive(pro.pid)).toBe(false);
  // Copy trading is no longer in effect: nobody polls the wallet for this user any more, and nothing more is copied.
  await heartbeats(userId, 2);
  const [polls, copies] = [walletPolls(), await copyTrades(userId)];
  await heartbeats(userId, 10);
  expect(walletPolls()).toBe(polls);
  expect(await copyTrades(userId)).toBe(copies);
}, 400_000);

test('failed renewal: past_due keeps the bot running; unpaid stops it (no process); paying the invoice starts it again', async () => {
  const userId = await createBotUser(stack.db.sql, stack.createUser, {});
  const { customerId, subId } = await subscribe(userId, 'basic');
  const first = await runningOn(userId, 'basic');

  // The customer's card now fails (Stripe's pm_card_chargeCustomerFail as the default payment method).
  const failing = await stack.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customerId });
  await stack.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: failing.id } });
  const end = (await planOf(userId)).subscription_expires_at?.getTime() ?? 0;
  await stack.emulator.advanceClock(end - stack.emulator.store.now() * 1000 + DAY);
  await stack.emulator.webhooksIdle();
  expect((await stack.stripe.subscriptions.retrieve(subId)).status).toBe('past_due');
  expect(await planOf(userId)).toMatchObject({
    subscription_tier: 'basic',
    subscription_status: 'past_due',
    monthly_trade_limit: 1000,
  });
  // Grace period: the same runner keeps trading through the manager's reaction to the change (NOTIFY, debounce)
  // and a periodic reconcile (every 2 s here; 10 beats of 200 ms outlast it).
  await heartbeats(userId, 12);
  expect(await botStatus(stack.db.sql, userId)).toMatchObject({ state: 'running', pid: first.pid });
  expect(alive(first.pid)).toBe(true);

  // The next renewal fails too: Stripe marks the subscription unpaid, and the bot stops.
  await stack.emulator.advanceClock(32 * DAY);
  await stack.emulator.webhooksIdle();
  expect((await stack.stripe.subscriptions.retrieve(subId)).status).toBe('unpaid');
  expect(await planOf(userId)).toMatchObject({ subscription_tier: 'basic', subscription_status: 'unpaid' });
  await expect
    .poll(
      async () => {
        const s = await botStatus(stack.db.sql, userId);
        return [s.state, s.pid];
      },
      { timeout: 60_000, interval: 100 },
    )
    .toEqual(['stopped', null]);
  expect(alive(first.pid)).toBe(false);

  // The user pays the open invoice on its hosted page (the link their payment history shows).
  const invoiceId = (await stack.stripe.subscriptions.retrieve(subId)).latest_invoice;
  const invoice = await stack.stripe.invoices.retrieve(
    typeof invoiceId === 'string' ? invoiceId : (invoiceId?.id ?? ''),
  );
  expect(invoice.status).toBe('open');
  const paid = await fetch(invoice.hosted_invoice_url ?? '', {
    method: 'POST',
    body: new URLSearchParams({ card: '4242 4242 4242 4242' }),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
  await stack.emulator.webhooksIdle();
  expect(await planOf(userId)).toMatchObject({ subscription_tier: 'basic', subscription_status: 'active' });
  const again = await runningOn(userId, 'basic', first.pid);
  expect(again.startedAt).toBeGreaterThan(first.startedAt);
  expect(alive(again.pid)).toBe(true);
}, 400_000);
