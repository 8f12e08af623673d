// Kalshi trade-api v2 routes (the subset kalshi-typescript 3.30.0 calls for discovery, books, orders, portfolio).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { batchCancel } from './batch-cancel.ts';
import { ExchangeError, type Exchange, type SimMarket } from './exchange.ts';
import { PAUSED_CODE, type KalshiPause } from './pause.ts';
import { pageOf, parseCountHundredths, parsePriceCents, readJson, sendError, sendJson } from './http.ts';
import type { ScenarioEvent } from './scenario.ts';
import {
  countFp,
  createOrderResponseJson,
  dollars,
  eventJson,
  fillJson,
  marketJson,
  orderJson,
  positionJson,
  settlementJson,
  unitsDollars,
} from './wire.ts';

export const API_PREFIX = '/trade-api/v2';

const CreateOrderBody = z.object({
  ticker: z.string().min(1),
  client_order_id: z.string().min(1).max(128).optional(),
  side: z.enum(['bid', 'ask']),
  count: z.string(),
  price: z.string(),
  time_in_force: z.enum(['fill_or_kill', 'good_till_canceled', 'immediate_or_cancel']),
  self_trade_prevention_type: z.enum(['taker_at_cross', 'maker']).default('taker_at_cross'),
  cancel_order_on_pause: z.boolean().optional(),
});

export interface RestContext {
  exchange: Exchange;
  /** Trading pauses (`/_sim/kalshi/pause`, pause.ts). */
  pause: KalshiPause;
  events: ReadonlyMap<string, ScenarioEvent>;
  /** Verified key id for a portfolio call, or null after answering 401 itself. */
  authenticate(req: IncomingMessage, res: ServerResponse, pathname: string): string | null;
  /**
   * Test hook: the next order POST fails with this status — before matching (`processed: false`, like a 429) or
   * after the order was placed (`processed: true`, like a gateway timeout): the ambiguous case clients must survive.
   */
  takeOrderFailure(): { status: number; processed: boolean } | null;
}

/**
 * `GET /markets?status=` as the venue documents it (market lifecycle): unopened = initialized, open = active,
 * paused = inactive, closed = past close time and not yet finalized, settled = finalized. Several may be comma-separated.
 */
const STATUS_FILTER: Record<string, ReadonlyArray<SimMarket['status']>> = {
  unopened: ['initialized'],
  open: ['active'],
  paused: [],
  closed: ['closed', 'determined'],
  settled: ['finalized'],
};

function statusFilter(q: URLSearchParams): ReadonlySet<SimMarket['status']> | null {
  const raw = q.get('status');
  if (!raw) return null;
  const names = raw.split(',').filter((s) => s.length > 0);
  const unknown = names.find((n) => STATUS_FILTER[n] === undefined);
  if (unknown !== undefined) throw new ExchangeError(400, 'invalid_parameters', `unknown status filter ${unknown}`);
  return new Set(names.flatMap((n) => STATUS_FILTER[n] ?? []));
}

export async function handleRest(ctx: RestContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '');
  const parts = path
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  try {
    if (parts[0] === 'portfolio') {
      const keyId = ctx.authenticate(req, res, url.pathname);
      if (keyId === null) return;
      await portfolio(ctx, keyId, method, parts.slice(1), req, res, url);
      return;
    }
    if (method === 'GET' && parts[0] === 'exchange' && parts[1] === 'status' && parts.length === 2) {
      sendJson(res, 200, ctx.pause.status());
      return;
    }
    if (method === 'GET' && parts[0] === 'markets') {
      markets(ctx, parts.slice(1), res, url);
      return;
    }
    if (method === 'GET' && parts[0] === 'events') {
      events(ctx, parts.slice(1), res, url);
      return;
    }
    sendError(res, 404, 'not_found', `kalshi sim: no route for ${method} ${url.pathname}`);
  } catch (err) {
    if (err instanceof ExchangeError) sendError(res, err.status, err.code, err.message);
    else if (err instanceof SyntaxError) sendError(res, 400, 'bad_request', 'malformed JSON body');
    else throw err;
  }
}

