// Wire shapes of the simulated Polymarket APIs, modelled on the recorded fixtures (Gamma JSON-string fields,
// CLOB snake_case, compact clob-markets info).
import { createHash } from 'node:crypto';
import { formatPrice, summaryLevels } from './book.ts';
import { acceptsOrders, isClosed, type SimEvent, type SimMarket, type SimToken } from './world.ts';

const mid = (token: SimToken): number => {
  const bid = token.book.best('bid');
  const ask = token.book.best('ask');
  if (bid !== null && ask !== null) return (bid + ask) / 2 / 10_000;
  return token.book.lastTradePrice ?? 0.5;
};

export function gammaMarket(m: SimMarket): Record<string, unknown> {
  const [yes] = m.tokens;
  const bestBid = yes.book.best('bid');
  const bestAsk = yes.book.best('ask');
  const spec = m.spec;
  // Resolved: the payouts, exactly ("1"/"0", "0.5"/"0.5"); before: the YES mid and its complement.
  const outcomePrices =
    m.payouts === null
      ? [String(Math.round(mid(yes) * 1e4) / 1e4), String(Math.round((1 - mid(yes)) * 1e4) / 1e4)]
      : m.payouts.map(String);
  return {
    id: spec.id,
    question: spec.question,
    conditionId: spec.conditionId,
    slug: spec.slug,
    endDate: spec.endDate,
    liquidity: '10000',
    description: spec.question,
    outcomes: JSON.stringify(m.tokens.map((t) => t.outcome)),
    outcomePrices: JSON.stringify(outcomePrices),
    volume: '0',
    active: spec.active,
    closed: isClosed(m),
    groupItemTitle: spec.groupItemTitle ?? '',
    questionID: spec.questionId ?? spec.conditionId,
    enableOrderBook: true,
    orderPriceMinTickSize: spec.tickSize,
    orderMinSize: spec.minOrderSize,
    volumeNum: 0,
    liquidityNum: 10000,
    clobTokenIds: JSON.stringify(m.tokens.map((t) => t.tokenId)),
    umaResolutionStatuses: m.umaStatus === '' ? '[]' : JSON.stringify([m.umaStatus]),
    ...(m.umaStatus === '' ? {} : { umaResolutionStatus: m.umaStatus }),
    ...(m.resolvedAtMs === null ? {} : { closedTime: new Date(m.resolvedAtMs).toISOString() }),
    acceptingOrders: acceptsOrders(m),
    negRisk: m.negRisk,
    ...(m.event.spec.negRiskMarketID ? { negRiskMarketID: m.event.spec.negRiskMarketID } : {}),
    bestBid: bestBid === null ? 0 : bestBid / 10_000,
    bestAsk: bestAsk === null ? 1 : bestAsk / 10_000,
    feesEnabled: m.feeSchedule !== null,
    ...(m.feeSchedule ? { feeSchedule: m.feeSchedule } : {}),
    events: [{ id: m.event.spec.id, slug: m.event.spec.slug, title: m.event.spec.title, negRisk: m.negRisk }],
  };
}

export function gammaEvent(e: SimEvent): Record<string, unknown> {
  const closed = e.markets.every(isClosed);
  return {
    id: e.spec.id,
    ticker: e.spec.slug,
    slug: e.spec.slug,
    title: e.spec.title,
    endDate: e.spec.endDate,
    active: true,
    closed,
    liquidity: 10000,
    volume: 0,
    enableOrderBook: true,
    negRisk: e.spec.negRisk,
    ...(e.spec.negRiskMarketID ? { negRiskMarketID: e.spec.negRiskMarketID } : {}),
    markets: e.markets.map(gammaMarket),
  };
}

export function clobMarket(m: SimMarket): Record<string, unknown> {
  return {
    enable_order_book: true,
    active: m.spec.active,
    closed: isClosed(m),
    archived: false,
    accepting_orders: acceptsOrders(m),
    minimum_order_size: m.spec.minOrderSize,
    minimum_tick_size: m.spec.tickSize,
    condition_id: m.spec.conditionId,
    question_id: m.spec.questionId ?? m.spec.conditionId,
    question: m.spec.question,
    market_slug: m.spec.slug,
    end_date_iso: m.spec.endDate,
    neg_risk: m.negRisk,
    neg_risk_market_id: m.event.spec.negRiskMarketID ?? '',
    tokens: m.tokens.map((t, i) => ({
      token_id: t.tokenId,
      outcome: t.outcome,
      price: m.payouts === null ? mid(t) : m.payouts[i],
      // A 50-50 has no winner: both tokens pay 0.5.
      winner: m.payouts?.[i] === 1,
    })),
  };
}

/** `GET /clob-markets/{conditionId}`: compact market info the V2 client caches before signing. */
export function clobMarketInfo(m: SimMarket): Record<string, unknown> {
  return {
    t: m.tokens.map((t) => ({ t: t.tokenId, o: t.outcome })),
    c: m.spec.conditionId,
    mos: m.spec.minOrderSize,
    mts: m.spec.tickSize,
    mbf: 0,
    tbf: 0,
    ao: acceptsOrders(m),
    nr: m.negRisk,
    ...(m.feeSchedule ? { fd: { r: m.feeSchedule.rate, e: m.feeSchedule.exponent, to: m.feeSchedule.takerOnly } } : {}),
  };
}

/**
 * `GET /book` summary. Its `hash` is computed the way the SDK's `getOrderBookHash` checks it: sha1 hex of the
 * summary's JSON with `hash` set to "" (so a client can verify a snapshot it received).
 */
export function bookSummary(t: SimToken, timestampMs: number): Record<string, unknown> {
  const summary = {
    market: t.market.spec.conditionId,
    asset_id: t.tokenId,
    timestamp: String(timestampMs),
    hash: '',
    bids: summaryLevels(t.book, 'bid'),
    asks: summaryLevels(t.book, 'ask'),
    min_order_size: String(t.market.spec.minOrderSize),
    tick_size: String(t.market.spec.tickSize),
    neg_risk: t.market.negRisk,
    last_trade_price: t.book.lastTradePrice === null ? '' : String(t.book.lastTradePrice),
  };
  summary.hash = createHash('sha1').update(JSON.stringify(summary)).digest('hex');
  return summary;
}

export const priceString = formatPrice;
