// The simulated Kalshi venue: REST under /trade-api/v2, WebSocket at /trade-api/ws/v2, test control under
// /_sim/kalshi. Scenario time drives scripted book changes and resolutions through advanceTo().
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import type { SimulatedVenue } from '../types.ts';
import { MAX_CLOCK_SKEW_MS, parsePublicKey, verifyKalshiSignature } from './auth.ts';
import { KalshiRateLimitBody, KeyRateLimits } from './rate-limit.ts';
import { MarketBook } from './book.ts';
import { Exchange } from './exchange.ts';
import { parseCountHundredths, parsePriceCents, readJson, sendError, sendJson } from './http.ts';
import { SilenceBodySchema } from '../feed-silence.ts';
import { KalshiPause, PauseBodySchema } from './pause.ts';
import { seededRandom } from '../seeded-random.ts';
import { API_PREFIX, handleRest } from './rest.ts';
import { revokeKey } from './revoke-key.ts';
import { KalshiLifecycle, kalshiStatement, ListBody, ResolveBody } from './lifecycle.ts';
import {
  generateEvents,
  parseKalshiScenario,
  type PathStep,
  type Resolution,
  type ScenarioEvent,
  type ScenarioMarket,
} from './scenario.ts';
import { countFp, dollars } from './wire.ts';
import { KalshiWsHub } from './ws.ts';

export { parseKalshiScenario, type KalshiScenario } from './scenario.ts';
export { takerFeeCents } from './fees.ts';

export const WS_PATH = '/trade-api/ws/v2';
const CONTROL_PREFIX = '/_sim/kalshi';

