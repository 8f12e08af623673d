// Authenticated CLOB routes: API keys (L1), orders, open orders, trades and balances (L2).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account, SimOrder, SimTrade } from './accounts.ts';
import { verifyL1, verifyL2 } from './auth.ts';
import type { SimContext } from './context.ts';
import { cancelOrder, placeOrder } from './engine.ts';
import { HEARTBEAT_PATHS, heartbeatRoute } from './heartbeats.ts';
import { parseJson, sendJson } from './http.ts';
import { PostOrderSchema } from './order-signature.ts';
import { admitted } from './rate-limit.ts';

const END_CURSOR = 'LTE=';
const EMPTY_ACCOUNT: Account = {
  address: '0x0000000000000000000000000000000000000000',
  startingBalance: 0,
  deposits: 0,
  payouts: [],
  cash: 0,
  positions: new Map(),
  orders: [],
  trades: [],
  allowance: null,
};
const micro = (n: number): string => String(Math.round(n * 1e6));

function openOrderJson(o: SimOrder): Record<string, unknown> {
  return {
    id: o.id,
    status: o.status,
    owner: o.apiKey,
    maker_address: o.owner,
    market: o.market,
    asset_id: o.tokenId,
    side: o.side,
    original_size: String(o.originalSize),
    size_matched: String(o.matched),
    price: String(o.pips / 10_000),
    associate_trades: o.tradeIds,
    outcome: o.outcome,
    created_at: Math.floor(o.createdAtMs / 1000),
    expiration: '0',
    order_type: o.orderType,
  };
}

function tradeJson(t: SimTrade): Record<string, unknown> {
  return {
    id: t.id,
    taker_order_id: t.takerOrderId,
    market: t.market,
    asset_id: t.assetId,
    side: t.side,
    size: String(t.size),
    fee_rate_bps: String(t.feeRateBps),
    price: String(t.price),
    status: 'CONFIRMED',
    match_time: String(Math.floor(t.matchTimeMs / 1000)),
    last_update: String(Math.floor(t.matchTimeMs / 1000)),
    outcome: t.outcome,
    bucket_index: 0,
    owner: t.owner,
    maker_address: t.makerAddress,
    maker_orders: t.makerOrders.map((m) => ({
      order_id: m.orderId,
      owner: m.owner,
      maker_address: m.makerAddress,
      matched_amount: String(m.matchedAmount),
      price: String(m.price),
      fee_rate_bps: '0',
      asset_id: t.assetId,
      outcome: t.outcome,
      side: m.side,
    })),
    transaction_hash: t.transactionHash,
    trader_side: t.traderSide,
  };
}

/** The accounts an API key trades for: its signer EOA and the smart wallets that EOA controls. */
const controlled = (ctx: SimContext, signer: string): Account[] =>
  ctx.wallets.controlledBy(signer).flatMap((a) => ctx.accounts.find(a) ?? []);

const page = (data: unknown[]): Record<string, unknown> => ({
  data,
  next_cursor: END_CURSOR,
  limit: data.length,
  count: data.length,
});

