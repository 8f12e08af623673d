// The simulated Polymarket venue: CLOB (root), Gamma (/gamma), data-API (/data-api), market WebSocket
// (/ws/market), plus test controls. Scenario time zero is when the venue is created.
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import type { SimulatedVenue, SimControlResult } from '../types.ts';
import { Accounts } from './accounts.ts';
import { ApiKeyStore } from './auth.ts';
import { toPips } from './book.ts';
import type { SimContext } from './context.ts';
import { cancelOrder } from './engine.ts';
import { Heartbeats, HeartbeatTimeoutSchema } from './heartbeats.ts';
import { ordersListing } from './order-listing.ts';
import { SilenceBodySchema } from '../feed-silence.ts';
import { EngineRestart, EngineRestartSchema } from './engine-restart.ts';
import { readBody, sendJson } from './http.ts';
import { handlePrivate } from './private-routes.ts';
import { ListBodySchema, PolymarketLifecycle, polymarketStatement, ResolveBodySchema } from './lifecycle.ts';
import { handlePublic } from './public-routes.ts';
import { RateLimitConfigSchema, SignerRateLimits } from './rate-limit.ts';
import { revokeKey } from './revoke-key.ts';
import { PolymarketScenarioSchema, type PolymarketScenario, type WalletTrade } from './scenario-schema.ts';
import { StressDriver } from './stress.ts';
import { buildWorld, type World } from './world.ts';
import { RefuseEoaMakersSchema, SmartWallets, SmartWalletSchema } from './wallets.ts';
import { MarketChannel } from './ws.ts';

export type { PolymarketScenario } from './scenario-schema.ts';

const SetLevelSchema = z.object({
  tokenId: z.string(),
  side: z.enum(['bid', 'ask']),
  price: z.number().gt(0).lt(1),
  size: z.number().nonnegative(),
});
const TokenSchema = z.object({ tokenId: z.string() });
const FundSchema = z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/), amount: z.number() });
const ConditionSchema = z.object({ conditionId: z.string() });
/** The wallet's pUSD approval to the exchange, in dollars; null = unlimited (the default for every wallet). */
const AllowanceSchema = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  amount: z.number().nonnegative().nullable(),
});
/**
 * Fault injection for retry/idempotency tests: the next `count` requests to `method path` fail with `status`,
 * either before the venue processes them (`before`: nothing happened, like a 429) or after (`after`: the order
 * landed but the response was lost, like a 502 from a proxy).
 */
const FailNextSchema = z.object({
  method: z.string().default('POST'),
  path: z.string(),
  status: z.number().int().min(400).max(599),
  when: z.enum(['before', 'after']),
  count: z.number().int().positive().default(1),
  /** The venue's words in the error body (e.g. 'not enough balance / allowance'); default 'venue-sim: injected N'. */
  error: z.string().optional(),
});
type Fault = z.infer<typeof FailNextSchema>;

export interface PolymarketSim extends SimulatedVenue {
  readonly world: World;
  /** Runtime listing and resolution (the `live` scenario drives them; tests use the controls). */
  readonly lifecycle: PolymarketLifecycle;
  /** Sets the scenario liquidity at one level and tells subscribers (size 0 removes it). */
  setLevel(tokenId: string, side: 'bid' | 'ask', price: number, size: number): void;
  /** A followed wallet's trade, served by the data-API from now on. */
  addWalletTrade(trade: WalletTrade): void;
}

