// Parsers against recorded Kalshi responses (legacy integer-cent schema) and the 2026 dollar-string schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EventsPageSchema,
  MarketsPageSchema,
  bidsFromLevels,
  instrumentsOf,
  parseMarket,
  sideBook,
  splitInstrumentId,
} from './parse.ts';
import { fixturePath } from '@polybot/local-stack/fixtures';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fixturePath('kalshi', name), 'utf8'));

describe('Kalshi parsers', () => {
  it('reads the legacy integer-cent markets (KXELONTWEETS-25APR11) as dollars', () => {
    const page = MarketsPageSchema.parse(fixture('markets-kxelontweets-25apr11.json'));
    const markets = page.markets.map(parseMarket);
    expect(markets).toHaveLength(13);
    const low = markets.find((m) => m.ticker === 'KXELONTWEETS-25APR11-300');
    expect(low).toMatchObject({
      eventTicker: 'KXELONTWEETS-25APR11',
      yesBid: 0.53,
      yesAsk: 0.55,
      noBid: 0.45,
      noAsk: 0.47,
      status: 'active',
      tickSize: 0.01,
      yesSubTitle: '299 or below',
    });
    // A 0¢ bid / 100¢ ask is "no quote", not a price.
    const top = markets.find((m) => m.ticker === 'KXELONTWEETS-25APR11-849');
    expect(top).toMatchObject({ yesBid: null, yesAsk: 0.01, noBid: 0.99, noAsk: null });
  });

  it('reads finalized markets with their result', () => {
    const page = MarketsPageSchema.parse(fixture('markets-kxelontweets-25mar28-finalized.json'));
    const markets = page.markets.map(parseMarket);
    expect(markets.every((m) => m.status === 'finalized')).toBe(true);
    expect(markets.filter((m) => m.result === 'yes')).toHaveLength(1);
    const first = markets[0];
    if (!first) throw new Error('fixture has no markets');
    expect(instrumentsOf(first, null)[0]?.active).toBe(false);
  });

  it('reads events with mutually_exclusive and builds paired instruments', () => {
    const events = EventsPageSchema.parse(fixture('events-kxelontweets-2025.json')).events;
    expect(events).toHaveLength(7);
    expect(events.every((e) => e.mutually_exclusive)).toBe(true);
    const market = parseMarket({
      ticker: 'KXFED-26JUN-H0',
      event_ticker: 'KXFED-26JUN',
      title: 'No change?',
      yes_sub_title: 'No change',
      status: 'active',
      close_time: '2026-06-17T18:00:00Z',
      yes_bid_dollars: '0.8300',
      yes_ask_dollars: '0.8500',
      no_bid_dollars: '0.1500',
      no_ask_dollars: '0.1700',
      last_price_dollars: '0.8400',
      result: '',
    });
    const [yes, no] = instrumentsOf(market, { event_ticker: 'KXFED-26JUN', mutually_exclusive: true, title: 'Fed' });
    expect(yes).toMatchObject({
      instrumentId: 'KXFED-26JUN-H0:yes',
      complementId: 'KXFED-26JUN-H0:no',
      side: 'yes',
      mutuallyExclusive: true,
      eventId: 'KXFED-26JUN',
      active: true,
    });
    expect(no).toMatchObject({ instrumentId: 'KXFED-26JUN-H0:no', complementId: 'KXFED-26JUN-H0:yes', side: 'no' });
    expect(() => parseMarket({ ticker: 'X' })).toThrow(/unrecognised Kalshi market/);
  });

  it('turns bids-only books into per-side books, asks = 1 − other side bids, best first', () => {
    const bids = bidsFromLevels(
      [
        [0.81, 650],
        [0.83, 120],
        [0.82, 300],
      ],
      [
        [0.13, 650],
        [0.15, 120],
        [0.14, 300],
      ],
    );
    expect(sideBook(bids, 'yes')).toEqual({
      bids: [
        { price: 0.83, size: 120 },
        { price: 0.82, size: 300 },
        { price: 0.81, size: 650 },
      ],
      asks: [
        { price: 0.85, size: 120 },
        { price: 0.86, size: 300 },
        { price: 0.87, size: 650 },
      ],
    });
    expect(sideBook(bids, 'no')).toEqual({
      bids: [
        { price: 0.15, size: 120 },
        { price: 0.14, size: 300 },
        { price: 0.13, size: 650 },
      ],
      asks: [
        { price: 0.17, size: 120 },
        { price: 0.18, size: 300 },
        { price: 0.19, size: 650 },
      ],
    });
    expect(splitInstrumentId('KXELONTWEETS-26APR10-324.5:no')).toEqual({
      ticker: 'KXELONTWEETS-26APR10-324.5',
      side: 'no',
    });
    expect(() => splitInstrumentId('KXELONTWEETS-26APR10-324.5')).toThrow();
  });
});
