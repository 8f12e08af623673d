// News rules end to end: the manager polls the simulator's RSS feeds (through a counting proxy) once per feed whatever
// the number of readers, only for feeds some running runner has an enabled rule on, and forwards each new item to
// those runners; a runner with news on (config AND plan) prices its rules against the books and books a paper 'news'
// trade through the same risk → reservation → execution → booking path as everything else. arb-rich's 'fed' feed
// publishes a rate-cut signal at once and an unscheduled-meeting item after 20 s of scenario time; its 'ap' feed
// carries a local story no rule here matches. Scenario time stands still (it moves only when the test advances it),
// so "published after 20 s" happens exactly when the test says.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, expect, test } from 'vitest';
import { startBotManager, type RunningBotManager } from '../src/index.ts';
import { polymarketFactory } from '@polybot/local-stack/venue-sim';
import { heartbeats, startVenueSim, statusOf, tradesThisMonth, tradesOf, until, type TradeRow } from './harness.ts';
import { PRO_FEATURES, planUser } from './plan-users.ts';
import { managerOptions, useManagerStack } from './stack.ts';

// Fed Decision in June? — '25 bps decrease' YES (asks from 0.025) and 'Fed emergency rate cut in 2025?' YES (from 0.05).
const FED_25_DOWN_YES = '65193234666628291664907888364936366210889305490897648116746073820519263548476';
const EMERGENCY_CUT_YES = '86651051340048717188016545368005905974650771288612142430184256026061526806964';

const NO_NEWS_FEATURES = { ...PRO_FEATURES, news_arbitrage: false };
// Arbitrage and copy trading off: every trade these users book is a news trade.
const NEWS_ONLY = {
  enable_news_arbitrage: true,
  enable_copy_trading: false,
  enable_single_platform_arb: false,
  enable_cross_platform_arb: false,
  enable_overlapping_arb: false,
};

const CUT_RULE = {
  id: 'fed-cut',
  feed: 'fed',
  keywords: ['rate cut'],
  venue: 'polymarket',
  instrumentId: FED_25_DOWN_YES,
  side: 'yes',
  maxPrice: 0.05,
  confidence: 0.4,
  maxSizeUsd: 20,
  windowMinutes: 60,
};
const MEETING_RULE = {
  ...CUT_RULE,
  id: 'fed-meeting',
  keywords: ['unscheduled meeting'],
  instrumentId: EMERGENCY_CUT_YES,
  maxPrice: 0.1,
  confidence: 0.3,
};
const RECESSION_RULE = { ...CUT_RULE, id: 'fed-recession', keywords: ['recession'] };
const AP_RULE = { ...CUT_RULE, id: 'ap-rates', feed: 'ap', keywords: ['interest rates'] };

const stack = useManagerStack({
  sim: () => startVenueSim({ scenario: 'arb-rich', port: 0, venues: [polymarketFactory], autoAdvance: false }),
  proxy: true,
  timeoutMs: 120_000,
});
let m: RunningBotManager;
const logLines: string[] = [];
const users: Record<string, string> = {};

async function newsUser(
  rules: object[],
  o: { features?: Record<string, boolean>; config?: Record<string, unknown> } = {},
): Promise<string> {
  return planUser(stack.db, o.features ?? PRO_FEATURES, {
    config: {
      ...NEWS_ONLY,
      advanced_config: stack.db.sql.json({ newsRules: rules, followedWallets: [] } as never),
      ...o.config,
    },
  });
}

const newsTrades = (userId: string): Promise<TradeRow[]> => tradesOf(stack.db.sql, userId);
/** The user's trades once there is one. */
const firstTrades = (userId: string, what: string, timeoutMs: number): Promise<TradeRow[]> =>
  until(
    async () => {
      const r = await newsTrades(userId);
      return r.length >= 1 ? r : null;
    },
    what,
    timeoutMs,
  );
const polls = (feed: string): number => stack.proxy.requests.filter((r) => r === `GET /news/${feed}/rss.xml`).length;

// Registered after the stack's: runs before it (after-hooks run in reverse), so the manager stops first.
afterAll(async () => {
  await m?.stop();
});