export function createPolymarketSim(rawScenario: unknown, opts: { clock: () => number }): PolymarketSim {
  const scenario: PolymarketScenario = PolymarketScenarioSchema.parse(rawScenario);
  const world = buildWorld(scenario);
  const startMs = opts.clock();
  const channel = new MarketChannel(world, opts.clock);
  let ids = 0;
  const accounts = new Accounts(scenario.defaultBalance);
  const ctx: SimContext = {
    world,
    accounts,
    keys: new ApiKeyStore(),
    now: opts.clock,
    publishChanges: (token, changes) => channel.publishChanges(token, changes),
    publishTrade: (token, price, size, side) => channel.publishTrade(token, price, size, side),
    nextId: (prefix) => `${prefix}-${(++ids).toString(36).padStart(6, '0')}`,
    rateLimits: new SignerRateLimits(),
    wallets: new SmartWallets(),
    heartbeats: new Heartbeats(accounts, opts.clock, (address, orderId) =>
      cancelOrder(ctx, address, orderId, 'heartbeat_timeout'),
    ),
  };
  for (const w of scenario.wallets) ctx.wallets.register(w);
  if (scenario.refuseEoaMakers) ctx.wallets.setRefuseEoaMakers(true, [], []);
  const paths = [...scenario.pricePaths].sort((a, b) => a.atMs - b.atMs);
  const resolutions = [...scenario.resolutions].sort((a, b) => a.atMs - b.atMs);
  const walletTrades = [...scenario.walletTrades];
  let pathIndex = 0;
  let resolutionIndex = 0;
  let elapsedMs = 0;
  const stress = scenario.stress
    ? new StressDriver(world, scenario.seed, scenario.stress.updatesPerSecond, ctx.publishChanges)
    : null;

  const lifecycle = new PolymarketLifecycle(ctx, channel);

  const engine = new EngineRestart();
  const faults: Fault[] = [];
  const takeFault = (req: IncomingMessage, url: URL): Fault | undefined => {
    const fault = faults.find((f) => f.method === req.method && f.path === url.pathname);
    if (fault && --fault.count <= 0) faults.splice(faults.indexOf(fault), 1);
    return fault;
  };

  const control = async (action: string, body: unknown): Promise<SimControlResult> => {
    switch (action) {
      case 'fail-next': {
        const fault = FailNextSchema.parse(body);
        faults.push(fault);
        return { status: 200, body: { ok: true, pending: faults.length } };
      }
      case 'drop-ws':
        return { status: 200, body: { dropped: channel.dropAll() } };
      case 'engine-restart': {
        const p = EngineRestartSchema.parse(body);
        return { status: 200, body: engine.start(p.restartMs, p.postOnlyMs) };
      }
      case 'silence':
        return { status: 200, body: channel.silenceAll(SilenceBodySchema.parse(body).ms) };
      case 'set-level': {
        const p = SetLevelSchema.parse(body);
        const token = world.tokens.get(p.tokenId);
        if (!token) return { status: 404, body: { error: `unknown token ${p.tokenId}` } };
        channel.publishChanges(token, [token.book.setScenarioLiquidity(p.side, toPips(p.price), p.size)]);
        return { status: 200, body: { ok: true } };
      }
      case 'skip': {
        // Change the top of the book without telling subscribers: the next message they get no longer agrees.
        const { tokenId } = TokenSchema.parse(body);
        const token = world.tokens.get(tokenId);
        const best = token?.book.best('ask') ?? null;
        if (!token || best === null) return { status: 404, body: { error: `no ask to skip on ${tokenId}` } };
        channel.skip(tokenId);
        channel.publishChanges(token, [token.book.setScenarioLiquidity('ask', best, 0)]);
        return { status: 200, body: { removedAskPrice: best / 10_000 } };
      }
      case 'fund': {
        const p = FundSchema.parse(body);
        return { status: 200, body: { balance: ctx.accounts.fund(p.address, p.amount).cash } };
      }
      case 'allowance': {
        const p = AllowanceSchema.parse(body);
        ctx.accounts.get(p.address).allowance = p.amount;
        return { status: 200, body: { ok: true } };
      }
      case 'rate-limit': {
        ctx.rateLimits.configure(RateLimitConfigSchema.parse(body ?? {}));
        return { status: 200, body: { ok: true } };
      }
      case 'rate-limited':
        return { status: 200, body: ctx.rateLimits.refused };
      case 'resolve': {
        const p = ResolveBodySchema.parse(body);
        return lifecycle.resolve(p)
          ? { status: 200, body: { ok: true } }
          : { status: 404, body: { error: 'unknown or resolved market, or not one of its outcomes' } };
      }
      case 'propose': {
        const { conditionId } = ConditionSchema.parse(body);
        return lifecycle.propose(conditionId)
          ? { status: 200, body: { ok: true } }
          : { status: 404, body: { error: 'unknown market, or already proposed or resolved' } };
      }
      case 'list': {
        const p = ListBodySchema.parse(body);
        try {
          return { status: 200, body: { conditionIds: lifecycle.list(p) } };
        } catch (e) {
          return { status: 409, body: { error: e instanceof Error ? e.message : String(e) } };
        }
      }
      case 'wallet': {
        const wallet = SmartWalletSchema.parse(body);
        try {
          return { status: 200, body: ctx.wallets.register(wallet) };
        } catch (e) {
          return { status: 409, body: { error: e instanceof Error ? e.message : String(e) } };
        }
      }
      case 'refuse-eoa-makers': {
        const p = RefuseEoaMakersSchema.parse(body);
        // EOAs that already made orders are existing API users: production lets them keep trading.
        const known = [...ctx.accounts.all()]
          .filter((a) => a.orders.length > 0 && !ctx.wallets.get(a.address))
          .map((a) => a.address);
        ctx.wallets.setRefuseEoaMakers(p.refuse, p.grandfathered, known);
        return { status: 200, body: { refuse: p.refuse } };
      }
      case 'revoke-key':
        return revokeKey(ctx.keys, body);
      case 'heartbeat-timeout': {
        const { ms } = HeartbeatTimeoutSchema.parse(body);
        ctx.heartbeats.setTimeout(ms);
        return { status: 200, body: { ok: true, ms } };
      }
      default:
        return { status: 404, body: { error: `venue-sim: unknown polymarket control ${action}` } };
    }
  };

  return {
    name: 'polymarket',
    world,
    lifecycle,
    setLevel(tokenId, side, price, size) {
      const token = world.tokens.get(tokenId);
      if (token) channel.publishChanges(token, [token.book.setScenarioLiquidity(side, toPips(price), size)]);
    },
    addWalletTrade(trade) {
      walletTrades.push({ ...trade, atMs: Math.min(trade.atMs, elapsedMs) });
    },
    async handleHttp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      if (req.method === 'GET' && url.pathname === '/_sim/polymarket/statement') {
        const account = ctx.accounts.find(url.searchParams.get('address') ?? '');
        if (account) sendJson(res, 200, polymarketStatement(ctx, account));
        else sendJson(res, 404, { error: 'venue-sim: this address has never been seen by the venue' });
        return true;
      }
      if (req.method === 'GET' && url.pathname === '/_sim/polymarket/orders') {
        const address = url.searchParams.get('address') ?? '';
        const account = ctx.accounts.find(address);
        sendJson(res, 200, {
          orders: account ? ordersListing(account) : [],
          heartbeats: ctx.heartbeats.count(address),
        });
        return true;
      }
      const body = req.method === 'GET' ? '' : await readBody(req);
      if (engine.refuse(req, res, url, body)) return true;
      const fault = takeFault(req, url);
      if (fault) {
        // 'after': process for real into a response nobody receives.
        if (fault.when === 'after' && !(await handlePrivate(ctx, req, new ServerResponse(req), url, body)))
          return false;
        sendJson(res, fault.status, { error: fault.error ?? `venue-sim: injected ${fault.status}` });
        return true;
      }
      if (
        handlePublic(ctx, req, res, url, body, () => ({
          trades: walletTrades.filter((t) => t.atMs <= elapsedMs),
          startMs,
        }))
      )
        return true;
      return handlePrivate(ctx, req, res, url, body);
    },
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean {
      if (url.pathname !== '/ws/market') return false;
      channel.upgrade(req, socket, head);
      return true;
    },
    advanceTo(nowMs: number): void {
      elapsedMs = Math.max(elapsedMs, nowMs - startMs);
      for (let step = paths[pathIndex]; step !== undefined && step.atMs <= elapsedMs; step = paths[++pathIndex]) {
        const token = world.tokens.get(step.tokenId);
        if (token)
          channel.publishChanges(token, [token.book.setScenarioLiquidity(step.side, toPips(step.price), step.size)]);
      }
      for (
        let r = resolutions[resolutionIndex];
        r !== undefined && r.atMs <= elapsedMs;
        r = resolutions[++resolutionIndex]
      ) {
        lifecycle.resolve({ conditionId: r.conditionId, winningOutcome: r.winningOutcome });
      }
      stress?.advanceTo(elapsedMs);
      ctx.heartbeats.expire(nowMs);
    },
    baseUrls(origin: string): Record<string, string> {
      const ws = origin.replace(/^http/, 'ws');
      return {
        polymarketClob: origin,
        polymarketGamma: `${origin}/gamma`,
        polymarketDataApi: `${origin}/data-api`,
        polymarketWs: `${ws}/ws/market`,
      };
    },
    stats: () => ({
      ...channel.stats(),
      tokens: world.tokens.size,
      markets: world.markets.size,
      stressUpdates: stress?.updates ?? 0,
    }),
    control,
    async close(): Promise<void> {
      await channel.close();
    },
  };
}

export { sendJson };
