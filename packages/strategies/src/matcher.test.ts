import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Instrument, MarketLink } from '@polybot/schemas';
import { crossPlatformArbitrage } from './arbitrage.ts';
import { proposeLinks } from './matcher.ts';
import { NOW, book, fixturePath, instrument, snapshot } from '../test/helpers.ts';

interface GammaMarket {
  conditionId: string;
  question: string;
  groupItemTitle: string;
  endDate: string;
}
interface KalshiMarket {
  ticker: string;
  title: string;
  yes_sub_title: string;
  close_time: string;
  event_ticker: string;
}
const [pmEvent] = JSON.parse(readFileSync(fixturePath('polymarket/gamma-events-elon-tweets-negrisk.json'), 'utf8')) as {
  markets: GammaMarket[];
}[];
const kalshiRaw = JSON.parse(readFileSync(fixturePath('kalshi/markets-kxelontweets-25apr11.json'), 'utf8')) as {
  markets: KalshiMarket[];
};
const pm: Instrument[] = (pmEvent?.markets ?? []).map((m) =>
  instrument({
    instrumentId: `${m.conditionId}-Y`,
    marketId: m.conditionId,
    title: m.question,
    outcome: m.groupItemTitle,
    closeTime: m.endDate,
  }),
);
const ks: Instrument[] = kalshiRaw.markets.map((m) =>
  instrument({
    venue: 'kalshi',
    instrumentId: `${m.ticker}:yes`,
    marketId: m.ticker,
    eventId: m.event_ticker,
    title: m.title,
    outcome: m.yes_sub_title,
    closeTime: m.close_time,
  }),
);

