// Public Polymarket reads: CLOB market data at the root, Gamma discovery under /gamma, data-API under /data-api.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromPips } from './book.ts';
import type { SimContext } from './context.ts';
import { parseJson, sendJson } from './http.ts';
import type { WalletTrade } from './scenario-schema.ts';
import { bookSummary, clobMarket, clobMarketInfo, gammaEvent, gammaMarket } from './shapes.ts';
import { isClosed, type SimMarket, type SimToken } from './world.ts';

const PAGE = 500;
const encodeCursor = (offset: number): string => Buffer.from(String(offset)).toString('base64');
const decodeCursor = (cursor: string | null): number => {
  const n = Number(Buffer.from(cursor ?? 'MA==', 'base64').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

function tokenParam(ctx: SimContext, res: ServerResponse, url: URL): SimToken | null {
  const id = url.searchParams.get('token_id') ?? '';
  const token = ctx.world.tokens.get(id);
  if (!token) sendJson(res, 404, { error: 'No orderbook exists for the requested token id' });
  return token ?? null;
}

const boolParam = (url: URL, name: string): boolean | null => {
  const v = url.searchParams.get(name);
  return v === null ? null : v === 'true';
};

function paginate<T>(url: URL, items: T[]): T[] {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? PAGE) || PAGE, 1000);
  const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
  return items.slice(offset, offset + limit);
}

const isOpen = (m: SimMarket): boolean => !isClosed(m);

function handleClob(ctx: SimContext, res: ServerResponse, url: URL, method: string, body: string): boolean {
  const path = url.pathname;
  const markets = [...ctx.world.markets.values()];
  if (method === 'GET' && path === '/markets') {
    const offset = decodeCursor(url.searchParams.get('next_cursor'));
    const data = markets.slice(offset, offset + PAGE).map(clobMarket);
    const next = offset + PAGE >= markets.length ? 'LTE=' : encodeCursor(offset + PAGE);
    return (sendJson(res, 200, { limit: PAGE, count: data.length, next_cursor: next, data }), true);
  }
  const single = /^\/(markets|clob-markets|markets-by-token)\/([^/]+)$/.exec(path);
  if (method === 'GET' && single) {
    const [, kind, id = ''] = single;
    if (kind === 'markets-by-token') {
      const token = ctx.world.tokens.get(id);
      return (
        token
          ? sendJson(res, 200, { condition_id: token.market.spec.conditionId })
          : sendJson(res, 404, { error: 'market not found' }),
        true
      );
    }
    const market = ctx.world.markets.get(id);
    if (!market) return (sendJson(res, 404, { error: 'market not found' }), true);
    return (sendJson(res, 200, kind === 'markets' ? clobMarket(market) : clobMarketInfo(market)), true);
  }
  if (method === 'POST' && path === '/books') {
    const parsed = parseJson(body);
    const params = Array.isArray(parsed) ? parsed : [];
    const books = params.flatMap((p: unknown) => {
      const id = typeof p === 'object' && p !== null && 'token_id' in p ? String(p.token_id) : '';
      const token = ctx.world.tokens.get(id);
      return token ? [bookSummary(token, ctx.now())] : [];
    });
    return (sendJson(res, 200, books), true);
  }
  if (method !== 'GET') return false;
  switch (path) {
    case '/ok':
      return (sendJson(res, 200, 'OK'), true);
    case '/time':
      return (sendJson(res, 200, Math.floor(ctx.now() / 1000)), true);
    case '/version':
      return (sendJson(res, 200, { version: 2 }), true);
    case '/book': {
      const token = tokenParam(ctx, res, url);
      return token ? (sendJson(res, 200, bookSummary(token, ctx.now())), true) : true;
    }
    case '/midpoint': {
      const token = tokenParam(ctx, res, url);
      if (!token) return true;
      const bid = token.book.best('bid');
      const ask = token.book.best('ask');
      const mid = bid !== null && ask !== null ? (bid + ask) / 2 / 10_000 : (token.book.lastTradePrice ?? 0.5);
      return (sendJson(res, 200, { mid: String(mid) }), true);
    }
    case '/price': {
      const token = tokenParam(ctx, res, url);
      if (!token) return true;
      // BUY = what a buyer pays (best ask); SELL = what a seller gets (best bid).
      const pips = token.book.best(url.searchParams.get('side') === 'SELL' ? 'bid' : 'ask');
      return (sendJson(res, 200, { price: pips === null ? '0' : String(fromPips(pips)) }), true);
    }
    case '/last-trade-price': {
      const token = tokenParam(ctx, res, url);
      return token
        ? (sendJson(res, 200, { price: String(token.book.lastTradePrice ?? 0.5), side: 'BUY' }), true)
        : true;
    }
    case '/tick-size': {
      const token = tokenParam(ctx, res, url);
      return token ? (sendJson(res, 200, { minimum_tick_size: token.market.spec.tickSize }), true) : true;
    }
    case '/neg-risk': {
      const token = tokenParam(ctx, res, url);
      return token ? (sendJson(res, 200, { neg_risk: token.market.negRisk }), true) : true;
    }
    case '/fee-rate': {
      const token = tokenParam(ctx, res, url);
      return token
        ? (sendJson(res, 200, { base_fee: Math.round((token.market.feeSchedule?.rate ?? 0) * 10_000) }), true)
        : true;
    }
    default:
      return false;
  }
}

