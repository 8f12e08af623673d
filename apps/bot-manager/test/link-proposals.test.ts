// The periodic link matcher (src/manager/link-proposals.ts) on a real database and the simulator's real universe:
// it stores proposals (never approvals), is idempotent across runs and across managers, reads the universe afresh on
// every run (a market listed later is matched), and never proposes again what an admin rejected.
import { asService, listApprovedMarketLinks, reviewMarketLink } from '@polybot/db/service';
import type { Instrument } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkProposer } from '../src/manager/link-proposals.ts';
import { MarketFeed } from '../src/manager/market-feed.ts';
import { createLogger } from '../src/shared/log.ts';
import { startBothVenuesSim, venueUrlsOf } from './harness.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack({ sim: startBothVenuesSim });
const log = createLogger('link-proposals-test', 'warn');
let feed: MarketFeed;

/** A market pair listed on both venues, worded differently, as the matcher meets them. */
function listedPair(n: number, pmTitle: string, kTitle: string): Instrument[] {
  const base = {
    eventId: null,
    outcome: 'Yes',
    mutuallyExclusive: false,
    tickSize: 0.01,
    minOrderSize: 1,
    closeTime: '2027-06-20T00:00:00Z',
    active: true,
    side: 'yes' as const,
  };
  return [
    {
      ...base,
      venue: 'polymarket',
      instrumentId: `tok-${n}`,
      marketId: `0xlisted${n}`,
      complementId: null,
      title: pmTitle,
    },
    {
      ...base,
      venue: 'kalshi',
      instrumentId: `KXLISTED-${n}:yes`,
      marketId: `KXLISTED-${n}`,
      complementId: null,
      title: kTitle,
    },
  ];
}
const lakers = listedPair(
  1,
  'Will the Lakers win the 2027 NBA Finals?',
  'Will the Los Angeles Lakers win the 2027 NBA Finals?',
);
const starship = listedPair(
  2,
  'Will SpaceX land Starship on the Moon by 2027?',
  'Will SpaceX land a Starship on the Moon before 2027?',
);

async function linkRows(aMarketId: string) {
  return stack.db.sql<
    {
      id: string;
      status: string;
      proposed_by: string;
      match_score: string;
      a_title: string;
      b_title: string;
      match_reasons: string[];
    }[]
  >`
    select id, status, proposed_by, match_score, a_title, b_title, match_reasons from public.polybot_market_links
     where a_market_id = ${aMarketId}`;
}

beforeAll(async () => {
  feed = new MarketFeed(venueUrlsOf(stack.sim), log, { pollIntervalMs: 60_000 });
  await feed.discover();
});
afterAll(async () => feed?.close());

describe('LinkProposer', () => {
  // The universe the manager's feed holds, plus what lists later (the lifecycle watcher updates the feed in place).
  const universe: { instruments: Instrument[] } = { instruments: [] };
  const proposer = () => new LinkProposer({ sql: stack.managerSql, universe, log, intervalMs: 3_600_000 });

  it('proposes links over the current universe, with titles, score and reasons, and approves nothing', async () => {
    universe.instruments = [...feed.instruments, ...lakers];
    const run = await proposer().runOnce();
    expect(run.skipped).toBe(false);
    expect(run.inserted).toBeGreaterThan(0);
    const [row] = await linkRows('0xlisted1');
    expect(row).toMatchObject({
      status: 'proposed',
      proposed_by: 'matcher',
      a_title: 'Will the Lakers win the 2027 NBA Finals?',
      b_title: 'Will the Los Angeles Lakers win the 2027 NBA Finals?',
    });
    expect(Number(row?.match_score)).toBeGreaterThan(0.55);
    expect(row?.match_reasons[0]).toMatch(/^title similarity/);
    expect(await asService(stack.db.sql, (tx) => listApprovedMarketLinks(tx))).toEqual([]);
  });

  it('is idempotent: the same manager skips an unchanged universe, another manager writes nothing new', async () => {
    const p = proposer();
    const [before] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from public.polybot_market_links`;
    expect(await p.runOnce()).toMatchObject({ skipped: false, inserted: 0, refreshed: 0 });
    expect(await p.runOnce()).toMatchObject({ skipped: true });
    expect(await proposer().runOnce()).toMatchObject({ skipped: false, inserted: 0, refreshed: 0 });
    const [after] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from public.polybot_market_links`;
    expect(after?.n).toBe(before?.n);
  });

  it('a market listed later is matched on the next run; a rejected proposal is never proposed again', async () => {
    const p = proposer();
    await p.runOnce();
    const [lakersLink] = await linkRows('0xlisted1');
    await reviewMarketLink(stack.db.sql, Number(lakersLink?.id), 'rejected', 'different resolution source');

    universe.instruments = [...universe.instruments, ...starship];
    const run = await p.runOnce();
    expect(run).toMatchObject({ skipped: false, inserted: 1 });
    expect(await linkRows('0xlisted2')).toMatchObject([{ status: 'proposed', proposed_by: 'matcher' }]);
    // Still the one rejected row for the Lakers pair, untouched, whichever manager runs and however often.
    await proposer().runOnce();
    expect(await linkRows('0xlisted1')).toMatchObject([
      { id: lakersLink?.id, status: 'rejected', match_score: lakersLink?.match_score },
    ]);
  });
});
