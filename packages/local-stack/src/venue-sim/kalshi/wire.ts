// Exchange state → the JSON kalshi-typescript 3.30.0 deserialises (2026 dollar-string / fixed-point schema).
import type { SimFill, SimMarket, SimOrder, SimPosition, SimSettlement } from './exchange.ts';
import type { ScenarioEvent } from './scenario.ts';

export const dollars = (cents: number): string => (cents / 100).toFixed(4);
export const countFp = (hundredths: number): string => (hundredths / 100).toFixed(2);
/** money units (1e-4 dollars) → dollar string */
export const unitsDollars = (units: number): string => (units / 10_000).toFixed(4);

export function marketJson(m: SimMarket): Record<string, unknown> {
  const yesBid = m.book.best('yes');
  const noBid = m.book.best('no');
  const yesAsk = noBid === null ? 100 : 100 - noBid;
  const noAsk = yesBid === null ? 100 : 100 - yesBid;
  const s = m.spec;
  return {
    ticker: s.ticker,
    event_ticker: m.event.event_ticker,
    market_type: 'binary',
    title: s.title,
    subtitle: '',
    yes_sub_title: s.yes_sub_title,
    no_sub_title: s.no_sub_title ?? s.yes_sub_title,
    created_time: '2026-01-01T00:00:00Z',
    updated_time: new Date().toISOString(),
    open_time: '2026-01-01T00:00:00Z',
    close_time: s.close_time,
    expected_expiration_time: s.close_time,
    expiration_time: s.close_time,
    latest_expiration_time: s.close_time,
    settlement_timer_seconds: 1800,
    status: m.status,
    yes_bid_dollars: dollars(yesBid ?? 0),
    yes_bid_size_fp: countFp(yesBid === null ? 0 : m.book.levelSize('yes', yesBid)),
    yes_ask_dollars: dollars(yesAsk),
    yes_ask_size_fp: countFp(noBid === null ? 0 : m.book.levelSize('no', noBid)),
    no_bid_dollars: dollars(noBid ?? 0),
    no_ask_dollars: dollars(noAsk),
    last_price_dollars: dollars(m.lastPriceCents ?? 0),
    volume_fp: countFp(m.volume + s.volume * 100),
    volume_24h_fp: countFp(m.volume),
    result: m.result,
    can_close_early: true,
    open_interest_fp: '0.00',
    notional_value_dollars: '1.0000',
    previous_yes_bid_dollars: dollars(yesBid ?? 0),
    previous_yes_ask_dollars: dollars(yesAsk),
    previous_price_dollars: dollars(m.lastPriceCents ?? 0),
    // Once determined: the YES payout (1 or 0); a voided market has no settlement value.
    settlement_value_dollars: m.settlementValueCents === null ? undefined : dollars(m.settlementValueCents),
    settlement_ts: m.settledMs === null ? null : new Date(m.settledMs).toISOString(),
    expiration_value: '',
    strike_type: s.strike_type,
    floor_strike: s.floor_strike,
    cap_strike: s.cap_strike,
    rules_primary: s.rules_primary,
    rules_secondary: '',
    price_level_structure: 'linear_cent',
    price_ranges: [{ start: '0.0100', end: '0.9900', step: '0.0100' }],
  };
}

export function eventJson(e: ScenarioEvent): Record<string, unknown> {
  return {
    event_ticker: e.event_ticker,
    series_ticker: e.series_ticker,
    sub_title: e.sub_title,
    title: e.title,
    collateral_return_type: e.mutually_exclusive ? 'MECNET' : '',
    mutually_exclusive: e.mutually_exclusive,
    category: e.category,
    settlement_sources: [],
  };
}