function markets(ctx: RestContext, parts: string[], res: ServerResponse, url: URL): void {
  const [ticker, sub] = parts;
  if (ticker === undefined) {
    const q = url.searchParams;
    const wanted = statusFilter(q);
    const tickers = q.get('tickers')?.split(',');
    const minClose = Number(q.get('min_close_ts') ?? 0) * 1000;
    const maxClose = q.get('max_close_ts') === null ? Infinity : Number(q.get('max_close_ts')) * 1000;
    const minSettled = Number(q.get('min_settled_ts') ?? 0) * 1000;
    const maxSettled = q.get('max_settled_ts') === null ? Infinity : Number(q.get('max_settled_ts')) * 1000;
    const settledFilter = q.get('min_settled_ts') !== null || q.get('max_settled_ts') !== null;
    const all = [...ctx.exchange.markets.values()].filter(
      (m) =>
        (!q.get('event_ticker') || m.event.event_ticker === q.get('event_ticker')) &&
        (!q.get('series_ticker') || m.event.series_ticker === q.get('series_ticker')) &&
        (!tickers || tickers.includes(m.spec.ticker)) &&
        (wanted === null || wanted.has(m.status)) &&
        Date.parse(m.spec.close_time) >= minClose &&
        Date.parse(m.spec.close_time) <= maxClose &&
        (!settledFilter || (m.settledMs !== null && m.settledMs >= minSettled && m.settledMs <= maxSettled)),
    );
    const { page, cursor } = pageOf(all, url, 100, 1000);
    sendJson(res, 200, { markets: page.map(marketJson), cursor });
    return;
  }
  const market = ctx.exchange.market(ticker);
  if (sub === undefined) {
    sendJson(res, 200, { market: marketJson(market) });
  } else if (sub === 'orderbook') {
    const depth = Number(url.searchParams.get('depth') ?? 0);
    const side = (s: 'yes' | 'no'): string[][] => {
      const levels = market.book.levels(s).map(([p, size]) => [dollars(p), countFp(size)]);
      return depth > 0 ? levels.slice(-depth) : levels;
    };
    sendJson(res, 200, { orderbook_fp: { yes_dollars: side('yes'), no_dollars: side('no') } });
  } else {
    sendError(res, 404, 'not_found', `kalshi sim: no route for GET ${url.pathname}`);
  }
}

function events(ctx: RestContext, parts: string[], res: ServerResponse, url: URL): void {
  const nested = url.searchParams.get('with_nested_markets') === 'true';
  const marketsOf = (e: ScenarioEvent): Array<Record<string, unknown>> =>
    e.markets.map((m) => marketJson(ctx.exchange.market(m.ticker)));
  const [ticker] = parts;
  if (ticker === undefined) {
    const q = url.searchParams;
    const wanted = statusFilter(q);
    // An event matches a status when any of its markets does (open: some market still trades).
    const all = [...ctx.events.values()].filter((e) => {
      if (q.get('series_ticker') && e.series_ticker !== q.get('series_ticker')) return false;
      if (wanted === null) return true;
      const statuses = e.markets.map((m) => ctx.exchange.market(m.ticker).status);
      return wanted.has('active') || wanted.has('initialized')
        ? statuses.some((s) => wanted.has(s))
        : statuses.every((s) => wanted.has(s) || (wanted.has('closed') && s === 'finalized'));
    });
    const { page, cursor } = pageOf(all, url, 200, 200);
    sendJson(res, 200, {
      events: page.map((e) => (nested ? { ...eventJson(e), markets: marketsOf(e) } : eventJson(e))),
      cursor,
    });
    return;
  }
  const event = ctx.events.get(ticker);
  if (!event || parts.length > 1) {
    sendError(res, 404, 'not_found', `event ${ticker} not found`);
    return;
  }
  // Kalshi returns the markets beside the event unless nested ones are asked for.
  sendJson(
    res,
    200,
    nested
      ? { event: { ...eventJson(event), markets: marketsOf(event) }, markets: [] }
      : { event: eventJson(event), markets: marketsOf(event) },
  );
}

