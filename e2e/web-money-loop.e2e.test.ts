// The money loop, end to end: the continuous `live` scenario on a fixed seed (its clock driven by this test), the real
// bot-manager process, three users made through the wizard — two paper (one on every default), one live on Polymarket
// with keys the venue issued — whose bots trade, whose markets resolve and settle; one paper user, capped at 2 open
// positions, is blocked (its dashboard says so) until settlement frees it to trade again. Then, bots paused and the
// world still: each user's realized P&L as the database, the dashboard and the positions page show it equals the
// P&L model's independent recomputation (replayFills) from the user's fills and the venue's own resolutions (Gamma
// outcomePrices, Kalshi result); for the live user, the money the venue says the account made or lost equals it too.
import type { Browser, Page } from 'playwright-core';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveKeys, walletKeys } from '@polybot/bot-manager/testing';
import {
  payoutsFromKalshi,
  payoutsFromPolymarket,
  replayFills,
  type MarketResolution,
  type PnlFill,
  type VenueId,
} from '@polybot/schemas';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import {
  launchChromium,
  newUserPage,
  onboard,
  PHONE,
  polymarketKey,
  shoot,
  startStack,
  submit,
  type Stack,
} from '@polybot/web/testing';
import { startManagerProcess, type ManagerProcess } from './support/bot-manager.ts';

const SEED = 20_261_205;
let stack: Stack;
let browser: Browser;
let sim: VenueSim;
let manager: ManagerProcess | undefined;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  // The world moves only when the test says so (sim.advance): what the bots see, and when markets end, is the seed's.
  sim = await startVenueSim({ scenario: 'live', seed: SEED, port: 0, host: '127.0.0.1', autoAdvance: false });
});