function handleGamma(ctx: SimContext, res: ServerResponse, url: URL): boolean {
  const path = url.pathname.slice('/gamma'.length);
  const active = boolParam(url, 'active');
  const closed = boolParam(url, 'closed');
  const slugs = url.searchParams.getAll('slug');
  const ids = url.searchParams.getAll('id');
  if (path === '/markets') {
    const conditionIds = url.searchParams.getAll('condition_ids');
    const list = [...ctx.world.markets.values()].filter(
      (m) =>
        (active === null || m.spec.active === active) &&
        (closed === null || !isOpen(m) === closed) &&
        (slugs.length === 0 || slugs.includes(m.spec.slug)) &&
        (ids.length === 0 || ids.includes(m.spec.id)) &&
        (conditionIds.length === 0 || conditionIds.includes(m.spec.conditionId)),
    );
    return (sendJson(res, 200, paginate(url, list).map(gammaMarket)), true);
  }
  if (path === '/events') {
    const list = ctx.world.events.filter((e) => {
      const isClosed = e.markets.every((m) => !isOpen(m));
      return (
        (closed === null || isClosed === closed) &&
        (active === null || active) &&
        (slugs.length === 0 || slugs.includes(e.spec.slug)) &&
        (ids.length === 0 || ids.includes(e.spec.id))
      );
    });
    return (sendJson(res, 200, paginate(url, list).map(gammaEvent)), true);
  }
  const byId = /^\/(markets|events)\/(slug\/)?([^/]+)$/.exec(path);
  if (byId) {
    const [, kind, bySlug, key] = byId;
    const found =
      kind === 'markets'
        ? [...ctx.world.markets.values()].find((m) => (bySlug ? m.spec.slug : m.spec.id) === key)
        : ctx.world.events.find((e) => (bySlug ? e.spec.slug : e.spec.id) === key);
    if (!found) return (sendJson(res, 404, { type: 'not found error', error: 'id not found' }), true);
    return (sendJson(res, 200, 'tokens' in found ? gammaMarket(found) : gammaEvent(found)), true);
  }
  return false;
}

function dataApiTrade(ctx: SimContext, t: WalletTrade, startMs: number): Record<string, unknown> {
  const token = ctx.world.tokens.get(t.tokenId);
  const market = token?.market;
  return {
    proxyWallet: t.proxyWallet,
    side: t.side,
    asset: t.tokenId,
    conditionId: market?.spec.conditionId ?? '',
    size: t.size,
    price: t.price,
    timestamp: Math.floor((startMs + t.atMs) / 1000),
    title: market?.spec.question ?? '',
    slug: market?.spec.slug ?? '',
    icon: '',
    eventSlug: market?.event.spec.slug ?? '',
    outcome: token?.outcome ?? '',
    outcomeIndex: market?.tokens[1].tokenId === t.tokenId ? 1 : 0,
    name: t.name,
    pseudonym: t.name,
    bio: '',
    profileImage: '',
    profileImageOptimized: '',
    transactionHash: `0x${createHash('sha256').update(`wallet:${t.proxyWallet}:${t.atMs}:${t.tokenId}`).digest('hex')}`,
  };
}

function handleDataApi(
  ctx: SimContext,
  res: ServerResponse,
  url: URL,
  walletTrades: () => { trades: WalletTrade[]; startMs: number },
): boolean {
  const path = url.pathname.slice('/data-api'.length);
  if (path !== '/trades' && path !== '/activity') return false;
  const user = url.searchParams.get('user')?.toLowerCase();
  const market = url.searchParams.get('market');
  const side = url.searchParams.get('side');
  const { trades, startMs } = walletTrades();
  const rows = trades
    .filter((t) => (!user || t.proxyWallet.toLowerCase() === user) && (!side || t.side === side))
    .map((t) => dataApiTrade(ctx, t, startMs))
    .filter((t) => !market || t.conditionId === market)
    .reverse(); // newest first, like the venue
  const withType =
    path === '/activity'
      ? rows.map((r) => ({ ...r, type: 'TRADE', usdcSize: Number(r.size) * Number(r.price) }))
      : rows;
  return (sendJson(res, 200, paginate(url, withType)), true);
}

export function handlePublic(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
  walletTrades: () => { trades: WalletTrade[]; startMs: number },
): boolean {
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/gamma/')) return method === 'GET' && handleGamma(ctx, res, url);
  if (url.pathname.startsWith('/data-api/')) return method === 'GET' && handleDataApi(ctx, res, url, walletTrades);
  return handleClob(ctx, res, url, method, body);
}