export function orderJson(o: SimOrder): Record<string, unknown> {
  const outcome = o.bookSide === 'bid' ? 'yes' : 'no';
  return {
    order_id: o.orderId,
    user_id: o.keyId,
    client_order_id: o.clientOrderId,
    ticker: o.ticker,
    side: outcome,
    action: 'buy',
    outcome_side: outcome,
    book_side: o.bookSide,
    type: 'limit',
    status: o.status,
    yes_price_dollars: dollars(o.yesPriceCents),
    no_price_dollars: dollars(100 - o.yesPriceCents),
    fill_count_fp: countFp(o.filled),
    remaining_count_fp: countFp(o.remaining),
    initial_count_fp: countFp(o.initial),
    taker_fill_cost_dollars: unitsDollars(o.takerCostUnits),
    maker_fill_cost_dollars: unitsDollars(o.makerCostUnits),
    taker_fees_dollars: dollars(o.takerFeeCents),
    maker_fees_dollars: '0.0000',
    created_time: new Date(o.createdMs).toISOString(),
    last_update_time: new Date(o.updatedMs).toISOString(),
    self_trade_prevention_type: o.stp,
  };
}

/**
 * createOrderV2's response. `average_fill_price` is the YES price (the V2 API quotes every price as YES);
 * `average_fee_paid` is per contract.
 */
export function createOrderResponseJson(o: SimOrder): Record<string, unknown> {
  const filled = o.filled;
  const avgOutcomeUnits = filled > 0 ? o.takerCostUnits / filled : 0;
  const avgYes = o.bookSide === 'bid' ? avgOutcomeUnits : 100 - avgOutcomeUnits;
  return {
    order_id: o.orderId,
    client_order_id: o.clientOrderId,
    fill_count: countFp(filled),
    remaining_count: countFp(o.remaining),
    average_fill_price: filled > 0 ? (avgYes / 100).toFixed(6) : undefined,
    average_fee_paid: filled > 0 ? (o.takerFeeCents / (filled / 100) / 100).toFixed(6) : undefined,
    ts_ms: o.updatedMs,
  };
}

export function fillJson(f: SimFill): Record<string, unknown> {
  return {
    fill_id: f.fillId,
    exchange_index: 0,
    trade_id: f.fillId,
    order_id: f.orderId,
    ticker: f.ticker,
    market_ticker: f.ticker,
    side: f.outcome,
    action: 'buy',
    outcome_side: f.outcome,
    book_side: f.bookSide,
    count_fp: countFp(f.count),
    yes_price_dollars: dollars(f.yesPriceCents),
    no_price_dollars: dollars(100 - f.yesPriceCents),
    is_taker: f.isTaker,
    created_time: new Date(f.tsMs).toISOString(),
    fee_cost: dollars(f.feeCents),
    ts: Math.floor(f.tsMs / 1000),
  };
}

export function positionJson(ticker: string, p: SimPosition): Record<string, unknown> {
  return {
    ticker,
    exchange_index: 0,
    total_traded_dollars: unitsDollars(p.tradedUnits),
    position_fp: countFp(p.position),
    market_exposure_dollars: unitsDollars(p.exposureUnits),
    realized_pnl_dollars: unitsDollars(p.realizedUnits),
    fees_paid_dollars: unitsDollars(p.feesUnits),
    last_updated_ts: new Date(p.updatedMs).toISOString(),
  };
}

/**
 * A `GET /portfolio/settlements` row (kalshi-typescript 3.30.0 `Settlement`, fixed-point fields, plus the legacy
 * integer counts and costs in cents). `revenue` is in cents; `value` is the YES payout in cents (null for a void).
 */
export function settlementJson(s: SimSettlement): Record<string, unknown> {
  const cents = (units: number): number => Math.round(units / 100);
  return {
    ticker: s.ticker,
    exchange_index: 0,
    event_ticker: s.eventTicker,
    market_result: s.result,
    yes_count: Math.round(s.yesCount / 100),
    yes_count_fp: countFp(s.yesCount),
    yes_total_cost: cents(s.yesCostUnits),
    yes_total_cost_dollars: unitsDollars(s.yesCostUnits),
    no_count: Math.round(s.noCount / 100),
    no_count_fp: countFp(s.noCount),
    no_total_cost: cents(s.noCostUnits),
    no_total_cost_dollars: unitsDollars(s.noCostUnits),
    revenue: cents(s.revenueUnits),
    settled_time: new Date(s.settledMs).toISOString(),
    fee_cost: unitsDollars(s.feesUnits),
    value: s.valueCents,
  };
}
