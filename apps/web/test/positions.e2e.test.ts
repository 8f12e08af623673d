// The positions page and the dashboard's P&L in Chromium, for a user whose positions come from the platform's real
// SQL paths: every fill booked as the BotManager books it (recordTrade + applyFillToPosition), marks written by the
// manager's writeMarks, markets resolved by settleMarket, a live Kalshi payout reconciled by recordVenueSettlement.
// The page and the dashboard must show what the P&L module's independent recomputation (replayFills, from the same
// fills and resolutions alone) gives, to the cent, at 1280 px and 390 px; another user sees none of it.
import {
  applyFillToPosition,
  recordTrade,
  recordVenueSettlement,
  settleMarket,
  writeMarks,
  type TradeRecord,
} from '@polybot/db/service';
import {
  markPrice,
  replayFills,
  valueOpenPositions,
  type MarketResolution,
  type PnlFill,
  type PnlPosition,
} from '@polybot/schemas';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '~/lib/labels.ts';
import path from 'node:path';
import { ARTIFACTS, launchChromium, newUserPage, PHONE, shoot } from './support/browser.ts';
import { polymarketKey } from './support/keys.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: Browser;
let a: Page;
let b: Page;
let userA = '';
let userB = '';

type Fill = PnlFill & { title: string };
const at = new Date();

// Alice's day: a Polymarket complete-set arbitrage still open (YES 0.45 + NO 0.50 < 1, its legs later marked at their
// bids, whose sum is below what was paid: marked leg by leg it would read as a loss); a news position on Kalshi,
// partly sold, then won; a copy trade that lost; a 50-50; a voided market (money back, fees lost); a live
// Polymarket win to redeem and a live Kalshi win the venue has paid; and a single open position marked up.
const T = (s: string) => `Will ${s} happen by the end of 2026? A long question as venues write them`;
const fills: Fill[] = [
  f('polymarket', 'PM-ARB', 'PM-ARB-Y', 'Yes', 'buy', 10, 0.45, 0.05, 'single_platform', 'g-arb', T('the arb market')),
  f('polymarket', 'PM-ARB', 'PM-ARB-N', 'No', 'buy', 10, 0.5, 0.04, 'single_platform', 'g-arb', T('the arb market')),
  f('kalshi', 'KX-NEWS', 'KX-NEWS:yes', 'yes', 'buy', 20, 0.3, 0.1, 'news', 'g-news', T('the news event')),
  f('kalshi', 'KX-NEWS', 'KX-NEWS:yes', 'yes', 'sell', 5, 0.42, 0.03, 'unwind', null, T('the news event')),
  f('polymarket', 'PM-COPY', 'PM-COPY-Y', 'Yes', 'buy', 8, 0.6, 0.02, 'copy_trading', 'g-copy', T('the copied trade')),
  f('polymarket', 'PM-HALF', 'PM-HALF-Y', 'Yes', 'buy', 6, 0.4, 0.01, 'news', 'g-half', T('the 50-50')),
  f('kalshi', 'KX-VOID', 'KX-VOID:no', 'no', 'buy', 4, 0.55, 0.02, 'news', 'g-void', T('the voided market')),
  f('polymarket', 'PM-OPEN', 'PM-OPEN-Y', 'Yes', 'buy', 12, 0.25, 0.03, 'copy_trading', 'g-open', T('the open bet')),
  f(
    'polymarket',
    'PM-LIVE',
    'PM-LIVE-Y',
    'Yes',
    'buy',
    7,
    0.7,
    0,
    'news',
    'g-live-pm',
    T('the live Polymarket'),
    'live',
  ),
  f('kalshi', 'KX-LIVE', 'KX-LIVE:yes', 'yes', 'buy', 9, 0.8, 0.07, 'news', 'g-live-k', T('the live Kalshi'), 'live'),
];
const resolutions: MarketResolution[] = [
  res('kalshi', 'KX-NEWS', { 'KX-NEWS:yes': 1, 'KX-NEWS:no': 0 }),
  res('polymarket', 'PM-COPY', { 'PM-COPY-Y': 0, 'PM-COPY-N': 1 }),
  res('polymarket', 'PM-HALF', { 'PM-HALF-Y': 0.5, 'PM-HALF-N': 0.5 }),
  { ...res('kalshi', 'KX-VOID', {}), status: 'voided' },
  res('polymarket', 'PM-LIVE', { 'PM-LIVE-Y': 1, 'PM-LIVE-N': 0 }),
  res('kalshi', 'KX-LIVE', { 'KX-LIVE:yes': 1, 'KX-LIVE:no': 0 }),
];
// The manager's marks from its books (best bids): the arbitrage's legs at bids summing to 0.90 < 0.95 + fees paid.
const marks = [
  { platform: 'polymarket' as const, instrumentId: 'PM-ARB-Y', markPrice: 0.43 },
  { platform: 'polymarket' as const, instrumentId: 'PM-ARB-N', markPrice: 0.47 },
  { platform: 'polymarket' as const, instrumentId: 'PM-OPEN-Y', markPrice: 0.31 },
];