describe('proposeLinks', () => {
  it('scores a same-proposition pair high and explains why', () => {
    const a = instrument({
      instrumentId: 'pm-fed',
      marketId: '0xfed',
      title: 'Will the Fed decrease interest rates by 25 bps after the June 2026 meeting?',
      outcome: '25 bps decrease',
      closeTime: '2026-06-17T00:00:00Z',
    });
    const b = instrument({
      venue: 'kalshi',
      instrumentId: 'KXFEDDECISION-26JUN-C25:yes',
      marketId: 'KXFEDDECISION-26JUN-C25',
      title: 'Fed decrease interest rates by 25 bps at June 2026 meeting?',
      outcome: 'Cut 25bps',
      closeTime: '2026-06-17T18:00:00Z',
    });
    const other = instrument({
      venue: 'kalshi',
      instrumentId: 'KXFEDDECISION-26JUN-C50:yes',
      marketId: 'KXFEDDECISION-26JUN-C50',
      title: 'Fed decrease interest rates by 50 bps at June 2026 meeting?',
      outcome: 'Cut 50bps',
      closeTime: '2026-06-17T18:00:00Z',
    });
    const [best, second] = proposeLinks([a], [b, other], { minScore: 0 });
    expect(best).toMatchObject({
      aVenue: 'polymarket',
      aMarketId: '0xfed',
      bVenue: 'kalshi',
      bMarketId: 'KXFEDDECISION-26JUN-C25',
      relation: 'equivalent',
    });
    expect(best?.score).toBeGreaterThan(0.7);
    expect(best?.reasons[0]).toMatch(/^title similarity 0\.\d\d \(shared: .*fed.*\)/);
    expect(best?.reasons[1]).toBe('close dates 0.8 days apart');
    // The 50 bps market shares the words but not the numbers: ranked below.
    expect(second?.bMarketId).toBe('KXFEDDECISION-26JUN-C50');
    expect(second?.score ?? 1).toBeLessThan(best?.score ?? 0);
    // Candidates carry no approval: they are proposals for an admin.
    expect(best).not.toHaveProperty('approved');
  });

  it('on the real Elon-tweets pair, ranks the Kalshi bucket sharing a bound first (300-324 → "300 to 349")', () => {
    const target = pm.filter((i) => i.outcome === '300-324');
    const [best] = proposeLinks(target, ks, { minScore: 0 });
    expect(best?.bMarketId).toBe('KXELONTWEETS-25APR11-324.5');
    // A composite relation is not an equivalence: at the default threshold it is not proposed.
    expect(proposeLinks(target, ks)).toEqual([]);
  });

  it('with only common words to block on, still finds the market whose numbers agree', () => {
    const many = Array.from({ length: 30 }, (_, k) =>
      instrument({
        venue: 'kalshi',
        instrumentId: `KXBTC-${k}:yes`,
        marketId: `KXBTC-${k}`,
        title: `Bitcoin price above ${90_000 + k * 1_000} on Dec 31, 2026?`,
        closeTime: '2026-12-31T22:00:00Z',
      }),
    );
    const pmBtc = instrument({
      instrumentId: 'pm-btc',
      marketId: '0xbtc',
      title: 'Will the Bitcoin price be above 100000 on December 31 2026?',
      closeTime: '2026-12-31T23:59:00Z',
    });
    const [best] = proposeLinks([pmBtc], many, { minScore: 0 });
    expect(best?.bMarketId).toBe('KXBTC-10');
    expect(best?.reasons[2]).toBe('numbers 100000/31/2026 vs 100000/31/2026');
  });

  it('does not propose pairs that are already linked', () => {
    const target = pm.filter((i) => i.outcome === '300-324');
    const link: MarketLink = {
      id: 3,
      relation: 'equivalent',
      aVenue: 'polymarket',
      aMarketId: target[0]?.marketId ?? '',
      bVenue: 'kalshi',
      bMarketId: 'KXELONTWEETS-25APR11-324.5',
      approved: false,
    };
    const found = proposeLinks(target, ks, { minScore: 0, existing: [link] });
    expect(found.map((c) => c.bMarketId)).not.toContain('KXELONTWEETS-25APR11-324.5');
  });

  it('a proposed link is not traded until approved', () => {
    const a = instrument({
      instrumentId: 'A-Y',
      marketId: 'A',
      title: 'Team X wins the 2026 final',
      closeTime: '2026-07-19T00:00:00Z',
    });
    const aNo = instrument({ instrumentId: 'A-N', marketId: 'A', side: 'no', title: 'Team X wins the 2026 final' });
    const b = instrument({
      venue: 'kalshi',
      instrumentId: 'KXF:yes',
      marketId: 'KXF',
      title: 'Team X wins 2026 final',
      closeTime: '2026-07-19T00:00:00Z',
    });
    const bNo = instrument({
      venue: 'kalshi',
      instrumentId: 'KXF:no',
      marketId: 'KXF',
      side: 'no',
      title: 'Team X wins 2026 final',
    });
    const [c] = proposeLinks([a], [b]);
    expect(c?.bMarketId).toBe('KXF');
    if (!c) return;
    const link: MarketLink = {
      id: 1,
      relation: c.relation,
      aVenue: c.aVenue,
      aMarketId: c.aMarketId,
      bVenue: c.bVenue,
      bMarketId: c.bMarketId,
      approved: false,
    };
    const books = [
      book('A-Y', [[0.4, 100]]),
      book('A-N', [[0.7, 100]]),
      book('KXF:yes', [[0.7, 100]], [], NOW, 'kalshi'),
      book('KXF:no', [[0.5, 100]], [], NOW, 'kalshi'),
    ];
    const s = snapshot([a, aNo, b, bNo], books);
    const params = { minProfitPct: 0, maxTradeSizeUsd: 1000, maxBookAgeMs: 10_000 };
    expect(crossPlatformArbitrage({ ...s, links: [link] }, params, NOW)).toEqual([]);
    expect(crossPlatformArbitrage({ ...s, links: [{ ...link, approved: true }] }, params, NOW)).toHaveLength(1);
  });
});
