// Builders for tests and the benchmark: terse instruments and books with the real shapes.
import { readFileSync } from 'node:fs';
import { fixturePath as recordedFile, type FixtureVenue } from '@polybot/local-stack/fixtures';
import type { FeeSchedule, Instrument, OrderBook, VenueId } from '@polybot/schemas';
import type { CopyParams } from '../src/copy-trading.ts';
import type { MarketSnapshot } from '../src/types.ts';

export const NOW = 1_778_997_900_000;

/** Copy-trading limits loose enough that only the case's own rule decides: ×1, $1,000 caps, 2 % slippage. */
export const COPY_PARAMS: CopyParams = {
  scale: 1,
  maxPerTradeUsd: 1000,
  maxTradeSizeUsd: 1000,
  maxSlippage: 0.02,
  maxTradeAgeMs: 60_000,
  maxBookAgeMs: 10_000,
};

export function instrument(p: Partial<Instrument> & { instrumentId: string; venue?: VenueId }): Instrument {
  return {
    venue: 'polymarket',
    marketId: p.instrumentId.split(':')[0] ?? p.instrumentId,
    eventId: null,
    side: 'yes',
    complementId: null,
    title: p.instrumentId,
    outcome: 'Yes',
    mutuallyExclusive: false,
    tickSize: 0.01,
    minOrderSize: p.venue === 'kalshi' ? 1 : 5,
    closeTime: null,
    active: true,
    ...p,
  };
}

/** asks/bids as [price, size] pairs, best first. */
export function book(
  instrumentId: string,
  asks: [number, number][],
  bids: [number, number][] = [],
  timestampMs = NOW,
  venue: VenueId = 'polymarket',
): OrderBook {
  return {
    venue,
    instrumentId,
    asks: asks.map(([price, size]) => ({ price, size })),
    bids: bids.map(([price, size]) => ({ price, size })),
    timestampMs,
    seq: 1,
  };
}

export function snapshot(
  instruments: Instrument[],
  books: OrderBook[],
  fees: FeeSchedule | ((i: Instrument) => FeeSchedule) = { type: 'none' },
): MarketSnapshot {
  return {
    instruments: new Map(instruments.map((i) => [i.instrumentId, i])),
    books: new Map(books.map((b) => [b.instrumentId, b])),
    fees: typeof fees === 'function' ? fees : () => fees,
  };
}

/** Recorded venue data (@polybot/local-stack/fixtures); `rel` is `<venue>/<file>`, the recorded set kept once in local-stack. */
export function fixturePath(rel: string): string {
  const [venue, file] = rel.split('/') as [FixtureVenue, string];
  return recordedFile(venue, file);
}

interface RawLevel {
  price: string;
  size: string;
}
interface RawBook {
  asset_id: string;
  market: string;
  timestamp: string;
  bids: RawLevel[];
  asks: RawLevel[];
  min_order_size: string;
  tick_size: string;
}
interface RawMarket {
  conditionId: string;
  question: string;
  groupItemTitle?: string;
  clobTokenIds: string;
  orderMinSize?: number;
  feeSchedule?: { rate: number; exponent: number; takerOnly: boolean; rebateRate: number };
  endDate?: string;
}
interface RawEvent {
  id: string;
  markets: RawMarket[];
}

/**
 * The recorded Fed-decision neg-risk event (5 outcomes) as instruments + books. The CLOB lists bids ascending and
 * asks descending (best level last); OrderBook wants best first, so both are reversed.
 */
export function loadFedDecision(): { instruments: Instrument[]; books: OrderBook[]; fees: FeeSchedule } {
  const event = JSON.parse(
    readFileSync(fixturePath('polymarket/gamma-event-fed-decision-june-negrisk.json'), 'utf8'),
  ) as RawEvent;
  const raw = JSON.parse(
    readFileSync(fixturePath('polymarket/clob-books-fed-decision-negrisk.json'), 'utf8'),
  ) as RawBook[];
  const instruments: Instrument[] = [];
  let fees: FeeSchedule = { type: 'none' };
  for (const m of event.markets) {
    const tokens = JSON.parse(m.clobTokenIds) as string[];
    const [yes, no] = tokens;
    if (!yes || !no) throw new Error(`market ${m.conditionId} lacks two tokens`);
    if (m.feeSchedule) fees = { type: 'polymarket', ...m.feeSchedule };
    for (const [id, side, complement] of [
      [yes, 'yes', no],
      [no, 'no', yes],
    ] as const) {
      instruments.push({
        venue: 'polymarket',
        instrumentId: id,
        marketId: m.conditionId,
        eventId: event.id,
        side,
        complementId: complement,
        title: m.question,
        outcome: m.groupItemTitle ?? m.question,
        mutuallyExclusive: true,
        tickSize: 0.001,
        minOrderSize: m.orderMinSize ?? 5,
        closeTime: m.endDate ?? null,
        active: true,
      });
    }
  }
  const books = raw.map((b): OrderBook => ({
    venue: 'polymarket',
    instrumentId: b.asset_id,
    bids: b.bids.map((l) => ({ price: Number(l.price), size: Number(l.size) })).reverse(),
    asks: b.asks.map((l) => ({ price: Number(l.price), size: Number(l.size) })).reverse(),
    timestampMs: Number(b.timestamp),
    seq: 1,
  }));
  return { instruments, books, fees };
}