function f(
  platform: Fill['platform'],
  marketId: string,
  instrumentId: string,
  outcome: string,
  side: Fill['side'],
  size: number,
  price: number,
  fee: number,
  strategy: Fill['strategy'],
  legGroupId: string | null,
  title: string,
  mode: Fill['mode'] = 'paper',
): Fill {
  return { at, platform, marketId, instrumentId, outcome, mode, side, size, price, fee, strategy, legGroupId, title };
}

function res(
  platform: MarketResolution['platform'],
  marketId: string,
  payouts: Record<string, number>,
): MarketResolution {
  return { platform, marketId, status: 'resolved', payouts, winningOutcome: null, resolvedAt: at, source: 'venue' };
}

/** Books one fill exactly as the BotManager does (apps/bot-manager db-ops: recordTrade, then the position). */
async function book(userId: string, fill: Fill, i: number): Promise<void> {
  const t: Omit<TradeRecord, 'userId'> = {
    clientOrderId: `pos-e2e-${i}`,
    venueOrderId: null,
    platform: fill.platform,
    marketId: fill.marketId,
    instrumentId: fill.instrumentId,
    outcome: fill.outcome,
    side: fill.side,
    strategy: fill.strategy ?? 'single_platform',
    mode: fill.mode,
    orderType: 'FOK',
    status: 'filled',
    limitPrice: fill.price,
    price: fill.price,
    size: fill.size,
    filledSize: fill.size,
    fee: fill.fee,
    opportunityId: null,
    legGroupId: fill.legGroupId,
    rejectReason: null,
    marketTitle: fill.title,
  };
  await stack.db.sql.begin(async (tx) => {
    const r = await recordTrade(tx, { userId, ...t });
    if (r.inserted) await applyFillToPosition(tx, userId, { ...t, tradeId: r.id });
  });
}

/** What the P&L module makes of the same fills and resolutions, with the same marks. */
function expected() {
  const replay = replayFills(fills, resolutions);
  const markOf = (p: PnlPosition) =>
    markPrice({
      lastMark: marks.find((m) => m.instrumentId === p.instrumentId)?.markPrice ?? null,
      avgPrice: p.avgPrice,
    });
  const open = valueOpenPositions(replay.positions, markOf);
  return { replay, open };
}

/**
 * The text of the first visible element with this test id, once there is one: a page streams in behind its loading
 * skeleton (the content arrives hidden, then is swapped in), and some values also sit in phone-only copies.
 */