afterAll(async () => {
  await manager?.stop();
  await sim?.close();
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

async function until<T>(check: () => Promise<T | null | false | undefined>, what: string, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}\n${manager?.log().slice(-4000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface FillRow {
  platform: VenueId;
  market_id: string;
  instrument_id: string;
  outcome: string | null;
  mode: 'paper' | 'live';
  side: 'buy' | 'sell';
  filled_size: string;
  price: string;
  fee: string;
  strategy: PnlFill['strategy'];
  leg_group_id: string | null;
  executed_at: Date;
}

async function fillsOf(userId: string): Promise<PnlFill[]> {
  const rows = await stack.db.sql<FillRow[]>`
    select platform, market_id, instrument_id, outcome, mode, side, filled_size, price, fee, strategy, leg_group_id,
           executed_at
      from public.polybot_trades where user_id = ${userId} and filled_size > 0 order by id`;
  return rows.map((r) => ({
    at: r.executed_at,
    platform: r.platform,
    marketId: r.market_id,
    instrumentId: r.instrument_id,
    outcome: r.outcome ?? '',
    mode: r.mode,
    side: r.side,
    size: Number(r.filled_size),
    price: Number(r.price),
    fee: Number(r.fee),
    strategy: r.strategy,
    legGroupId: r.leg_group_id,
  }));
}

const count = async (q: Promise<{ n: number }[]>): Promise<number> => (await q)[0]?.n ?? 0;
const settledCount = (userId: string) =>
  count(stack.db.sql`select count(*)::int as n from public.polybot_settlements where user_id = ${userId}`);
const filledCount = (userId: string) =>
  count(
    stack.db.sql`select count(*)::int as n from public.polybot_trades where user_id = ${userId} and filled_size > 0`,
  );

/** What the venue itself says about how a market ended (null while it has not), read over its public API. */
async function venueResolution(platform: VenueId, marketId: string): Promise<MarketResolution | null> {
  if (platform === 'polymarket') {
    const res = await fetch(`${sim.urls.polymarketGamma}/markets?condition_ids=${marketId}`);
    const [m] = (await res.json()) as Array<{
      closed: boolean;
      umaResolutionStatus?: string;
      outcomePrices: string;
      clobTokenIds: string;
    }>;
    if (!m?.closed || m.umaResolutionStatus !== 'resolved') return null;
    return {
      platform,
      marketId,
      status: 'resolved',
      payouts: payoutsFromPolymarket(m.outcomePrices, m.clobTokenIds),
      winningOutcome: null,
      resolvedAt: new Date(),
      source: 'venue',
    };
  }
  const res = await fetch(`${sim.urls.kalshi}/markets/${marketId}`);
  const { market } = (await res.json()) as {
    market: { status: string; result: string; settlement_value_dollars?: string };
  };
  if (market.status !== 'determined' && market.status !== 'finalized') return null;
  const cents =
    market.settlement_value_dollars === undefined ? null : Math.round(Number(market.settlement_value_dollars) * 100);
  const { status, payouts } = payoutsFromKalshi(market.result, cents, marketId);
  return { platform, marketId, status, payouts, winningOutcome: null, resolvedAt: new Date(), source: 'venue' };
}

/** "$1,234.56" / "−$0.12" / "-$3.00" as shown → dollars. */
const shownDollars = (text: string | null): number => {
  const t = (text ?? '').trim();
  const n = Number(t.replace(/[^0-9.]/g, ''));
  return /^[-−]/.test(t) ? -n : n;
};
const cents = (usd: number): number => Math.round(usd * 100);

describe('the money loop on the continuous scenario', () => {
  it('bots trade, markets resolve and settle, and every number shown equals the independent recomputation', async () => {
    const stamp = Date.now();
    // Two paper users as a newcomer makes them: one changes nothing in the wizard, one asks for 0.5 % minimum profit.
    const pages: Page[] = [];
    const users: Array<{ id: string; email: string; live: boolean }> = [];
    for (const [i, opts] of [{}, { minProfitPct: '0.5' }].entries()) {
      const page = await newUserPage(browser);
      const email = `money-${i}-${stamp}@example.test`;
      users.push({
        id: await onboard(stack, page, email, { polymarket: polymarketKey(), ...opts }),
        email,
        live: false,
      });
      pages.push(page);
    }
    // The second caps its bot at 2 open positions on the Config page: one arbitrage basket (2 legs) fills that.
    const capped = users[1] as { id: string };
    const cappedPage = pages[1] as Page;
    await cappedPage.goto(`${stack.baseUrl}/settings/config`);
    await cappedPage.getByLabel('Max open positions').fill('2');
    await submit(cappedPage, 'Risk and strategies', 'Save configuration');
    await cappedPage.getByText(/^Saved\. Configuration version \d+ is on its way to your bot\.$/).waitFor();
    // The live user: through the wizard too, then an admin allows live trading and the user saves live keys the venue
    // issued for their wallet (the manager validates them before the bot starts) and turns dry run off.
    const livePage = await newUserPage(browser);
    const liveEmail = `money-live-${stamp}@example.test`;
    const liveId = await onboard(stack, livePage, liveEmail, { polymarket: polymarketKey() });
    const keys = await walletKeys(sim);
    await stack.db.sql`update public.polybot_user_profiles set live_trading_allowed = true where id = ${liveId}`;
    await saveKeys(stack.db.sql, liveId, keys, false);
    await stack.db.sql`update public.polybot_user_config set dry_run = false where user_id = ${liveId}`;
    users.push({ id: liveId, email: liveEmail, live: true });
    pages.push(livePage);
    const wallet = privateKeyToAccount(`0x${keys.privateKey}`).address;

    manager = await startManagerProcess({ databaseUrl: stack.db.url, sim });
    await until(async () => {
      const rows = await stack.db.sql<{ mode: string; state: string }[]>`
        select mode, state from public.polybot_bot_status where user_id in ${stack.db.sql(users.map((u) => u.id))}`;
      return rows.length === 3 && rows.every((r) => r.state === 'running');
    }, 'three bots running');
    const [liveStatus] = await stack.db.sql<{ mode: string }[]>`
      select mode from public.polybot_bot_status where user_id = ${liveId}`;
    expect(liveStatus?.mode).toBe('live');

    // The world moves a second at a time: every bot trades, then markets resolve and the positions settle.
    const step = async (): Promise<void> => {
      sim.advance(1000);
      await new Promise((r) => setImmediate(r));
    };
    await until(async () => {
      await step();
      for (const u of users) if ((await filledCount(u.id)) === 0) return false;
      return true;
    }, 'a filled trade for every user');

    // The capped bot fills its 2 positions and is blocked: still running, and its dashboard says why and what to do.
    await until(async () => {
      await step();
      const [row] = await stack.db.sql<{ halt_code: string | null }[]>`
        select halt_code from public.polybot_bot_status where user_id = ${capped.id}`;
      return row?.halt_code === 'max_positions_reached';
    }, 'the capped bot blocked at 2 open positions');
    await cappedPage.goto(`${stack.baseUrl}/dashboard`);
    await cappedPage
      .getByTestId('bot-reason')
      .filter({ hasText: /max open positions reached \(2 of 2\)/ })
      .waitFor({ timeout: 30_000 });
    expect(await cappedPage.getByTestId('bot-state').textContent()).toBe('Running');
    await shoot(cappedPage, 'money-loop-1-blocked');
    const tradedWhenBlocked = await filledCount(capped.id);

    // Markets resolve and settle; the capped bot, its positions closed by settlement, trades again.
    await until(
      async () => {
        await step();
        for (const u of users) if ((await settledCount(u.id)) === 0) return false;
        return (await filledCount(capped.id)) > tradedWhenBlocked;
      },
      'a settled position for every user, and the capped bot trading again',
      300_000,
    );
    const [order] = await stack.db.sql<{ settled: Date; traded: Date }[]>`
      select (select min(settled_at) from public.polybot_settlements where user_id = ${capped.id}) as settled,
             (select max(created_at) from public.polybot_trades where user_id = ${capped.id}) as traded`;
    expect(order && order.traded > order.settled).toBe(true);

    // Pause every bot and let the manager finish: from here nothing trades and (with the clock held) nothing resolves.
    await stack.db
      .sql`update public.polybot_user_config set bot_enabled = false where user_id in ${stack.db.sql(users.map((u) => u.id))}`;
    await until(async () => {
      const rows = await stack.db.sql<{ state: string }[]>`
        select state from public.polybot_bot_status where user_id in ${stack.db.sql(users.map((u) => u.id))}`;
      return rows.every((r) => r.state === 'paused');
    }, 'three bots paused');

    for (const [i, u] of users.entries()) {
      const fills = await fillsOf(u.id);
      const markets = [...new Map(fills.map((f) => [`${f.platform}:${f.marketId}`, f])).values()];
      const resolutions = (await Promise.all(markets.map((f) => venueResolution(f.platform, f.marketId)))).filter(
        (r): r is MarketResolution => r !== null,
      );
      expect(resolutions.length).toBeGreaterThan(0);
      // The manager has settled everything the venue resolved (the watcher may still be on the last one).
      await until(async () => {
        const [row] = await stack.db.sql<{ n: number }[]>`
          select count(*)::int as n from public.polybot_positions
           where user_id = ${u.id} and status = 'open' and size > 0
             and (platform, market_id) in ${stack.db.sql(resolutions.map((r) => stack.db.sql([r.platform, r.marketId])))}`;
        return row?.n === 0;
      }, `every resolved market of user ${i} settled`);
      const replay = replayFills(fills, resolutions);

      // The database: sales' realized (on the trades) plus settlements' realized.
      const [db] = await stack.db.sql<{ realized: string }[]>`
        select (select coalesce(sum(realized_pnl_usd), 0) from public.polybot_trades where user_id = ${u.id})
             + (select coalesce(sum(realized_pnl_usd), 0) from public.polybot_settlements where user_id = ${u.id})
             as realized`;
      expect(cents(Number(db?.realized))).toBe(cents(replay.realizedUsd));

      // The positions page and the dashboard, in the user's own browser session.
      const page = pages[i] as Page;
      await page.goto(`${stack.baseUrl}/positions`);
      expect(cents(shownDollars(await page.getByTestId('pos-realized').textContent()))).toBe(cents(replay.realizedUsd));
      await shoot(page, `money-loop-${i}-positions`);
      await page.goto(`${stack.baseUrl}/dashboard`);
      const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
      // (a run that straddles a month boundary has realized P&L in two months; the positions page counts all of it)
      if (fills.every((f) => f.at >= monthStart))
        expect(cents(shownDollars(await page.getByTestId('pnl-month').textContent()))).toBe(cents(replay.realizedUsd));

      if (u.live) {
        // The venue's own account of the wallet: trading and payouts only, against the same fills and resolutions.
        const statement = (await (await fetch(`${sim.origin}/_sim/polymarket/statement?address=${wallet}`)).json()) as {
          cashChange: number;
          fills: unknown[];
        };
        expect(statement.fills.length).toBeGreaterThan(0);
        // Still-open positions were paid for and are not cash yet: that is in the replay's cash delta too.
        expect(cents(statement.cashChange)).toBe(cents(replay.cashDeltaUsd));
      }
    }

    // The first user (every default) at phone width: the numbers are there too.
    const phone = pages[0] as Page;
    await phone.setViewportSize(PHONE);
    await phone.goto(`${stack.baseUrl}/positions`);
    await phone.getByTestId('pos-realized').waitFor();
    // Every table fits: nothing (the Unrealized column, the payout) hides past the right edge in a sideways scroll.
    const hidden = await phone.evaluate(() =>
      [...document.querySelectorAll('.table-wrap')].map((w) => w.scrollWidth - w.clientWidth),
    );
    expect(hidden.every((px) => px <= 0)).toBe(true);
    await shoot(phone, 'money-loop-0-positions-phone');
  });
});