export async function handlePrivate(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = url.pathname;

  if (path === '/auth/api-key' && method === 'POST') {
    const auth = await verifyL1(req, ctx.keys);
    if (!auth.ok) return (sendJson(res, auth.status, { error: auth.error }), true);
    const creds = ctx.keys.create(auth.address, auth.nonce ?? '0');
    ctx.accounts.get(auth.address);
    return (sendJson(res, 200, { apiKey: creds.apiKey, secret: creds.secret, passphrase: creds.passphrase }), true);
  }
  if (path === '/auth/derive-api-key' && method === 'GET') {
    const auth = await verifyL1(req, ctx.keys);
    if (!auth.ok) return (sendJson(res, auth.status, { error: auth.error }), true);
    const creds = ctx.keys.derive(auth.address, auth.nonce ?? '0');
    if (!creds) return (sendJson(res, 400, { error: 'Could not derive api key!' }), true);
    return (sendJson(res, 200, { apiKey: creds.apiKey, secret: creds.secret, passphrase: creds.passphrase }), true);
  }

  const isPrivate =
    path === '/order' ||
    path === '/orders' ||
    path === '/cancel-all' ||
    path.startsWith('/data/') ||
    path.startsWith('/balance-allowance') ||
    path === '/auth/api-keys' ||
    HEARTBEAT_PATHS.has(path);
  if (!isPrivate) return false;
  const auth = verifyL2(req, ctx.keys, method, path, body);
  if (!auth.ok) return (sendJson(res, auth.status, { error: auth.error }), true);
  // The venue sees the signer's own account from its first authenticated request.
  ctx.accounts.get(auth.address);
  const apiKey = String(req.headers['poly_api_key'] ?? '');

  if (HEARTBEAT_PATHS.has(path) && method === 'POST')
    return (heartbeatRoute(ctx.heartbeats, auth.address, body, res), true);
  if (path === '/order' && method === 'POST') {
    if (!admitted(ctx.rateLimits, ctx.now(), res, auth.address, 'order')) return true;
    const parsed = PostOrderSchema.safeParse(parseJson(body));
    if (!parsed.success)
      return (
        sendJson(res, 400, { error: `Invalid order payload: ${parsed.error.issues[0]?.message ?? 'bad body'}` }),
        true
      );
    const { order, owner, orderType, postOnly } = parsed.data;
    if (owner !== apiKey)
      return (sendJson(res, 400, { error: 'the order owner has to be the owner of the API KEY' }), true);
    const token = ctx.world.tokens.get(order.tokenId);
    if (!token) return (sendJson(res, 400, { error: `market not found for token ${order.tokenId}` }), true);
    const authorized = await ctx.wallets.authorize(order, token.market.negRisk, auth.address);
    if (!authorized.ok) return (sendJson(res, 400, { error: authorized.error }), true);
    const orderId = authorized.orderId;
    const isBuy = order.side === 'BUY';
    const shares = Number(isBuy ? order.takerAmount : order.makerAmount) / 1e6;
    const collateral = Number(isBuy ? order.makerAmount : order.takerAmount) / 1e6;
    if (!(shares > 0)) return (sendJson(res, 400, { error: 'invalid order amounts' }), true);
    const price = Math.round((collateral / shares) * 1e4) / 1e4;
    const result = placeOrder(ctx, {
      id: orderId,
      // The maker (funder) owns the order, its money and its fills; for an EOA that is the signer itself.
      owner: order.maker,
      apiKey,
      token,
      side: order.side,
      price,
      size: shares,
      orderType,
      postOnly: postOnly ?? false,
    });
    if (!result.ok) return (sendJson(res, 400, { error: result.error }), true);
    const status =
      result.order.status === 'LIVE'
        ? result.order.matched > 0
          ? 'matched'
          : 'live'
        : result.order.matched > 0
          ? 'matched'
          : 'unmatched';
    return (
      sendJson(res, 200, {
        success: true,
        errorMsg: '',
        orderID: orderId,
        status,
        takingAmount: result.takingAmount > 0 ? String(result.takingAmount) : '',
        makingAmount: result.makingAmount > 0 ? String(result.makingAmount) : '',
        tradeIDs: result.trades.map((t) => t.id),
        transactionsHashes: result.trades.map((t) => t.transactionHash),
      }),
      true
    );
  }
  if (path === '/order' && method === 'DELETE') {
    if (!admitted(ctx.rateLimits, ctx.now(), res, auth.address, 'cancel')) return true;
    const parsed = parseJson(body);
    const orderId = typeof parsed === 'object' && parsed !== null && 'orderID' in parsed ? String(parsed.orderID) : '';
    const ok = controlled(ctx, auth.address).some((a) => cancelOrder(ctx, a.address, orderId));
    return (
      sendJson(
        res,
        200,
        ok
          ? { canceled: [orderId], not_canceled: {} }
          : { canceled: [], not_canceled: { [orderId]: 'Order not found or already canceled' } },
      ),
      true
    );
  }
  if (path === '/cancel-all' && method === 'DELETE') {
    if (!admitted(ctx.rateLimits, ctx.now(), res, auth.address, 'cancel')) return true;
    const live = controlled(ctx, auth.address).flatMap((a) =>
      a.orders.filter((o) => o.status === 'LIVE').map((o) => (cancelOrder(ctx, a.address, o.id, 'cancel_all'), o.id)),
    );
    ctx.rateLimits.charge(auth.address, 'cancel', live.length);
    return (sendJson(res, 200, { canceled: live, not_canceled: {} }), true);
  }
  if (path === '/data/orders' && method === 'GET') {
    const id = url.searchParams.get('id');
    const market = url.searchParams.get('market');
    const assetId = url.searchParams.get('asset_id');
    const live = controlled(ctx, auth.address)
      .flatMap((a) => a.orders)
      .filter(
        (o) =>
          o.status === 'LIVE' &&
          (!id || o.id === id) &&
          (!market || o.market === market) &&
          (!assetId || o.tokenId === assetId),
      );
    return (sendJson(res, 200, page(live.map(openOrderJson))), true);
  }
  if (path.startsWith('/data/order/') && method === 'GET') {
    const order = controlled(ctx, auth.address)
      .flatMap((a) => a.orders)
      .find((o) => o.id === path.slice('/data/order/'.length));
    return order
      ? (sendJson(res, 200, openOrderJson(order)), true)
      : (sendJson(res, 404, { error: 'order not found' }), true);
  }
  if (path === '/data/trades' && method === 'GET') {
    const id = url.searchParams.get('id');
    const after = Number(url.searchParams.get('after') ?? '0');
    const trades = controlled(ctx, auth.address)
      .flatMap((a) => a.trades)
      .filter((t) => (!id || t.id === id) && t.matchTimeMs / 1000 >= after);
    return (sendJson(res, 200, page(trades.map(tradeJson))), true);
  }
  if (path === '/balance-allowance' || path === '/balance-allowance/update') {
    // Like the venue, the account is derived from the key's address and signature_type (no funder in the request);
    // a signer without a wallet of that type sees an empty one.
    const funder = ctx.wallets.accountFor(auth.address, Number(url.searchParams.get('signature_type') ?? '0'));
    const account = ctx.accounts.find(funder ?? '') ?? (funder ? ctx.accounts.get(funder) : EMPTY_ACCOUNT);
    const assetType = url.searchParams.get('asset_type');
    if (assetType === 'CONDITIONAL') {
      const tokenId = url.searchParams.get('token_id') ?? '';
      return (sendJson(res, 200, { balance: micro(ctx.accounts.position(account, tokenId)), allowances: {} }), true);
    }
    if (assetType !== 'COLLATERAL') return (sendJson(res, 400, { error: 'invalid asset_type' }), true);
    return (
      sendJson(res, 200, {
        balance: micro(account.cash),
        allowances: {
          '0xE111180000d2663C0091e4f400237545B87B996B':
            account.allowance === null
              ? '115792089237316195423570985008687907853269984665640564039457584007913129639935'
              : micro(account.allowance),
        },
      }),
      true
    );
  }
  return (sendJson(res, 404, { error: `venue-sim: no route ${method} ${path}` }), true);
}
