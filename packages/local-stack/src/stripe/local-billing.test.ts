// startLocalBilling (what `npm start` runs): prices for the paid plans from polybot_plans, the edge function
// receiving the emulator's webhooks, and emulator state that survives a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../postgres/index.ts';
import { startLocalBilling } from './local-billing.ts';

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'polybot-stripe-'));
}, 180_000);
afterAll(async () => {
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  'prices per paid plan, webhooks reach the edge function, state persists across restarts',
  { timeout: 120_000 },
  async () => {
    const statePath = join(dir, 'stripe.json');
    const first = await startLocalBilling({
      databaseUrl: db.url,
      statePath,
      secretKey: 'sk_test_local_fixed',
      webhookSecret: 'whsec_local_fixed',
    });
    let customerId: string;
    let cardId: string;
    try {
      expect(Object.keys(first.env).sort()).toEqual([
        'STRIPE_API_BASE',
        'STRIPE_PRICE_BASIC',
        'STRIPE_PRICE_ENTERPRISE',
        'STRIPE_PRICE_PRO',
        'STRIPE_SECRET_KEY',
        'STRIPE_WEBHOOK_SECRET',
      ]);
      const stripe = new Stripe(first.env.STRIPE_SECRET_KEY ?? '', {
        host: first.emulator.host,
        port: first.emulator.port,
        protocol: 'http',
      });
      const pro = await stripe.prices.retrieve(first.env.STRIPE_PRICE_PRO ?? '');
      expect([pro.unit_amount, pro.recurring?.interval]).toEqual([9900, 'month']);
      customerId = (await stripe.customers.create({ email: 'persist@example.test' })).id;
      cardId = (await stripe.paymentMethods.attach('pm_card_visa', { customer: customerId })).id;
      await first.emulator.webhooksIdle();
      // Events billing does not handle: the function (served by `deno serve`) answers 200 and Stripe stops retrying.
      expect(first.emulator.webhooks.attempts.map((a) => [a.type, a.status])).toEqual([
        ['customer.created', 200],
        ['payment_method.attached', 200],
      ]);
    } finally {
      await first.close();
    }

    const second = await startLocalBilling({
      databaseUrl: db.url,
      statePath,
      secretKey: 'sk_test_local_fixed',
      webhookSecret: 'whsec_local_fixed',
    });
    try {
      expect(second.env.STRIPE_PRICE_PRO).toBe(first.env.STRIPE_PRICE_PRO);
      const stripe = new Stripe(second.env.STRIPE_SECRET_KEY ?? '', {
        host: second.emulator.host,
        port: second.emulator.port,
        protocol: 'http',
      });
      expect((await stripe.customers.retrieve(customerId)).id).toBe(customerId);
      expect((await stripe.paymentMethods.retrieve(cardId)).customer).toBe(customerId);
    } finally {
      await second.close();
    }
  },
);
