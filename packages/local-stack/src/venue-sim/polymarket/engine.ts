// Order matching for the simulated CLOB: FOK (all or nothing), FAK (fill what crosses, cancel the rest),
// GTC/GTD (fill what crosses, rest the remainder). Takers pay the market's fee; makers pay nothing.
import { createHash } from 'node:crypto';
import type { Account, CancelReason, SimOrder, SimTrade } from './accounts.ts';
import { fromPips, roundSize, toPips } from './book.ts';
import type { SimContext } from './context.ts';
import { takerFee } from './fees.ts';
import { acceptsOrders, type SimToken } from './world.ts';

export interface NewOrder {
  id: string;
  owner: string;
  apiKey: string;
  token: SimToken;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  orderType: 'GTC' | 'FOK' | 'GTD' | 'FAK';
  postOnly: boolean;
}

export type PlaceResult =
  | { ok: true; order: SimOrder; trades: SimTrade[]; takingAmount: number; makingAmount: number }
  | { ok: false; error: string };

const txHash = (id: string): string => `0x${createHash('sha256').update(`tx:${id}`).digest('hex')}`;

function validate(ctx: SimContext, o: NewOrder, account: Account): string | null {
  const spec = o.token.market.spec;
  if (!acceptsOrders(o.token.market)) return 'the market is not yet ready to process new orders';
  const tickPips = toPips(spec.tickSize);
  const pips = toPips(o.price);
  if (
    Math.abs(o.price * 10_000 - pips) > 1e-6 ||
    pips % tickPips !== 0 ||
    pips < tickPips ||
    pips > 10_000 - tickPips
  ) {
    return `invalid price (${o.price}), min: ${spec.tickSize} - max: ${1 - spec.tickSize}`;
  }
  if (o.size < spec.minOrderSize) return `Size (${o.size}) lower than the minimum: ${spec.minOrderSize}`;
  if (o.side === 'BUY') {
    const worstFee = takerFee(o.token.market.feeSchedule, o.size, Math.min(0.5, o.price));
    const free = account.cash - ctx.accounts.reservedCash(account);
    if (free + 1e-9 < o.size * o.price + worstFee) return 'not enough balance / allowance';
    if (account.allowance !== null && account.allowance + 1e-9 < o.size * o.price + worstFee)
      return 'not enough balance / allowance';
  } else {
    const free =
      ctx.accounts.position(account, o.token.tokenId) - ctx.accounts.reservedTokens(account, o.token.tokenId);
    if (free + 1e-9 < o.size) return 'not enough balance / allowance';
  }
  return null;
}