test('a rule on the Fed item books exactly one paper news trade at ≤ maxPrice; unmatched keywords, toggle off or a plan without news → none; the 20 s item triggers only once published', async () => {
  users.cut = await newsUser([CUT_RULE]);
  users.meeting = await newsUser([MEETING_RULE]);
  users.noMatch = await newsUser([RECESSION_RULE]);
  users.toggleOff = await newsUser([CUT_RULE], { config: { enable_news_arbitrage: false } });
  users.noPlan = await newsUser([CUT_RULE], { features: NO_NEWS_FEATURES });
  users.ap = await newsUser([AP_RULE]);
  const sink = new Writable({
    write: (chunk: Buffer, _e, cb) => {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  m = await startBotManager({
    ...managerOptions(stack.managerUrl, stack.urls, 'm-news'),
    logger: pino({ level: 'warn' }, sink),
    crashBackoffBaseMs: 100,
    newsFeeds: { fed: `${stack.proxy.origin}/news/fed/rss.xml`, ap: `${stack.proxy.origin}/news/ap/rss.xml` },
    newsPollIntervalMs: 300,
    newsMaxBackoffMs: 1200,
  });

  const [cut] = await firstTrades(users.cut ?? '', 'the rate-cut rule’s trade', 120_000);
  expect(cut).toMatchObject({
    strategy: 'news',
    mode: 'paper',
    status: 'filled',
    instrument_id: FED_25_DOWN_YES,
    leg_group_id: 'news:fed-cut:fed-june-cut-signal',
  });
  expect(cut?.price).toBeLessThanOrEqual(CUT_RULE.maxPrice);
  // The rule's own budget (20 USD, fees included) bounds it, below the config's 250.
  expect((cut?.size ?? 0) * (cut?.price ?? 0) + (cut?.fee ?? 0)).toBeLessThanOrEqual(20 + 1e-6);
  expect(await tradesThisMonth(stack.db.sql, users.cut ?? '')).toBe(1);

  // Every runner was up and the 'fed' feed was read again and again: the others had their chance.
  const fedPolls = polls('fed');
  await until(() => polls('fed') >= fedPolls + 5, 'five more polls of the fed feed', 60_000);
  for (const u of [users.noMatch, users.toggleOff, users.noPlan, users.ap, users.meeting]) {
    await heartbeats(stack.db.sql, u ?? '', 3);
    expect(await newsTrades(u ?? '')).toEqual([]);
  }

  // Scenario time reaches 20 s: the unscheduled-meeting item is published now, and only now.
  const publishedAt = new Date();
  stack.sim.advance(20_000);
  const [meeting] = await firstTrades(users.meeting ?? '', 'the meeting rule’s trade', 60_000);
  expect(meeting).toMatchObject({
    strategy: 'news',
    status: 'filled',
    instrument_id: EMERGENCY_CUT_YES,
    leg_group_id: 'news:fed-meeting:fed-unscheduled-meeting',
  });
  expect(meeting?.price).toBeLessThanOrEqual(MEETING_RULE.maxPrice);
  expect(meeting?.created_at.getTime()).toBeGreaterThanOrEqual(publishedAt.getTime());
  // The second item does not say 'rate cut': the first rule has still acted once.
  await until(() => polls('fed') >= fedPolls + 10, 'more polls of the fed feed after the second item', 60_000);
  await heartbeats(stack.db.sql, users.cut ?? '', 3);
  expect(await newsTrades(users.cut ?? '')).toHaveLength(1);
  for (const u of [users.noMatch, users.toggleOff, users.noPlan]) expect(await newsTrades(u ?? '')).toEqual([]);
}, 300_000);

test('a restarted runner is handed the same items again and books no second trade', async () => {
  const before = m.manager.runners().find((r) => r.userId === users.cut)?.pid;
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${users.cut ?? ''}`;
  await until(() => !m.manager.runners().some((r) => r.userId === users.cut), 'the runner stopped');
  const delivered = m.newsFeed?.stats().delivered ?? 0;
  await stack.db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${users.cut ?? ''}`;
  await until(() => m.manager.runners().some((r) => r.userId === users.cut && r.pid !== before), 'a new runner');
  // The replay reached the new runner (both fed items are inside its 60-minute window)...
  await until(
    () => (m.newsFeed?.stats().delivered ?? 0) >= delivered + 2,
    'the recent items replayed to the new runner',
  );
  await heartbeats(stack.db.sql, users.cut ?? '', 5);
  // ...and it acted on none of them again.
  expect(await newsTrades(users.cut ?? '')).toHaveLength(1);
  expect(await tradesThisMonth(stack.db.sql, users.cut ?? '')).toBe(1);
}, 120_000);

test('three users with rules on one feed → one poll stream for it (as many polls as a feed one user reads)', async () => {
  const stats = m.newsFeed?.stats();
  // toggleOff and noPlan have rules on 'fed' but news is off for them: they read nothing.
  expect(stats?.feeds.fed?.subscribers).toBe(3);
  expect(stats?.feeds.ap?.subscribers).toBe(1);
  const [f0, a0] = [polls('fed'), polls('ap')];
  await until(() => polls('ap') >= a0 + 10, 'ten more polls of the ap feed', 60_000);
  const [f1, a1] = [polls('fed'), polls('ap')];
  // Each feed has its own loop on the same beat: per-reader polling would show three times as many for 'fed'.
  expect(Math.abs(f1 - f0 - (a1 - a0))).toBeLessThanOrEqual(2);
  const health = (await (await fetch(`http://127.0.0.1:${m.httpPort}/healthz`)).json()) as {
    news: { feeds: Record<string, { items: number; subscribers: number }> };
  };
  expect(health.news.feeds.fed).toMatchObject({ items: 2, subscribers: 3 });
  expect(health.news.feeds.ap).toMatchObject({ items: 1, subscribers: 1 });
}, 120_000);

test('a feed answering 500 is logged, counted and retried with backoff; the other feed and the bots keep working, and it recovers', async () => {
  const fail = await fetch(`${stack.sim.origin}/_sim/news/fail`, {
    method: 'POST',
    body: JSON.stringify({ feed: 'ap', status: 500 }),
  });
  expect(fail.status).toBe(200);
  await until(() => (m.newsFeed?.stats().feeds.ap?.errors ?? 0) >= 3, 'three failed polls of ap', 60_000);
  const failing = m.newsFeed?.stats().feeds.ap;
  expect(failing).toMatchObject({ failing: true, lastError: 'HTTP 500' });
  const logged = logLines
    .map((l) => JSON.parse(l) as { msg: string; feed?: string; err?: string })
    .filter((l) => l.msg === 'news feed poll failed');
  expect(logged.length).toBeGreaterThanOrEqual(3);
  expect(logged.every((l) => l.feed === 'ap' && l.err === 'HTTP 500')).toBe(true);
  const metrics = await (await fetch(`http://127.0.0.1:${m.httpPort}/metrics`)).text();
  expect(Number(/polybot_news_poll_errors_total\{feed="ap"\} (\d+)/.exec(metrics)?.[1] ?? 0)).toBeGreaterThanOrEqual(3);
  expect(metrics).not.toMatch(/polybot_news_poll_errors_total\{feed="fed"\}/);

  // Backoff: while 'fed' keeps its 300 ms beat, 'ap' is asked less and less often.
  const [f0, a0] = [polls('fed'), polls('ap')];
  await until(() => polls('fed') >= f0 + 12, 'twelve more polls of fed', 60_000);
  expect(polls('ap') - a0).toBeLessThan(8);
  expect(m.newsFeed?.stats().feeds.fed).toMatchObject({ failing: false, errors: 0 });
  await heartbeats(stack.db.sql, users.ap ?? '', 3);
  await heartbeats(stack.db.sql, users.meeting ?? '', 3);
  const health = await fetch(`http://127.0.0.1:${m.httpPort}/healthz`);
  expect(health.status).toBe(200);

  await fetch(`${stack.sim.origin}/_sim/news/fail`, {
    method: 'POST',
    body: JSON.stringify({ feed: 'ap', status: null }),
  });
  await until(() => m.newsFeed?.stats().feeds.ap?.failing === false, 'ap polled successfully again', 60_000);
  expect(m.newsFeed?.stats().feeds.ap?.items).toBe(1);
}, 180_000);

test('a rule the runner cannot act on is listed in the status with its reason; fixing it empties the list in place (same pid)', async () => {
  // Never matching ('recession' is in no item): this test is about which rules the runner takes, not about trades.
  const good = { ...RECESSION_RULE, id: 'fed-good' };
  const bad = { ...RECESSION_RULE, id: 'fed-unlisted', instrumentId: '98765432109876543210' };
  const userId = await newsUser([good, bad]);
  const ignoredOf = async (): Promise<unknown> =>
    (
      await stack.db.sql<
        { ignored: unknown }[]
      >`select stats->'ignored_news_rules' as ignored from public.polybot_bot_status where user_id = ${userId}`
    )[0]?.ignored;

  const listed = await until(
    async () => {
      const v = await ignoredOf();
      return Array.isArray(v) ? v : null;
    },
    'ignored news rules in the status',
    60_000,
  );
  expect(listed).toEqual([
    { rule_id: 'fed-unlisted', reason: 'instrument 987654321098… is not a listed Polymarket market' },
  ]);
  const pid = m.manager.runners().find((r) => r.userId === userId)?.pid;
  expect(pid).toBeGreaterThan(0);

  const fixed = { ...bad, instrumentId: EMERGENCY_CUT_YES };
  const [row] = await stack.db.sql`
    update public.polybot_user_config set advanced_config = ${stack.db.sql.json({ newsRules: [good, fixed], followedWallets: [] } as never)}
    where user_id = ${userId} returning config_version`;
  const version = Number(row?.config_version);
  await until(
    async () => {
      const s = await statusOf(stack.db.sql, userId);
      const v = await ignoredOf();
      return Number(s.config_version) === version && Array.isArray(v) && v.length === 0;
    },
    'the ignored list emptied by the new config',
    60_000,
  );
  // Applied in place: the same runner, no restart.
  expect(m.manager.runners().find((r) => r.userId === userId)?.pid).toBe(pid);
  expect(Number((await statusOf(stack.db.sql, userId)).pid)).toBe(pid);
}, 120_000);
