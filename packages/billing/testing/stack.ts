// Test harness: a migrated throwaway Postgres, the Stripe emulator with Pro/Basic prices, and the real
// stripe-webhook edge function served by Deno with Stripe delivering to it. Tests only: exported as
// @polybot/billing/testing for billing's own end-to-end file and the cross-app journeys in e2e/.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { createStripeClient, readBillingConfig } from '../src/config.ts';
import { createDb } from '@polybot/db';
import { createTestDatabase, localLoginUrl, type TestDatabase } from '@polybot/local-stack/postgres';
import {
  serveEdgeFunction,
  startStripeEmulator,
  type EdgeFunctionServer,
  type StripeEmulator,
} from '@polybot/local-stack/stripe';
import type { BillingDeps } from '../src/customers.ts';
import type { PriceMap } from '../src/shared.ts';

export type { ProfileBillingColumns } from './rows.ts';

export interface BillingStack {
  db: TestDatabase;
  emulator: StripeEmulator;
  edge: EdgeFunctionServer;
  stripe: Stripe;
  prices: PriceMap;
  deps: BillingDeps & { prices: PriceMap };
  createUser(): Promise<string>;
  stop(): Promise<void>;
}

export async function startBillingStack(): Promise<BillingStack> {
  const db = await createTestDatabase();
  // Billing runs on the web's connection, as the web's role (docs/SECURITY.md §1.1), never as postgres.
  const webSql = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' }), {
    max: 4,
    applicationName: 'polybot-billing-test-web',
  });
  const emulator = await startStripeEmulator({ webhookRetryBaseMs: 50 });
  const stopAll = async (edge?: EdgeFunctionServer): Promise<void> => {
    await Promise.allSettled([edge?.close(), emulator.close(), webSql.end({ timeout: 5 })]);
    await db.stop();
  };
  try {
    // The same factory the app uses, configured the way `npm start` configures it (STRIPE_API_BASE).
    const stripe = createStripeClient(
      readBillingConfig({
        STRIPE_SECRET_KEY: emulator.secretKey,
        STRIPE_API_BASE: emulator.url,
        STRIPE_PRICE_BASIC: 'price_placeholder_b',
        STRIPE_PRICE_PRO: 'price_placeholder_p',
      }),
    );
    const price = async (name: string, cents: number): Promise<string> => {
      const product = await stripe.products.create({ name });
      return (
        await stripe.prices.create({
          product: product.id,
          unit_amount: cents,
          currency: 'usd',
          recurring: { interval: 'month' },
        })
      ).id;
    };
    const prices: PriceMap = {
      basic: await price('Basic', 2900),
      pro: await price('Pro', 9900),
      enterprise: await price('Enterprise', 49900),
    };
    const edge = await serveEdgeFunction({
      name: 'stripe-webhook',
      env: {
        SUPABASE_DB_URL: db.url,
        STRIPE_WEBHOOK_SECRET: emulator.webhookSecret,
        STRIPE_SECRET_KEY: emulator.secretKey,
        STRIPE_API_BASE: emulator.url,
        STRIPE_PRICE_BASIC: prices.basic,
        STRIPE_PRICE_PRO: prices.pro,
        STRIPE_PRICE_ENTERPRISE: prices.enterprise ?? '',
      },
    });
    emulator.setWebhookUrl(edge.url);
    return {
      db,
      emulator,
      edge,
      stripe,
      prices,
      deps: { sql: webSql, stripe, prices },
      createUser: async () => {
        const id = randomUUID();
        await db.superuser.begin(async (tx) => {
          await tx`set local role supabase_auth_admin`;
          await tx`
            insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at)
            values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${`${id}@billing.test`}, 'x', now(), now(), now())`;
        });
        return id;
      },
      stop: () => stopAll(edge),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
