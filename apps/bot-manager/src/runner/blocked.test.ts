import type { Instrument } from '@polybot/schemas';
import { describe, expect, test } from 'vitest';
import { STALE_STRETCH_MS, whyNotTrading, type BlockInputs } from './blocked.ts';

const instrument = (venue: Instrument['venue'], minOrderSize: number, active = true): Instrument => ({
  venue,
  instrumentId: `${venue}-${minOrderSize}`,
  marketId: 'm',
  eventId: null,
  side: 'yes',
  complementId: null,
  title: 't',
  outcome: 'Yes',
  mutuallyExclusive: false,
  tickSize: 0.01,
  minOrderSize,
  closeTime: null,
  active,
});

const NOW = 1_000_000;
/** A bot that can trade: every case below changes one input. */
const ok: BlockInputs = {
  venues: new Set(['polymarket', 'kalshi']),
  anyStrategy: true,
  instruments: [instrument('polymarket', 5), instrument('kalshi', 1)],
  maxTradeSizeUsd: 100,
  openPositions: 1,
  maxPositions: 2,
  dailyLossHalt: null,
  monthlyLimit: null,
  liveKeysMissing: [],
  liveNotInPlan: false,
  newestBookMs: NOW - 100,
  startedAtMs: NOW - 10 * STALE_STRETCH_MS,
  maxBookAgeMs: 5000,
  nowMs: NOW,
};
const code = (change: Partial<BlockInputs>) => whyNotTrading({ ...ok, ...change })?.code ?? null;

describe('whyNotTrading', () => {
  test('nothing in the way: null', () => {
    expect(whyNotTrading(ok)).toBeNull();
  });

  test('no venue enabled', () => {
    expect(whyNotTrading({ ...ok, venues: new Set() })).toEqual({
      code: 'no_venue_enabled',
      reason: 'no venue is enabled',
    });
  });

  test('no strategy enabled', () => {
    expect(code({ anyStrategy: false })).toBe('no_strategy_enabled');
  });

  test('no markets: none on the enabled venues, or only closed ones', () => {
    expect(code({ venues: new Set(['kalshi']), instruments: [instrument('polymarket', 5)] })).toBe('no_markets');
    expect(code({ instruments: [instrument('polymarket', 5, false)] })).toBe('no_markets');
    expect(code({ instruments: [] })).toBe('no_markets');
  });

  test('max trade size below every enabled venue minimum', () => {
    // Polymarket's 5-contract minimum costs about $2.50; Kalshi's 1 contract about $0.50.
    const pm = { venues: new Set(['polymarket'] as const), maxTradeSizeUsd: 2 };
    expect(whyNotTrading({ ...ok, ...pm })).toEqual({
      code: 'trade_size_below_minimum',
      reason: 'max trade size $2.00 is below the smallest order on Polymarket (about $2.50)',
    });
    expect(code({ ...pm, maxTradeSizeUsd: 2.5 })).toBeNull();
    // With Kalshi on too, its smaller minimum still fits.
    expect(code({ maxTradeSizeUsd: 2 })).toBeNull();
  });

  test('daily loss halt: the risk engine words', () => {
    expect(whyNotTrading({ ...ok, dailyLossHalt: 'daily loss limit reached: …' })).toEqual({
      code: 'daily_loss_limit',
      reason: 'daily loss limit reached: …',
    });
  });

  test('monthly trade limit', () => {
    expect(code({ monthlyLimit: { orders: 2 } })).toBe('monthly_limit_reached');
  });

  test('max open positions reached, with the figures', () => {
    expect(whyNotTrading({ ...ok, openPositions: 2 })).toEqual({
      code: 'max_positions_reached',
      reason: 'max open positions reached (2 of 2): no new positions',
    });
    expect(code({ openPositions: 3 })).toBe('max_positions_reached');
  });

  test('stale data only after a long stretch of books older than max_book_age_ms', () => {
    const tooOld = NOW - ok.maxBookAgeMs - 1;
    expect(code({ newestBookMs: tooOld })).toBeNull();
    expect(code({ newestBookMs: NOW - ok.maxBookAgeMs - STALE_STRETCH_MS })).toBe('stale_data');
    // No book at all: counted from the runner's start.
    expect(code({ newestBookMs: null, startedAtMs: NOW - 1000 })).toBeNull();
    expect(code({ newestBookMs: null, startedAtMs: NOW - STALE_STRETCH_MS })).toBe('stale_data');
  });

  test('a paused venue: its words (venue, next check), before stale data and live-key notes', () => {
    const words = 'Kalshi is paused (maintenance): no orders there until it trades again; next check at 03:00:01 UTC';
    expect(whyNotTrading({ ...ok, venuePaused: words })).toEqual({ code: 'venue_paused', reason: words });
    expect(code({ venuePaused: words, newestBookMs: null, startedAtMs: NOW - STALE_STRETCH_MS })).toBe('venue_paused');
    expect(code({ venuePaused: words, openPositions: 3 })).toBe('max_positions_reached');
  });

  test('live asked for without validated live keys, or on a plan without live', () => {
    expect(whyNotTrading({ ...ok, liveKeysMissing: ['polymarket'] })).toEqual({
      code: 'live_keys_missing',
      reason: 'live trading is on but no validated live Polymarket key: trading paper there',
    });
    expect(code({ liveNotInPlan: true })).toBe('live_not_in_plan');
  });

  test('a live key the venue rejected (revoked): live_key_invalid names the venue, when, why and what to do', () => {
    const b = whyNotTrading({
      ...ok,
      liveKeysMissing: ['kalshi'],
      liveKeysInvalid: [
        {
          venue: 'kalshi',
          checkedAt: '2026-12-05T04:30:12Z',
          reason: 'Kalshi does not know this live API key id (HTTP 401).',
        },
      ],
    });
    expect(b?.code).toBe('live_key_invalid');
    expect(b?.reason).toBe(
      'Kalshi rejected your live key on 2026-12-05 04:30 UTC (Kalshi does not know this live API key id (HTTP 401)): live trading on Kalshi stopped and the bot trades paper there. Save a new live Kalshi key in Settings → API keys to trade live again.',
    );
    // Plan and settings still come first.
    expect(code({ liveNotInPlan: true, liveKeysInvalid: [{ venue: 'kalshi', checkedAt: null, reason: null }] })).toBe(
      'live_not_in_plan',
    ); // Before the caps of the moment (they lift by themselves; the key needs the user).
    expect(
      code({
        openPositions: 5,
        maxPositions: 5,
        liveKeysInvalid: [{ venue: 'kalshi', checkedAt: null, reason: null }],
      }),
    ).toBe('live_key_invalid');
  });

  test('settings that rule trading out come before the caps of the moment', () => {
    expect(code({ venues: new Set(), openPositions: 2, liveKeysMissing: ['kalshi'] })).toBe('no_venue_enabled');
    expect(code({ openPositions: 2, liveKeysMissing: ['kalshi'] })).toBe('max_positions_reached');
  });
});