export function placeOrder(ctx: SimContext, o: NewOrder): PlaceResult {
  const account = ctx.accounts.get(o.owner);
  if (account.orders.some((existing) => existing.id === o.id))
    return { ok: false, error: `order ${o.id} is invalid. Duplicated.` };
  const invalid = validate(ctx, o, account);
  if (invalid) return { ok: false, error: invalid };
  const book = o.token.book;
  const limitPips = toPips(o.price);
  const crossing = book.available(o.side, limitPips);
  if (o.postOnly && crossing > 0) return { ok: false, error: 'invalid post-only order: order crosses book' };
  if (o.orderType === 'FOK' && crossing + 1e-9 < o.size) {
    return { ok: false, error: "order couldn't be fully filled. FOK orders are fully filled or killed." };
  }
  if (o.orderType === 'FAK' && crossing <= 0) {
    return {
      ok: false,
      error: 'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.',
    };
  }
  const now = ctx.now();
  const order: SimOrder = {
    id: o.id,
    owner: account.address,
    apiKey: o.apiKey,
    tokenId: o.token.tokenId,
    market: o.token.market.spec.conditionId,
    outcome: o.token.outcome,
    side: o.side,
    pips: limitPips,
    originalSize: roundSize(o.size),
    matched: 0,
    status: 'LIVE',
    orderType: o.orderType,
    createdAtMs: now,
    tradeIds: [],
  };
  account.orders.push(order);
  const { fills, changes } = book.match(o.side, limitPips, o.size, account.address);
  const trades: SimTrade[] = [];
  let taking = 0;
  let making = 0;
  for (const fill of fills) {
    const price = fromPips(fill.pips);
    const fee = takerFee(o.token.market.feeSchedule, fill.size, price);
    const notional = Math.round(fill.size * price * 1e6) / 1e6;
    if (o.side === 'BUY') {
      ctx.accounts.addCash(account, -(notional + fee));
      // The exchange pulls pUSD with transferFrom: what it takes comes off the approval.
      if (account.allowance !== null) account.allowance = Math.max(0, account.allowance - (notional + fee));
      ctx.accounts.addPosition(account, o.token.tokenId, fill.size);
      taking += fill.size;
      making += notional;
    } else {
      ctx.accounts.addCash(account, notional - fee);
      ctx.accounts.addPosition(account, o.token.tokenId, -fill.size);
      taking += notional;
      making += fill.size;
    }
    const makerAddress = fill.maker.owner ?? '0x0000000000000000000000000000000000000001';
    const trade: SimTrade = {
      id: ctx.nextId('trade'),
      takerOrderId: order.id,
      market: order.market,
      assetId: order.tokenId,
      side: o.side,
      size: fill.size,
      price,
      fee,
      feeRateBps: Math.round((o.token.market.feeSchedule?.rate ?? 0) * 10_000),
      matchTimeMs: now,
      outcome: order.outcome,
      owner: o.apiKey,
      makerAddress,
      traderSide: 'TAKER',
      makerOrders: [
        {
          orderId: fill.maker.orderId ?? 'sim-liquidity',
          owner: fill.maker.owner ?? 'sim',
          makerAddress,
          matchedAmount: fill.size,
          price,
          side: o.side === 'BUY' ? 'SELL' : 'BUY',
        },
      ],
      transactionHash: '',
    };
    trade.transactionHash = txHash(trade.id);
    trades.push(trade);
    account.trades.push(trade);
    order.tradeIds.push(trade.id);
    order.matched = roundSize(order.matched + fill.size);
    if (fill.maker.orderId !== null && fill.maker.owner !== null)
      settleMaker(ctx, fill.maker.orderId, fill.maker.owner, trade);
  }
  if (fills.length > 0) {
    ctx.publishChanges(o.token, changes);
    const last = fills.at(-1);
    if (last) ctx.publishTrade(o.token, fromPips(last.pips), roundSize(fills.reduce((s, f) => s + f.size, 0)), o.side);
  }
  const rest = roundSize(order.originalSize - order.matched);
  if (rest <= 0) order.status = 'MATCHED';
  else if (o.orderType === 'FOK' || o.orderType === 'FAK') order.status = order.matched > 0 ? 'MATCHED' : 'CANCELED';
  else
    ctx.publishChanges(o.token, [
      book.addOrder(o.side === 'BUY' ? 'bid' : 'ask', limitPips, {
        orderId: order.id,
        owner: account.address,
        size: rest,
      }),
    ]);
  return { ok: true, order, trades, takingAmount: roundSize(taking), makingAmount: Math.round(making * 1e6) / 1e6 };
}

/** A user's resting order was hit: move cash/tokens and record the maker side of the trade. */
function settleMaker(ctx: SimContext, orderId: string, owner: string, takerTrade: SimTrade): void {
  const maker = ctx.accounts.get(owner);
  const order = maker.orders.find((o) => o.id === orderId);
  if (!order) return;
  const notional = Math.round(takerTrade.size * takerTrade.price * 1e6) / 1e6;
  if (order.side === 'BUY') {
    ctx.accounts.addCash(maker, -notional);
    ctx.accounts.addPosition(maker, order.tokenId, takerTrade.size);
  } else {
    ctx.accounts.addCash(maker, notional);
    ctx.accounts.addPosition(maker, order.tokenId, -takerTrade.size);
  }
  order.matched = roundSize(order.matched + takerTrade.size);
  if (order.matched >= order.originalSize) order.status = 'MATCHED';
  // As the venue reports it: the taker's trade (taker side), with our order among maker_orders; makers pay no fee.
  const trade: SimTrade = {
    ...takerTrade,
    id: ctx.nextId('trade'),
    fee: 0,
    owner: order.apiKey,
    makerAddress: maker.address,
    traderSide: 'MAKER',
    makerOrders: takerTrade.makerOrders.map((m) => ({ ...m, owner: order.apiKey })),
  };
  order.tradeIds.push(trade.id);
  maker.trades.push(trade);
}

export function cancelOrder(ctx: SimContext, owner: string, orderId: string, reason: CancelReason = 'user'): boolean {
  const account = ctx.accounts.get(owner);
  const order = account.orders.find((o) => o.id === orderId);
  if (!order || order.status !== 'LIVE') return false;
  order.status = 'CANCELED';
  order.cancelReason = reason;
  const token = ctx.world.tokens.get(order.tokenId);
  const change = token?.book.removeOrder(orderId);
  if (token && change) ctx.publishChanges(token, [change]);
  return true;
}
