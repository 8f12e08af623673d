// Gamma and CLOB parsing on real recorded venue responses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BookSummarySchema, summaryHashOk, summaryToOrderBook } from './book.ts';
import { GammaEventSchema, GammaMarketSchema, instrumentsOf, negRiskGroups, parseMarketsPage } from './gamma.ts';
import { fixturePath } from '@polybot/local-stack/fixtures';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fixturePath('polymarket', name), 'utf8'));

describe('Gamma parsing (recorded responses)', () => {
  it('decodes the JSON-string fields of 50 recorded markets and makes two instruments per tradeable market', () => {
    const { markets, invalid } = parseMarketsPage(fixture('gamma-markets-50.json'));
    expect(invalid).toEqual([]);
    expect(markets).toHaveLength(50);
    const withTokens = markets.filter(
      (m) => (m.clobTokenIds?.length ?? 0) === 2 && m.conditionId && m.enableOrderBook !== false,
    );
    const instruments = markets.flatMap((m) => instrumentsOf(m));
    expect(instruments).toHaveLength(withTokens.length * 2);
    const first = withTokens[0];
    const [yes, no] = instrumentsOf(first ?? GammaMarketSchema.parse({}));
    expect(yes).toMatchObject({
      venue: 'polymarket',
      side: 'yes',
      complementId: no?.instrumentId,
      marketId: first?.conditionId,
      outcome: first?.outcomes?.[0],
    });
    expect(no?.complementId).toBe(yes?.instrumentId);
    expect(instruments.filter((i) => i.mutuallyExclusive).length).toBeGreaterThan(0);
  });

  it('groups a neg-risk event (Elon tweet buckets) into one mutually exclusive set of 16 YES instruments', () => {
    const [event] = z.array(GammaEventSchema).parse(fixture('gamma-events-elon-tweets-negrisk.json'));
    expect(event?.negRisk).toBe(true);
    const instruments = (event?.markets ?? []).flatMap((m) => instrumentsOf(m, event?.id ?? null));
    const groups = negRiskGroups(instruments);
    expect([...groups.keys()]).toEqual([event?.id]);
    expect(groups.get(event?.id ?? '')?.map((i) => i.outcome)).toEqual(Array(16).fill('Yes'));
    expect(instruments.every((i) => i.tickSize > 0 && i.eventId === event?.id && i.mutuallyExclusive)).toBe(true);
  });

  it('carries the fee schedule and outcome names of the Fed-decision and BTC Up/Down markets', () => {
    const fed = GammaEventSchema.parse(fixture('gamma-event-fed-decision-june-negrisk.json'));
    expect(fed.markets.map((m) => m.feeSchedule?.rate)).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
    const btc = GammaMarketSchema.parse(fixture('gamma-market-btc-updown-5m.json'));
    expect(btc.feeSchedule).toMatchObject({ rate: 0.25, exponent: 2 });
    expect(instrumentsOf(btc).map((i) => i.outcome)).toEqual(['Up', 'Down']);
  });

  it('rejects a market whose JSON-string field is not valid JSON, and reports it', () => {
    const { markets, invalid } = parseMarketsPage([
      { id: '1', question: 'q', conditionId: '0x1', slug: 's', outcomes: '[Yes, No', clobTokenIds: '["1","2"]' },
    ]);
    expect(markets).toEqual([]);
    expect(invalid[0]?.error).toMatch(/outcomes/);
  });

  it('sorts recorded CLOB books best-first (the venue lists the best level last)', () => {
    const books = z.array(BookSummarySchema).parse(fixture('clob-books-fed-decision-negrisk.json'));
    for (const summary of books) {
      const book = summaryToOrderBook(summary);
      const bids = book.bids.map((l) => l.price);
      const asks = book.asks.map((l) => l.price);
      expect(bids).toEqual([...bids].sort((a, b) => b - a));
      expect(asks).toEqual([...asks].sort((a, b) => a - b));
      expect(book.bids[0]?.price).toBe(Number(summary.bids.at(-1)?.price));
      if (book.bids[0] && book.asks[0]) expect(book.bids[0].price).toBeLessThan(book.asks[0].price);
    }
  });

  it('verifies recorded REST book hashes, and catches a tampered level', () => {
    const books = z.array(z.unknown()).parse(fixture('clob-books-fed-decision-negrisk.json'));
    expect([fixture('clob-book-btc-updown-5m.json'), ...books].every(summaryHashOk)).toBe(true);
    const raw = fixture('clob-book-btc-updown-5m.json');
    expect(summaryHashOk(structuredClone(raw))).toBe(true);
    // Mutate in place: rebuilding the object would reorder keys, which changes the hash by itself.
    const tampered = structuredClone(raw) as { asks: { size: string }[] };
    const first = tampered.asks[0];
    if (first) first.size = '531';
    expect(summaryHashOk(tampered)).toBe(false);
  });
});
