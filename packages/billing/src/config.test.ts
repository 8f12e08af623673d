// Configuration errors name the variable and never start a half-configured billing.
import { expect, test } from 'vitest';
import { readBillingConfig } from './config.ts';
import { priceMapFromEnv, tierForPrice } from './shared.ts';

const GOOD = {
  STRIPE_SECRET_KEY: 'sk_test_abc123',
  STRIPE_PRICE_BASIC: 'price_basic1',
  STRIPE_PRICE_PRO: 'price_pro1',
};

test('a complete configuration parses; enterprise is optional', () => {
  const config = readBillingConfig(GOOD);
  expect(config.prices).toEqual({ basic: 'price_basic1', pro: 'price_pro1' });
  expect(config.apiBase).toBeUndefined();
  expect(tierForPrice(config.prices, 'price_pro1')).toBe('pro');
  expect(tierForPrice(config.prices, 'price_other')).toBeUndefined();
});

test('missing or malformed values are named', () => {
  expect(() => readBillingConfig({ ...GOOD, STRIPE_SECRET_KEY: 'pk_test_publishable' })).toThrow(
    /STRIPE_SECRET_KEY: must be a Stripe secret key/,
  );
  expect(() => readBillingConfig({ ...GOOD, STRIPE_PRICE_PRO: undefined })).toThrow(/STRIPE_PRICE_PRO/);
  expect(() => priceMapFromEnv({ STRIPE_PRICE_BASIC: 'prod_123', STRIPE_PRICE_PRO: 'price_x' })).toThrow(
    /STRIPE_PRICE_BASIC: must be a Stripe price id/,
  );
  expect(() => priceMapFromEnv({ STRIPE_PRICE_BASIC: 'price_same', STRIPE_PRICE_PRO: 'price_same' })).toThrow(
    /each tier needs its own Stripe price/,
  );
  expect(() => readBillingConfig({ ...GOOD, STRIPE_API_BASE: 'not a url' })).toThrow(/STRIPE_API_BASE/);
});

test('STRIPE_API_BASE is parsed as a URL (createStripeClient uses it in billing.e2e.test.ts)', () => {
  const config = readBillingConfig({ ...GOOD, STRIPE_API_BASE: 'http://127.0.0.1:12111' });
  expect([config.apiBase?.protocol, config.apiBase?.hostname, config.apiBase?.port]).toEqual([
    'http:',
    '127.0.0.1',
    '12111',
  ]);
});