async function portfolio(
  ctx: RestContext,
  keyId: string,
  method: string,
  parts: string[],
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const ex = ctx.exchange;
  const account = ex.account(keyId);
  const route = `${method} ${parts.join('/')}`;
  const q = url.searchParams;
  if (route === 'POST events/orders') {
    const parsed = CreateOrderBody.safeParse(await readJson(req));
    if (!parsed.success) {
      sendError(res, 400, 'invalid_parameters', z.prettifyError(parsed.error));
      return;
    }
    const b = parsed.data;
    if (ctx.pause.active) {
      sendError(res, 409, PAUSED_CODE, 'trading is paused: no new orders until the exchange resumes');
      return;
    }
    const failure = ctx.takeOrderFailure();
    if (failure && !failure.processed) {
      sendError(
        res,
        failure.status,
        failure.status === 429 ? 'too_many_requests' : 'internal_server_error',
        'simulated failure',
      );
      return;
    }
    const price = parsePriceCents(b.price);
    const count = parseCountHundredths(b.count);
    if (price === null || count === null) {
      sendError(res, 400, 'invalid_parameters', 'price must be a whole cent and count at most 2 decimals');
      return;
    }
    const order = ex.placeOrder(keyId, {
      ticker: b.ticker,
      clientOrderId: b.client_order_id ?? `sim-coid-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      bookSide: b.side,
      count,
      yesPriceCents: price,
      tif: b.time_in_force,
      stp: b.self_trade_prevention_type,
    });
    if (b.cancel_order_on_pause && order.status === 'resting') ctx.pause.remember(keyId, order.orderId);
    if (failure)
      sendError(res, failure.status, 'internal_server_error', 'simulated failure after the order was placed');
    else sendJson(res, 201, createOrderResponseJson(order));
    return;
  }
  if (route === 'DELETE events/orders/batched') return batchCancel(ex, keyId, req, res);
  if (
    method === 'DELETE' &&
    parts[0] === 'events' &&
    parts[1] === 'orders' &&
    parts[2] !== undefined &&
    parts.length === 3
  ) {
    const { order, reducedBy } = ex.cancelOrder(keyId, parts[2]);
    sendJson(res, 200, {
      order_id: order.orderId,
      client_order_id: order.clientOrderId,
      reduced_by: countFp(reducedBy),
      ts_ms: order.updatedMs,
    });
    return;
  }
  if (route === 'GET orders') {
    const status = q.get('status');
    const all = [...account.orders.values()]
      .filter((o) => (!q.get('ticker') || o.ticker === q.get('ticker')) && (!status || o.status === status))
      .reverse();
    const { page, cursor } = pageOf(all, url, 100, 1000);
    sendJson(res, 200, { orders: page.map(orderJson), cursor });
    return;
  }
  if (method === 'GET' && parts[0] === 'orders' && parts[1] !== undefined && parts.length === 2) {
    const order = account.orders.get(parts[1]);
    if (!order) throw new ExchangeError(404, 'not_found', `order ${parts[1]} not found`);
    sendJson(res, 200, { order: orderJson(order) });
    return;
  }
  if (route === 'GET balance') {
    const cents = Math.floor(account.balanceUnits / 100);
    let exposure = 0;
    for (const p of account.positions.values()) exposure += p.exposureUnits;
    sendJson(res, 200, {
      balance: cents,
      balance_dollars: unitsDollars(account.balanceUnits),
      portfolio_value: Math.floor(exposure / 100),
      updated_ts: Math.floor(Date.now() / 1000),
    });
    return;
  }
  if (route === 'GET positions') {
    const rows = [...account.positions.entries()].filter(
      ([t, p]) => (p.position !== 0 || p.realizedUnits !== 0) && (!q.get('ticker') || t === q.get('ticker')),
    );
    const { page, cursor } = pageOf(rows, url, 100, 1000);
    const byEvent = new Map<string, { cost: number; fees: number; realized: number; shares: number }>();
    for (const [t, p] of page) {
      const ev = ex.market(t).event.event_ticker;
      const agg = byEvent.get(ev) ?? { cost: 0, fees: 0, realized: 0, shares: 0 };
      agg.cost += p.exposureUnits;
      agg.fees += p.feesUnits;
      agg.realized += p.realizedUnits;
      agg.shares += Math.abs(p.position);
      byEvent.set(ev, agg);
    }
    sendJson(res, 200, {
      cursor,
      market_positions: page.map(([t, p]) => positionJson(t, p)),
      event_positions: [...byEvent.entries()].map(([ev, a]) => ({
        event_ticker: ev,
        total_cost_dollars: unitsDollars(a.cost),
        total_cost_shares_fp: countFp(a.shares),
        event_exposure_dollars: unitsDollars(a.cost),
        realized_pnl_dollars: unitsDollars(a.realized),
        fees_paid_dollars: unitsDollars(a.fees),
      })),
    });
    return;
  }
  if (route === 'GET settlements') {
    const minTs = Number(q.get('min_ts') ?? 0) * 1000;
    const maxTs = q.get('max_ts') === null ? Infinity : Number(q.get('max_ts')) * 1000;
    const all = account.settlements
      .filter(
        (s) =>
          (!q.get('ticker') || s.ticker === q.get('ticker')) &&
          (!q.get('event_ticker') || s.eventTicker === q.get('event_ticker')) &&
          s.settledMs >= minTs &&
          s.settledMs <= maxTs,
      )
      .reverse(); // newest first
    const { page, cursor } = pageOf(all, url, 100, 200);
    sendJson(res, 200, { settlements: page.map(settlementJson), cursor });
    return;
  }
  if (route === 'GET fills') {
    const minTs = Number(q.get('min_ts') ?? 0);
    const all = account.fills
      .filter(
        (f) =>
          (!q.get('ticker') || f.ticker === q.get('ticker')) &&
          (!q.get('order_id') || f.orderId === q.get('order_id')) &&
          f.tsMs >= minTs * 1000,
      )
      .reverse();
    const { page, cursor } = pageOf(all, url, 100, 1000);
    sendJson(res, 200, { fills: page.map(fillJson), cursor });
    return;
  }
  sendError(res, 404, 'not_found', `kalshi sim: no route for ${method} ${url.pathname}`);
}
