// Followed wallets and news rules on the config page, in Chromium, for two users onboarded through the wizard:
// adding (checked in the database: advanced_config and a config_version bump), bad input at every field refused
// with nothing saved, a duplicate wallet refused, removal behind a confirmation (opened from the keyboard), and a
// second user who sees none of it and whose remove action, pointed at the first user's entries, changes nothing;
// then a rule the bot reports it ignores (status row written by SQL), marked on the config page and the dashboard.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserPage, shoot } from './support/browser.ts';
import { fieldError, forceFill, submit, submitTampered } from './support/flows.ts';
import { registerKalshiKey } from './support/keys.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

interface Advanced {
  advanced_config: {
    followedWallets?: { address: string; scale: number; maxPerTradeUsd: number; maxSlippage?: number }[];
    newsRules?: {
      id: string;
      feed: string;
      keywords: string[];
      venue: string;
      instrumentId: string;
      side: string;
      maxPrice: number;
      confidence: number;
      maxSizeUsd?: number;
      windowMinutes: number;
    }[];
  };
  config_version: number;
}

let stack: Stack;
let browser: Browser;
let a: Page;
let b: Page;
let userA = '';
let userB = '';
const WALLET = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01';
const WALLET_B = '0x1111111111111111111111111111111111111111';
const WALLETS = 'Follow a wallet';
const RULES = 'Add a news rule';

async function advanced(user: string): Promise<Advanced> {
  const rows = await stack.db.sql<
    Advanced[]
  >`select advanced_config, config_version::int as config_version from public.polybot_user_config where user_id = ${user}`;
  const row = rows[0];
  if (!row) throw new Error('no config row');
  return row;
}

/**
 * Types anything into number inputs (forceFill turns them into text inputs). React puts `type` back whenever it
 * re-renders the field (a router refresh after another form's action can land just after), which would drop text
 * such as "12abc"; so the form's data is checked and the fields filled again until it holds what was typed.
 */
async function fillNumbers(
  page: Page,
  formName: string,
  fields: Record<string, [label: string, value: string]>,
): Promise<void> {
  const form = page.getByRole('form', { name: formName });
  for (let attempt = 0; attempt < 5; attempt++) {
    for (const [label, value] of Object.values(fields)) await forceFill(page, formName, label, value);
    const data = await form.evaluate((f) =>
      Object.fromEntries([...new FormData(f as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)])),
    );
    if (Object.entries(fields).every(([name, [, value]]) => data[name] === value)) return;
  }
  throw new Error(`could not fill ${formName}`);
}

async function fillWallet(page: Page, address: string, scale: string, max: string, slippage = ''): Promise<void> {
  const form = page.getByRole('form', { name: WALLETS });
  await form.getByLabel('Wallet address').fill(address);
  await fillNumbers(page, WALLETS, {
    scale: ['Scale', scale],
    maxPerTradeUsd: ['Max per trade (USD)', max],
    maxSlippage: ['Max over their price ($)', slippage],
  });
}

async function fillRule(
  page: Page,
  r: {
    feed: string;
    keywords: string;
    venue: string;
    id: string;
    side: string;
    maxPrice: string;
    confidence: string;
    budget: string;
    window: string;
  },
) {
  const form = page.getByRole('form', { name: RULES });
  await form.getByLabel('Feed', { exact: true }).fill(r.feed);
  await form.getByLabel('Keywords', { exact: true }).fill(r.keywords);
  await form.getByLabel('Venue').selectOption(r.venue);
  await form.getByLabel('Market id').fill(r.id);
  await form.getByLabel('Side to buy').selectOption(r.side);
  await fillNumbers(page, RULES, {
    maxPrice: ['Max price', r.maxPrice],
    confidence: ['Confidence', r.confidence],
    maxSizeUsd: ['Budget per signal (USD)', r.budget],
    windowMinutes: ['Window (minutes)', r.window],
  });
}