async function text(page: Page, testId: string): Promise<string | undefined> {
  const el = page.locator(`[data-testid="${testId}"]:visible`).first();
  await el.waitFor();
  return (await el.textContent())?.trim();
}

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  a = await newUserPage(browser);
  b = await newUserPage(browser);
  userA = await onboard(stack, a, `pos-a-${Date.now()}@example.test`, { polymarket: polymarketKey() });
  userB = await onboard(stack, b, `pos-b-${Date.now()}@example.test`, { polymarket: polymarketKey() });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('positions page and dashboard P&L in Chromium', () => {
  it('a new user sees what will appear there, and when', async () => {
    await a.getByRole('link', { name: 'Positions', exact: true }).click();
    await a.waitForURL('**/positions');
    expect(await text(a, 'open-empty')).toContain('When your bot buys');
    expect(await text(a, 'resolved-empty')).toContain('When a market you hold resolves');
    expect(await text(a, 'byday-empty')).toContain('No realized P&L yet');
    expect(await text(a, 'pos-realized')).toBe('$0.00');
    await shoot(a, '40-positions-empty');
  });

  it('shows the booked and settled positions with the numbers replayFills computes, as the dashboard does', async () => {
    for (const [i, fill] of fills.entries()) await book(userA, fill, i);
    // Bob holds the same open arbitrage market and the copied loser: his rows must never reach Alice's page or sums.
    for (const [i, fill] of fills.slice(0, 2).entries()) await book(userB, { ...fill, size: 3 }, 100 + i);
    await book(userB, { ...(fills[4] as Fill), size: 50, title: 'Bob only: a market Alice never traded' }, 102);
    await writeMarks(stack.db.sql, marks);
    for (const r of resolutions) await settleMarket(stack.db.sql, r);
    await recordVenueSettlement(stack.db.sql, userA, {
      platform: 'kalshi',
      marketId: 'KX-LIVE',
      venuePayoutUsd: 9,
      venueReference: 'KX-LIVE@settled',
    });
    const { replay, open } = expected();
    const arb = open.baskets[0];
    expect(arb?.lockedProfitUsd).toBeGreaterThan(0); // the fixture is what it says: a basket locked in at a profit
    expect(open.baskets).toHaveLength(1);

    await a.goto(`${stack.baseUrl}/positions`);
    expect(await text(a, 'pos-realized')).toBe(money(replay.realizedUsd));
    expect(await text(a, 'pos-unrealized')).toBe(money(open.unrealizedUsd));
    expect(await text(a, 'pos-locked')).toBe(money(open.lockedProfitUsd));
    // the arbitrage basket: its locked-in profit, its legs counted in it (not each a loss at its bid)
    expect(await text(a, 'basket-locked')).toBe(money(arb?.lockedProfitUsd ?? NaN));
    expect(await a.locator('tr.basket-leg').count()).toBe(2);
    expect(await a.locator('tr.basket-leg [data-testid="position-unrealized"]').allTextContents()).toEqual([
      'in basket',
      'in basket',
    ]);
    expect(await a.locator('[data-position-id]').count()).toBe(3);
    // resolved: one row per settlement, with its rule and realized as the replay settles it
    const rows = a.locator('[data-settlement-id]');
    expect(await rows.count()).toBe(replay.settlements.length);
    const shown = new Map<string, string>();
    for (const row of await rows.all()) {
      shown.set(
        `${await row.getAttribute('data-rule')}|${(await row.getByTestId('settlement-realized').textContent())?.trim()}`,
        (await row.locator('td.market .market-title').textContent()) ?? '',
      );
    }
    expect([...shown.keys()].sort()).toEqual(
      replay.settlements.map((s) => `${s.rule}|${money(s.realizedPnlUsd)}`).sort(),
    );
    expect(await a.getByTestId('settlement-rule').allTextContents()).toEqual(
      expect.arrayContaining(['Won', 'Lost', '50-50', 'Voided: money back']),
    );
    // live money: the Polymarket win is redeemable with its amount and how; the Kalshi one reconciled with the venue
    expect(await text(a, 'redeemable')).toContain('Redeemable: $7.00');
    await a.locator('[data-testid="redeemable"]:visible').locator('summary').click();
    expect(await text(a, 'redeemable')).toContain('redeem this market from your portfolio');
    expect(await text(a, 'redeemable')).toContain('PM-LIVE');
    expect(await text(a, 'reconciled')).toBe('Reconciled with Kalshi: paid $9.00');
    // P&L by day and by strategy, from the same events
    const today = at.toISOString().slice(0, 10);
    expect(await a.locator(`[data-day="${today}"] [data-testid="day-total"]`).textContent()).toBe(
      money(replay.realizedUsd),
    );
    const newsRealized = replay.events.filter((e) => e.strategy === 'news').reduce((s, e) => s + e.realizedUsd, 0);
    expect(await a.locator('[data-strategy="news"] [data-testid="strategy-realized"]').textContent()).toBe(
      money(newsRealized),
    );
    // Bob's rows are nowhere on Alice's page
    expect(await a.content()).not.toContain('Bob only');
    await shoot(a, '41-positions');

    // The dashboard: the same realized (today and this month) and the same unrealized, locked profit included.
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(await text(a, 'pnl-today')).toBe(money(replay.realizedUsd));
    expect(await text(a, 'pnl-month')).toBe(money(replay.realizedUsd));
    expect(await text(a, 'pnl-unrealized')).toBe(money(open.unrealizedUsd));
    expect(await text(a, 'pnl-locked')).toBe(money(open.lockedProfitUsd));
    expect(await text(a, 'pnl-marked')).toContain('3 open positions');
    await shoot(a, '42-dashboard-positions');
  });

  it('at 390 px the same numbers, and every table row still says which market it is', async () => {
    const { replay, open } = expected();
    await a.setViewportSize(PHONE);
    await a.goto(`${stack.baseUrl}/positions`);
    expect(await text(a, 'pos-realized')).toBe(money(replay.realizedUsd));
    expect(await text(a, 'pos-unrealized')).toBe(money(open.unrealizedUsd));
    await a.locator('td.market:visible').first().waitFor();
    const titles = a.locator('td.market .market-title');
    expect(await titles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width > 0))).toEqual(
      Array(await titles.count()).fill(true),
    );
    expect((await titles.allTextContents()).every((t) => t.startsWith('Will '))).toBe(true);
    expect(await a.locator('td.market').count()).toBe(3 + replay.settlements.length);
    await a.screenshot({ path: path.join(ARTIFACTS, '43-positions-phone-only.png'), fullPage: true });
    await a.goto(`${stack.baseUrl}/dashboard`);
    expect(await text(a, 'pnl-month')).toBe(money(replay.realizedUsd));
    expect(await text(a, 'pnl-unrealized')).toBe(money(open.unrealizedUsd));
    // the trades table keeps its market column on a phone (it used to drop it)
    await a.locator('[data-trade-id]:visible').first().waitFor();
    const markets = a.locator('[data-trade-id] td.market .market-title');
    expect(await markets.count()).toBe(fills.length);
    // measured in one go: a live refresh of the lists may replace the rows between two separate checks
    expect(await markets.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width > 0))).toEqual(
      fills.map(() => true),
    );
    await a.screenshot({ path: path.join(ARTIFACTS, '44-dashboard-phone-only.png'), fullPage: true });
  });

  it('another user sees none of it (RLS): empty positions, no P&L', async () => {
    await b.goto(`${stack.baseUrl}/positions`);
    // Bob's own three positions only: the arbitrage legs he bought (3 each) and his loser of the copied market.
    expect(await b.locator('[data-position-id]').count()).toBe(2);
    expect(await b.locator('[data-settlement-id]').count()).toBe(1);
    const page = await b.content();
    for (const title of new Set(fills.slice(2).map((x) => x.title))) expect(page).not.toContain(title);
    expect(await text(b, 'pos-realized')).toBe(money(-(50 * 0.6 + 0.02)));
    await b.goto(`${stack.baseUrl}/dashboard`);
    expect(await text(b, 'pnl-month')).toBe(money(-(50 * 0.6 + 0.02)));
  });

  it('a market resolving while the dashboard is open updates its P&L in place', async () => {
    await a.setViewportSize({ width: 1280, height: 900 });
    await a.goto(`${stack.baseUrl}/dashboard`);
    await a.evaluate(() => Object.assign(window, { __sameDocument: true }));
    const late = f(
      'polymarket',
      'PM-LATE',
      'PM-LATE-Y',
      'Yes',
      'buy',
      5,
      0.5,
      0.01,
      'news',
      'g-late',
      T('the late one'),
    );
    fills.push(late);
    await book(userA, late, fills.length - 1);
    // the new trade re-renders the lists by itself (the status poll's newest trade id): wait for that first
    await a.locator('[data-trade-id]:visible').filter({ hasText: 'the late one' }).waitFor({ timeout: 30_000 });
    const realizedBefore = expected().replay.realizedUsd;
    expect(await text(a, 'pnl-month')).toBe(money(realizedBefore));
    resolutions.push(res('polymarket', 'PM-LATE', { 'PM-LATE-Y': 1, 'PM-LATE-N': 0 }));
    await settleMarket(stack.db.sql, resolutions.at(-1) as MarketResolution);
    // nothing else changes for the poll to notice: only the newest settlement does
    const { replay } = expected();
    expect(replay.realizedUsd).not.toBeCloseTo(realizedBefore, 2);
    await expect.poll(() => text(a, 'pnl-month'), { timeout: 30_000 }).toBe(money(replay.realizedUsd));
    expect(await a.evaluate(() => (window as Window & { __sameDocument?: boolean }).__sameDocument === true)).toBe(
      true,
    );
  });
});
