// Billing in the browser tests: a free user onboarded through the UI (onboard.ts), the emulator's hosted Checkout
// and Portal pages driven like a person would, the emulator's test clock (over its HTTP API, as any client would
// reach it), and the billing columns read back from the database.
import type { ProfileBillingColumns } from '@polybot/billing/testing/rows';
import type { Page } from 'playwright-core';
import { polymarketKey } from './keys.ts';
import { onboard } from './onboard.ts';
import type { Stack } from './stack.ts';

export const CARDS = { pays: '4242 4242 4242 4242', declines: '4000 0000 0000 0002' } as const;
export const DAY_MS = 86_400_000;

export interface BillingRow extends ProfileBillingColumns {
  max_trade_size_usd: string;
}

export interface BotRow {
  state: string;
  pid: number | null;
  started_at: Date | null;
  config_version: number | null;
}

export function billingFlows(stack: Stack) {
  const sql = stack.db.sql;
  const emulatorOrigin = new URL(stack.billing.env.STRIPE_API_BASE ?? 'http://stripe-not-configured').origin;
  return {
    emulatorOrigin,
    /** A user on Free with a Polymarket paper key, asking 0.1 % so arb-rich's opportunities qualify. */
    onboardFree(page: Page, email: string): Promise<string> {
      return onboard(stack, page, email, { polymarket: polymarketKey(), minProfitPct: '0.1' });
    },
    /** From the billing page to the emulator's hosted Checkout for `plan` (display name). */
    async openCheckout(page: Page, plan: string): Promise<void> {
      await page.goto(`${stack.baseUrl}/settings/billing`);
      await page.getByRole('button', { name: `Upgrade to ${plan}` }).click();
      await page.waitForURL((u) => u.origin === emulatorOrigin && u.pathname.startsWith('/c/pay/'));
    },
    /** Types the card number on the hosted Checkout page and presses Subscribe (no wait: callers know what follows). */
    async pay(page: Page, card: string): Promise<void> {
      await page.getByLabel('Card number').fill(card);
      await page.getByRole('button', { name: 'Subscribe' }).click();
    },
    async billingRow(id: string): Promise<BillingRow> {
      const [row] = await sql<BillingRow[]>`
        select subscription_tier, subscription_status, subscription_expires_at, subscription_cancel_at_period_end,
               stripe_customer_id, stripe_subscription_id, monthly_trade_limit, max_trade_size_usd::text
          from public.polybot_user_profiles where id = ${id}`;
      if (!row) throw new Error(`no profile ${id}`);
      return row;
    },
    async botRow(id: string): Promise<BotRow | undefined> {
      const [row] = await sql<
        BotRow[]
      >`select state, pid, started_at, config_version::int as config_version from public.polybot_bot_status where user_id = ${id}`;
      return row;
    },
    async eventCount(id: string): Promise<number> {
      const [row] = await sql<
        { n: number }[]
      >`select count(*)::int as n from public.polybot_stripe_events where user_id = ${id}`;
      return row?.n ?? 0;
    },
    /** The customer's subscriptions in any status, asked of "Stripe" (the emulator) over its API. */
    async stripeSubscriptionCount(customer: string): Promise<number> {
      const res = await fetch(`${stack.billing.env.STRIPE_API_BASE}/v1/subscriptions?customer=${customer}&status=all`, {
        headers: { authorization: `Bearer ${stack.billing.env.STRIPE_SECRET_KEY}` },
      });
      if (!res.ok) throw new Error(`list subscriptions → ${res.status} ${await res.text()}`);
      return ((await res.json()) as { data: unknown[] }).data.length;
    },
    /** Moves the emulator's test clock: renewals and period ends happen, and their webhooks go out. */
    async advanceClock(ms: number): Promise<void> {
      const res = await fetch(`${stack.billing.env.STRIPE_API_BASE}/_emulator/clock/advance`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${stack.billing.env.STRIPE_SECRET_KEY}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ ms: String(ms) }),
      });
      if (!res.ok) throw new Error(`clock advance → ${res.status} ${await res.text()}`);
    },
  };
}