const GOOD_RULE = {
  feed: 'reuters',
  keywords: 'rate cut, Fed cuts ,',
  venue: 'kalshi',
  id: 'KXFED-25DEC-T4.00',
  side: 'no',
  maxPrice: '0.6',
  confidence: '0.7',
  budget: '50',
  window: '120',
};

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  a = await newUserPage(browser);
  b = await newUserPage(browser);
  userA = await onboard(stack, a, `alice-${Date.now()}@example.test`, {
    kalshi: await registerKalshiKey(stack.sim.origin),
  });
  userB = await onboard(stack, b, `bob-${Date.now()}@example.test`, {
    kalshi: await registerKalshiKey(stack.sim.origin),
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('followed wallets and news rules in Chromium', () => {
  it('adds a followed wallet and a news rule (saved in advanced_config, version bumped)', async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    await a.getByTestId('wallets-empty').waitFor();
    await a.getByTestId('rules-empty').waitFor();
    // Free: copy trading is not in the plan (and says what unlocks it), news signals are on by default
    expect(await a.getByTestId('state-copy_trading').textContent()).toMatch(/Not in your plan.*Included in Pro/);
    expect(await a.getByTestId('state-news_arbitrage').textContent()).toBe('On — the bot acts on these rules.');
    await shoot(a, 'strategies-01-empty');
    const v0 = (await advanced(userA)).config_version;

    await fillWallet(a, WALLET, '0.5', '250', '0.05');
    await submit(a, WALLETS, 'Follow wallet');
    await a.getByText(`Wallet added. Configuration version ${v0 + 1}`).waitFor();
    const afterWallet = await advanced(userA);
    expect(afterWallet.config_version).toBe(v0 + 1);
    expect(afterWallet.advanced_config.followedWallets).toEqual([
      { address: WALLET.toLowerCase(), scale: 0.5, maxPerTradeUsd: 250, maxSlippage: 0.05 },
    ]);
    const entry = a.locator(`[data-wallet="${WALLET.toLowerCase()}"]`);
    expect(await entry.textContent()).toContain('pays at most $0.05 above their price');
    expect(await entry.locator('code').first().textContent()).toBe('0xabcd…ef01');
    expect(await entry.locator('code').first().getAttribute('title')).toBe(WALLET.toLowerCase());
    // the add form is empty again for the next wallet
    expect(await a.getByRole('form', { name: WALLETS }).getByLabel('Wallet address').inputValue()).toBe('');

    await fillRule(a, GOOD_RULE);
    await submit(a, RULES, 'Add news rule');
    await a.getByText(`News rule added. Configuration version ${v0 + 2}`).waitFor();
    const afterRule = await advanced(userA);
    expect(afterRule.config_version).toBe(v0 + 2);
    expect(afterRule.advanced_config.followedWallets).toEqual(afterWallet.advanced_config.followedWallets);
    const [rule] = afterRule.advanced_config.newsRules ?? [];
    expect(afterRule.advanced_config.newsRules?.length).toBe(1);
    expect(rule).toMatchObject({
      feed: 'reuters',
      keywords: ['rate cut', 'Fed cuts'],
      venue: 'kalshi',
      instrumentId: 'KXFED-25DEC-T4.00',
      side: 'no',
      maxPrice: 0.6,
      confidence: 0.7,
      maxSizeUsd: 50,
      windowMinutes: 120,
    });
    expect(rule?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await a.locator(`[data-rule="${rule?.id}"]`).textContent()).toContain('buy NO on Kalshi KXFED-25DEC-T4.00');
    await shoot(a, 'strategies-02-added');
  });

  it('refuses bad input at every field, keeps what was typed, and saves nothing', async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    const before = await advanced(userA);

    await fillWallet(a, 'not-a-wallet', '0', '12abc', '-0.01');
    await submit(a, WALLETS, 'Follow wallet');
    expect(await fieldError(a, 'maxSlippage')).toBe('Max over their price ($) must be at least 0');
    expect(await fieldError(a, 'address')).toContain('0x-prefixed 40-hex-digit address');
    expect(await fieldError(a, 'scale')).toBe('Scale must be more than 0');
    expect(await fieldError(a, 'maxPerTradeUsd')).toBe('Max per trade (USD) must be a number');
    expect(await a.getByRole('form', { name: WALLETS }).getByLabel('Wallet address').inputValue()).toBe('not-a-wallet');
    // a number input cannot show "12abc" again, but it keeps a number the user typed
    expect(await a.getByRole('form', { name: WALLETS }).getByLabel('Scale').inputValue()).toBe('0');
    await shoot(a, 'strategies-03-wallet-errors');

    await fillWallet(a, '0x123', '11', '100001', '0.25');
    await submit(a, WALLETS, 'Follow wallet');
    expect(await fieldError(a, 'maxSlippage')).toBe('Max over their price ($) must be at most 0.2');
    expect(await fieldError(a, 'scale')).toBe('Scale must be at most 10');
    expect(await fieldError(a, 'maxPerTradeUsd')).toBe('Max per trade (USD) must be at most 100,000');
    expect(await fieldError(a, 'address')).toContain('0x-prefixed');

    await fillWallet(a, WALLET, '', '0.5');
    await submit(a, WALLETS, 'Follow wallet');
    expect(await fieldError(a, 'scale')).toBe('Scale must be a number');
    expect(await fieldError(a, 'maxPerTradeUsd')).toBe('Max per trade (USD) must be at least 1');
    expect(await advanced(userA)).toEqual(before);

    // the same wallet again, with other letter case: refused, and the list keeps one entry
    await fillWallet(a, WALLET.toUpperCase().replace('0X', '0x'), '2', '10');
    await submit(a, WALLETS, 'Follow wallet');
    expect(await fieldError(a, 'address')).toContain('You already follow this wallet');
    expect(await advanced(userA)).toEqual(before);

    await fillRule(a, {
      feed: '',
      keywords: ' , ,',
      venue: 'polymarket',
      id: '',
      side: 'no',
      maxPrice: '1',
      confidence: '0',
      budget: 'x1',
      window: '0',
    });
    await submit(a, RULES, 'Add news rule');
    expect(await fieldError(a, 'feed')).toBe('Feed is required');
    expect(await fieldError(a, 'keywords')).toBe('Add at least 1 keyword');
    expect(await fieldError(a, 'instrumentId')).toBe('Market id is required');
    expect(await fieldError(a, 'maxPrice')).toBe('Max price must be less than 1');
    expect(await fieldError(a, 'confidence')).toBe('Confidence must be more than 0');
    expect(await fieldError(a, 'maxSizeUsd')).toBe('Budget per signal (USD) must be a number');
    expect(await fieldError(a, 'windowMinutes')).toBe('Window (minutes) must be at least 1');
    // the selects keep the submitted side, not the default
    const rules = a.getByRole('form', { name: RULES });
    expect(await rules.getByLabel('Side to buy').inputValue()).toBe('no');
    expect(await rules.getByLabel('Keywords', { exact: true }).inputValue()).toBe(' , ,');
    await shoot(a, 'strategies-04-rule-errors');

    await fillRule(a, {
      ...GOOD_RULE,
      keywords: `ok, ${'k'.repeat(101)}`,
      maxPrice: '0.5.1',
      confidence: '1.5',
      budget: '0.5',
      window: '1.5',
    });
    await submit(a, RULES, 'Add news rule');
    expect(await fieldError(a, 'keywords')).toBe('Keyword 2 must be at most 100 characters');
    expect(await fieldError(a, 'maxPrice')).toBe('Max price must be a number');
    expect(await fieldError(a, 'confidence')).toBe('Confidence must be less than 1');
    expect(await fieldError(a, 'maxSizeUsd')).toBe('Budget per signal (USD) must be at least 1');
    expect(await fieldError(a, 'windowMinutes')).toBe('Window (minutes) must be a whole number');
    expect(await a.locator('[data-field-error="feed"]').count()).toBe(0);
    expect(await advanced(userA)).toEqual(before);
  });

  it('a second user sees none of it, and their remove actions cannot touch the first user’s entries', async () => {
    const aBefore = await advanced(userA);
    const [ruleA] = aBefore.advanced_config.newsRules ?? [];
    if (!ruleA) throw new Error('user A has no rule');
    await b.goto(`${stack.baseUrl}/settings/config`);
    await b.getByTestId('wallets-empty').waitFor();
    await b.getByTestId('rules-empty').waitFor();
    const html = await b.content();
    expect(html).not.toContain(WALLET.toLowerCase());
    expect(html).not.toContain('KXFED-25DEC-T4.00');

    // B follows a wallet of their own, then points its remove form at A's wallet
    await fillWallet(b, WALLET_B, '1', '20');
    await submit(b, WALLETS, 'Follow wallet');
    await b.getByText('Wallet added.').waitFor();
    const bWithWallet = await advanced(userB);
    await b.locator(`[data-wallet="${WALLET_B}"] summary`).click();
    await submitTampered(b, `Remove wallet ${WALLET_B}`, 'Yes, remove wallet', { address: WALLET.toLowerCase() });
    expect(
      await b
        .getByRole('form', { name: `Remove wallet ${WALLET_B}` })
        .getByRole('alert')
        .textContent(),
    ).toContain('That wallet is not in your list.');
    expect(await advanced(userA)).toEqual(aBefore);
    expect(await advanced(userB)).toEqual(bWithWallet);

    // and the same for a news rule, by A's rule id
    await fillRule(b, { ...GOOD_RULE, feed: 'bob-feed', id: 'bob-token' });
    await submit(b, RULES, 'Add news rule');
    await b.getByText('News rule added.').waitFor();
    const bWithRule = await advanced(userB);
    const ruleB = bWithRule.advanced_config.newsRules?.[0]?.id ?? '';
    await b.locator(`[data-rule="${ruleB}"] summary`).click();
    await submitTampered(b, `Remove news rule ${ruleB}`, 'Yes, remove rule', { id: ruleA.id });
    expect(
      await b
        .getByRole('form', { name: `Remove news rule ${ruleB}` })
        .getByRole('alert')
        .textContent(),
    ).toContain('That news rule is not in your list.');
    expect(await advanced(userA)).toEqual(aBefore);
    expect(await advanced(userB)).toEqual(bWithRule);
    await shoot(b, 'strategies-05-other-user');
  });

  it('removes each entry only after a confirmation, opened from the keyboard', async () => {
    await a.goto(`${stack.baseUrl}/settings/config`);
    const before = await advanced(userA);
    const ruleId = before.advanced_config.newsRules?.[0]?.id ?? '';
    const wallet = a.locator(`[data-wallet="${WALLET.toLowerCase()}"]`);
    await wallet.locator('summary').focus();
    await a.keyboard.press('Enter');
    await wallet.getByRole('button', { name: 'Yes, remove wallet' }).waitFor();
    // opening the confirmation removes nothing
    expect(await advanced(userA)).toEqual(before);
    await shoot(a, 'strategies-06-confirm');
    await wallet.getByRole('button', { name: 'Yes, remove wallet' }).focus();
    await a.keyboard.press('Enter');
    await a.getByText(`Wallet removed. Configuration version ${before.config_version + 1}`).waitFor();
    const afterWallet = await advanced(userA);
    expect(afterWallet.advanced_config.followedWallets).toEqual([]);
    expect(afterWallet.advanced_config.newsRules).toEqual(before.advanced_config.newsRules);
    expect(afterWallet.config_version).toBe(before.config_version + 1);
    await a.getByTestId('wallets-empty').waitFor();

    const rule = a.locator(`[data-rule="${ruleId}"]`);
    await rule.locator('summary').click();
    await submit(a, `Remove news rule ${ruleId}`, 'Yes, remove rule');
    await a.getByText(`News rule removed. Configuration version ${before.config_version + 2}`).waitFor();
    const afterRule = await advanced(userA);
    expect(afterRule.advanced_config.newsRules).toEqual([]);
    expect(afterRule.config_version).toBe(before.config_version + 2);
    await a.getByTestId('rules-empty').waitFor();
  });

  it('reads well in dark mode with entries', async () => {
    await b.emulateMedia({ colorScheme: 'dark' });
    await b.goto(`${stack.baseUrl}/settings/config`);
    await b.locator('[data-wallet]').first().waitFor();
    expect(await b.locator('details[open]').count()).toBe(0);
    await b.locator('[data-wallet] summary').click();
    await shoot(b, 'strategies-07-dark');
    await b.emulateMedia({ colorScheme: 'light' });
  });

  it('marks a news rule the bot ignores with its reason and warns on the dashboard; a status row without the list shows nothing', async () => {
    const ruleId = (await advanced(userB)).advanced_config.newsRules?.[0]?.id ?? '';
    const rule = b.locator(`[data-rule="${ruleId}"]`);
    // The bot manager is played by SQL: first a row as an older manager writes it, without the key.
    await stack.db
      .sql`update public.polybot_bot_status set stats = jsonb_build_object('open_positions', 0) where user_id = ${userB}`;
    await b.goto(`${stack.baseUrl}/settings/config`);
    await rule.waitFor();
    expect(await b.getByTestId('rule-ignored').count()).toBe(0);
    await b.goto(`${stack.baseUrl}/dashboard`);
    await b.getByTestId('bot-plan').waitFor();
    expect(await b.getByTestId('ignored-rules-warning').count()).toBe(0);

    await stack.db.sql`
      update public.polybot_bot_status
         set stats = jsonb_build_object('ignored_news_rules', jsonb_build_array(
                       jsonb_build_object('rule_id', ${ruleId}::text, 'reason', 'its instrument is not a listed Kalshi market')))
       where user_id = ${userB}`;
    // The status card polls, so the warning appears without a reload.
    const warning = b.getByTestId('ignored-rules-warning');
    await warning.waitFor({ timeout: 15_000 });
    expect(await warning.textContent()).toBe('1 news rule ignored — see Settings → Config');
    await shoot(b, 'strategies-08-dashboard-rule-ignored');
    await warning.getByRole('link', { name: 'Settings → Config' }).click();
    await b.waitForURL('**/settings/config#news-rules');
    expect(await rule.getByTestId('rule-ignored').textContent()).toBe(
      'The bot ignores this rule: its instrument is not a listed Kalshi market',
    );
    await shoot(b, 'strategies-09-rule-ignored');
  });
});