export interface KalshiSim extends SimulatedVenue {
  readonly name: 'kalshi';
  registerAccount(keyId: string, publicKeyPem: string, balanceCents: number): void;
  /** Terminate every WebSocket connection (clients must reconnect and resnapshot). */
  dropConnections(): number;
  /** The next message on every live subscription skips one seq number. */
  skipNextSeq(): void;
  /** Active orderbook_delta subscriptions per market ticker. */
  subscriptionCounts(): Map<string, number>;
  stats(): Record<string, unknown>;
  /**
   * Test controls (`POST /_sim/kalshi/<action>`): `accounts` {key_id, public_key_pem, balance_cents}, `drop`,
   * `skip-seq`, `fail-next-order` {status, processed} (the next order POST fails before or after being placed).
   */
  control(action: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** Book changes applied by scenario time so far (price path + generator). */
  readonly bookUpdates: number;
  /** Runtime listing and resolution (the `live` scenario drives them; tests use the controls). */
  readonly lifecycle: KalshiLifecycle;
  /** Sets the house liquidity at one level of a bids-only book ("0" removes it); ignored unless the market is active. */
  setLevel(ticker: string, side: 'yes' | 'no', priceCents: number, count: number): void;
  /** The market's status, or null if unknown. */
  marketStatus(ticker: string): string | null;
}

export interface KalshiSimOptions {
  clock: () => number;
  /** Wall clock for signature timestamps (the SDK signs with Date.now()); scenario time may run faster. */
  wallClock?: () => number;
}

const AccountBody = z.object({
  key_id: z.string().min(1),
  public_key_pem: z.string().min(1),
  balance_cents: z.number().int().nonnegative(),
});

const FailBody = z.object({ status: z.number().int().min(400).max(599), processed: z.boolean() });

/** Generated stress markets get this many size changes per second of scenario time, at most this many per advance. */
const MAX_GENERATED_PER_ADVANCE = 50_000;

export function createKalshiSim(scenario: unknown, opts: KalshiSimOptions): KalshiSim {
  const spec = parseKalshiScenario(scenario);
  const wallClock = opts.wallClock ?? Date.now;
  const exchange = new Exchange(opts.clock);
  const keys = new Map<string, KeyObject>();
  const events = new Map<string, ScenarioEvent>();
  const startMs = opts.clock();
  const hub = new KalshiWsHub({
    snapshot(ticker) {
      const m = exchange.markets.get(ticker);
      if (!m) return null;
      const side = (s: 'yes' | 'no'): Array<[string, string]> =>
        m.book.levels(s).map(([p, c]) => [dollars(p), countFp(c)]);
      return { yes: side('yes'), no: side('no') };
    },
  });

  const feeBpsBySeries = new Map(spec.series.map((s) => [s.ticker, Math.round(s.taker_fee_rate * 10_000)]));
  const addMarket = (event: ScenarioEvent, m: ScenarioMarket): void => {
    if (exchange.markets.has(m.ticker)) throw new Error(`duplicate market ${m.ticker}`);
    const ticker = m.ticker;
    const book = new MarketBook((side, price, delta) =>
      hub.publishDelta(ticker, side, dollars(price), (delta / 100).toFixed(2), opts.clock()),
    );
    for (const side of ['yes', 'no'] as const) {
      for (const [price, size] of m.book[side]) book.setHouse(side, levelPrice(price), levelCount(size));
    }
    exchange.markets.set(ticker, {
      spec: m,
      event,
      status: 'active',
      result: '',
      settlementValueCents: null,
      settledMs: null,
      book,
      lastPriceCents: m.last_price === undefined ? null : levelPrice(m.last_price),
      volume: 0,
      feeBps: feeBpsBySeries.get(event.series_ticker) ?? 700,
    });
  };
  /** A new event with its markets (load time or runtime listing). */
  const addEvent = (event: ScenarioEvent): void => {
    if (events.has(event.event_ticker)) throw new Error(`duplicate event ${event.event_ticker}`);
    for (const m of event.markets) if (exchange.markets.has(m.ticker)) throw new Error(`duplicate market ${m.ticker}`);
    const stored = { ...event, markets: [] as ScenarioMarket[] };
    events.set(event.event_ticker, stored);
    for (const m of event.markets) {
      addMarket(stored, m);
      stored.markets.push(m);
    }
  };
  const allEvents = [...spec.events, ...(spec.generator ? generateEvents(spec.generator) : [])];
  for (const event of allEvents) addEvent(event);
  const lifecycle = new KalshiLifecycle(exchange, opts.clock, events, addEvent, addMarket, (type, msg) =>
    hub.publishLifecycle(type, msg),
  );
  for (const step of spec.price_path) exchange.market(step.ticker);
  for (const r of spec.resolutions) exchange.market(r.ticker);

  const registerAccount = (keyId: string, publicKeyPem: string, balanceCents: number): void => {
    const publicKey = parsePublicKey(publicKeyPem);
    keys.set(keyId, publicKey);
    exchange.accounts.set(keyId, {
      keyId,
      publicKey,
      startingUnits: balanceCents * 100,
      balanceUnits: balanceCents * 100,
      settlements: [],
      positions: new Map(),
      orders: new Map(),
      byClientId: new Map(),
      fills: [],
    });
  };
  for (const a of spec.accounts) registerAccount(a.key_id, a.public_key_pem, a.balance_cents);

  // Scripted time: steps sorted once; a cursor walks them as time advances.
  const path: PathStep[] = [...spec.price_path].sort((a, b) => a.at_ms - b.at_ms);
  const resolutions: Resolution[] = [...spec.resolutions].sort((a, b) => a.at_ms - b.at_ms);
  let pathIdx = 0;
  let resIdx = 0;
  let bookUpdates = 0;
  const gen = spec.generator;
  const genRandom = gen ? seededRandom(gen.seed ^ 0x5eed) : null;
  const genTickers = gen
    ? allEvents.filter((e) => e.series_ticker === 'KXSTRESS').flatMap((e) => e.markets.map((m) => m.ticker))
    : [];
  let genDone = 0;

  const advanceTo = (nowMs: number): void => {
    const elapsed = nowMs - startMs;
    while (pathIdx < path.length) {
      const step = path[pathIdx];
      if (!step || step.at_ms > elapsed) break;
      const m = exchange.market(step.ticker);
      if (m.status === 'active') {
        m.book.setHouse(step.side, levelPrice(step.price), levelCount(step.size));
        bookUpdates++;
      }
      pathIdx++;
    }
    while (resIdx < resolutions.length) {
      const r = resolutions[resIdx];
      if (!r || r.at_ms > elapsed) break;
      exchange.settle(r.ticker, r.result);
      resIdx++;
    }
    lifecycle.advanceTo(nowMs);
    if (gen && genRandom && genTickers.length > 0) {
      const due = Math.floor((Math.max(0, elapsed) * gen.updates_per_second) / 1000);
      // After a long pause only the most recent changes are worth replaying: skip the backlog.
      if (due - genDone > MAX_GENERATED_PER_ADVANCE) genDone = due - MAX_GENERATED_PER_ADVANCE;
      for (; genDone < due; genDone++) {
        const ticker = genTickers[Math.floor(genRandom() * genTickers.length)];
        const m = ticker === undefined ? undefined : exchange.markets.get(ticker);
        if (!m || m.status !== 'active') continue;
        const side = genRandom() < 0.5 ? 'yes' : 'no';
        const levels = m.book.levels(side);
        const level = levels[Math.floor(genRandom() * levels.length)];
        // Sizes move, prices stay: the generated events never cross into an arbitrage.
        if (level) {
          m.book.setHouse(side, level[0], (10 + Math.floor(genRandom() * 490)) * 100);
          bookUpdates++;
        }
      }
    }
  };

  const authenticate = (req: IncomingMessage, res: ServerResponse, pathname: string): string | null => {
    const result = verifyKalshiSignature(req.headers, req.method ?? 'GET', pathname, keys, wallClock());
    if (!result.ok) {
      sendError(res, 401, 'authentication_error', result.message);
      return null;
    }
    if (!rateLimits.take(result.keyId, req.method === 'GET' ? 'read' : 'write', wallClock())) {
      sendError(res, 429, 'too_many_requests', 'too many requests');
      return null;
    }
    return result.keyId;
  };
  const rateLimits = new KeyRateLimits();

  const orderFailures: Array<{ status: number; processed: boolean }> = [];
  const takeOrderFailure = (): { status: number; processed: boolean } | null => orderFailures.shift() ?? null;
  const pause = new KalshiPause(exchange);

  const stats = (): Record<string, unknown> => ({
    subscriptions: Object.fromEntries(hub.subscriptionCounts()),
    book_updates: bookUpdates,
    markets: exchange.markets.size,
    accounts: exchange.accounts.size,
    pending_lifecycle_steps: lifecycle.pending,
  });

  /** A control body that fails its schema: Kalshi's error envelope with the schema's words. */
  const invalidParameters = (error: z.ZodError): { status: number; body: unknown } => ({
    status: 400,
    body: { error: { code: 'invalid_parameters', message: z.prettifyError(error) } },
  });

  const control = async (action: string, body: unknown): Promise<{ status: number; body: unknown }> => {
    switch (action) {
      case 'accounts': {
        const parsed = AccountBody.safeParse(body);
        if (!parsed.success) return invalidParameters(parsed.error);
        registerAccount(parsed.data.key_id, parsed.data.public_key_pem, parsed.data.balance_cents);
        return { status: 201, body: { key_id: parsed.data.key_id } };
      }
      case 'fail-next-order': {
        const parsed = FailBody.safeParse(body);
        if (!parsed.success) return invalidParameters(parsed.error);
        orderFailures.push(parsed.data);
        return { status: 200, body: { queued: orderFailures.length } };
      }
      case 'rate-limit': {
        const parsed = KalshiRateLimitBody.safeParse(body ?? {});
        if (!parsed.success) return invalidParameters(parsed.error);
        rateLimits.configure(parsed.data);
        return { status: 200, body: { ok: true } };
      }
      case 'rate-limited':
        return { status: 200, body: rateLimits.refused };
      case 'drop':
        return { status: 200, body: { dropped: hub.dropConnections() } };
      case 'resolve': {
        const parsed = ResolveBody.safeParse(body);
        if (!parsed.success) return invalidParameters(parsed.error);
        return lifecycle.resolve(parsed.data)
          ? { status: 200, body: { ticker: parsed.data.ticker, status: exchange.market(parsed.data.ticker).status } }
          : { status: 404, body: { error: { code: 'not_found', message: 'unknown market, or not active' } } };
      }
      case 'list': {
        const parsed = ListBody.safeParse(body);
        if (!parsed.success) return invalidParameters(parsed.error);
        try {
          return { status: 200, body: { tickers: lifecycle.list(parsed.data) } };
        } catch (e) {
          return { status: 409, body: { error: { code: 'conflict', message: e instanceof Error ? e.message : '' } } };
        }
      }
      case 'skip-seq':
        hub.skipNextSeq();
        return { status: 200, body: { ok: true } };
      case 'revoke-key':
        return revokeKey(keys, body);
      case 'pause': {
        const parsed = PauseBodySchema.safeParse(body);
        if (!parsed.success) return invalidParameters(parsed.error);
        return { status: 200, body: pause.start(parsed.data.ms) };
      }
      case 'silence': {
        const parsed = SilenceBodySchema.safeParse(body);
        if (!parsed.success) return invalidParameters(parsed.error);
        return { status: 200, body: hub.silenceAll(parsed.data.ms) };
      }
      default:
        return {
          status: 404,
          body: { error: { code: 'not_found', message: `kalshi sim: no control action ${action}` } },
        };
    }
  };

  return {
    name: 'kalshi',
    get bookUpdates() {
      return bookUpdates;
    },
    async handleHttp(req, res, url) {
      if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
        advanceTo(opts.clock());
        await handleRest({ exchange, events, authenticate, takeOrderFailure, pause }, req, res, url);
        return true;
      }
      if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        const action = url.pathname.slice(CONTROL_PREFIX.length + 1);
        if (req.method === 'GET' && action === 'stats') sendJson(res, 200, stats());
        else if (req.method === 'GET' && action === 'statement') {
          advanceTo(opts.clock());
          const account = exchange.accounts.get(url.searchParams.get('member') ?? '');
          if (account) sendJson(res, 200, kalshiStatement(account));
          else sendError(res, 404, 'not_found', 'kalshi sim: no member with this key id');
        } else if (req.method === 'POST') {
          const out = await control(action, await readJson(req));
          sendJson(res, out.status, out.body);
        } else sendError(res, 404, 'not_found', `kalshi sim: no control route ${req.method ?? ''} ${url.pathname}`);
        return true;
      }
      return false;
    },
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
      if (url.pathname !== WS_PATH) return false;
      const auth = verifyKalshiSignature(req.headers, 'GET', WS_PATH, keys, wallClock());
      if (!auth.ok) {
        const body = JSON.stringify({ error: { code: 'authentication_error', message: auth.message, service: 'sim' } });
        socket.end(
          `HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
        return true;
      }
      advanceTo(opts.clock());
      hub.accept(req, socket, head);
      return true;
    },
    advanceTo,
    baseUrls(origin) {
      return { kalshi: `${origin}${API_PREFIX}`, kalshiWs: `${origin.replace(/^http/, 'ws')}${WS_PATH}` };
    },
    stats,
    control,
    registerAccount,
    lifecycle,
    setLevel(ticker, side, priceCents, count) {
      const m = exchange.markets.get(ticker);
      if (m?.status !== 'active') return;
      m.book.setHouse(side, priceCents, count);
      bookUpdates++;
    },
    marketStatus: (ticker) => exchange.markets.get(ticker)?.status ?? null,
    dropConnections: () => hub.dropConnections(),
    skipNextSeq: () => hub.skipNextSeq(),
    subscriptionCounts: () => hub.subscriptionCounts(),
    close: () => hub.close(),
  };
}

function levelPrice(s: string): number {
  const p = parsePriceCents(s);
  if (p === null || p < 1 || p > 99) throw new Error(`scenario price ${s} is not a whole cent in 0.01..0.99`);
  return p;
}

function levelCount(s: string): number {
  const c = parseCountHundredths(s);
  if (c === null) throw new Error(`scenario count ${s} is malformed`);
  return c;
}

export { MAX_CLOCK_SKEW_MS };
