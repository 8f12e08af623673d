// Polymarket private trading through @polymarket/clob-client-v2 (unmodified): API creds derived with L1 auth,
// orders signed offline with a viem account, posted with `throwOnError`. Idempotent by clientOrderId: the
// same id returns the same result and never signs a second order; after an ambiguous failure (5xx, network)
// we look the order up by its hash before reposting the *same* signed order.
import {
  ApiError,
  AssetType,
  Chain,
  ClobClient,
  OrderType,
  Side,
  type ApiKeyCreds,
  type OrderResponse,
  type SignedOrder,
  type Trade,
} from '@polymarket/clob-client-v2';
import {
  OrderRequestSchema,
  fee,
  resolveFeeSchedule,
  type Fill,
  type OrderRequest,
  type OrderResult,
} from '@polybot/schemas';
import { createWalletClient, custom, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { polygon, polygonAmoy } from 'viem/chains';
import { TokenBucket, backoffDelay, isRetryableStatus, withRetry } from '../rate-limit/index.ts';
import { rejectedOrder, type Funds, type Position, type Trading } from '../venue.ts';
import { resolveWallet, type PolymarketSignatureType } from './account.ts';
import { polymarketPause } from './engine-restart.ts';
import { v2OrderHash } from './order-hash.ts';
import { signerLimiter } from './rate-limit-headers.ts';

export interface PolymarketTradingOptions {
  clobUrl: string;
  privateKey: Hex;
  chainId?: 137 | 80002;
  /** Already derived creds; derived with L1 auth when absent. */
  creds?: ApiKeyCreds;
  /**
   * Private request budget. Polymarket allows bursts of hundreds of order posts per 10 s per account; a runner
   * needs far less, so 5/s with a burst of 10 leaves wide headroom.
   */
  bucket?: TokenBucket;
  retries?: number;
  baseDelayMs?: number;
  /** Wallet type (see account.ts); default 0 = EOA. */
  signatureType?: PolymarketSignatureType;
  /** The smart wallet holding the money; required for signature types 1–3. */
  funderAddress?: Hex;
}

const TYPES: Record<OrderRequest['orderType'], OrderType> = {
  FOK: OrderType.FOK,
  FAK: OrderType.FAK,
  GTC: OrderType.GTC,
};

function status(e: unknown): number | undefined {
  return e instanceof ApiError ? e.status : undefined;
}
/** A request the venue may or may not have processed: the connection failed or the venue itself failed. */
const ambiguous = (e: unknown): boolean => status(e) === undefined || (status(e) ?? 0) >= 500;
const transient = (e: unknown): boolean => status(e) === undefined || isRetryableStatus(status(e));

export class PolymarketTrading implements Trading {
  readonly venue = 'polymarket' as const;
  readonly mode = 'live' as const;
  private readonly orders = new Map<string, Promise<OrderResult>>();
  private readonly clientIds = new Map<string, string>();
  /** clientOrderId → the one signed order ever made for it. */
  private readonly signed = new Map<string, SignedOrder>();
  private readonly feeInfo = new Map<string, Promise<{ rate: number; exponent: number } | null>>();

  private constructor(
    readonly client: ClobClient,
    readonly address: string,
    private readonly chainId: number,
    private readonly bucket: TokenBucket,
    private readonly retry: { retries: number; baseDelayMs: number },
    /** The maker of our orders, holder of balance and positions (= address for an EOA key). */
    readonly funder: string = address,
  ) {}

  static async connect(opts: PolymarketTradingOptions): Promise<PolymarketTrading> {
    const chainId = opts.chainId ?? Chain.POLYGON;
    const account = privateKeyToAccount(opts.privateKey);
    // Local account: every signature is computed in-process; the transport is never asked for anything.
    const signer = createWalletClient({
      account,
      chain: chainId === Chain.AMOY ? polygonAmoy : polygon,
      transport: custom({ request: () => Promise.reject(new Error('polymarket: signing is offline, no RPC')) }),
    });
    const wallet = resolveWallet(account.address, opts.signatureType, opts.funderAddress);
    const base = {
      host: opts.clobUrl,
      chain: chainId,
      signer,
      throwOnError: true,
      signatureType: wallet.signatureType,
      funderAddress: wallet.funder,
    };
    const creds = opts.creds ?? (await new ClobClient(base).createOrDeriveApiKey());
    const bucket = opts.bucket ?? new TokenBucket({ capacity: 10, refillPerSecond: 5 });
    const trading = new PolymarketTrading(
      new ClobClient({ ...base, creds }),
      account.address,
      chainId,
      bucket,
      { retries: opts.retries ?? 4, baseDelayMs: opts.baseDelayMs ?? 200 },
      wallet.funder,
    );
    // Stored creds are checked with one L2 call, so a wrong secret fails here (ApiError, status 401) and not on the
    // first order. Derived creds were just proven by L1 auth.
    if (opts.creds) await trading.balance();
    return trading;
  }

  /** Rate-limited, retried call for requests that are safe to repeat (reads, cancels). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        await this.bucket.take();
        return fn();
      },
      { retries: this.retry.retries, baseDelayMs: this.retry.baseDelayMs, maxDelayMs: 5000, isRetryable: transient },
    );
  }

  placeOrder(order: OrderRequest): Promise<OrderResult> {
    const req = OrderRequestSchema.parse(order);
    if (req.venue !== 'polymarket') throw new Error(`polymarket: order for venue ${req.venue}`);
    const existing = this.orders.get(req.clientOrderId);
    if (existing) return existing;
    const result = this.execute(req);
    this.orders.set(req.clientOrderId, result);
    // Outcome unknown: let a later call try again — with the same signed order, which the venue dedupes.
    result.catch(() => this.orders.delete(req.clientOrderId));
    return result;
  }

  /** Signs the order now (once per clientOrderId) and answers its hash: the id the venue will know it by. */
  async prepareOrder(order: OrderRequest): Promise<{ venueOrderId: string }> {
    const req = OrderRequestSchema.parse(order);
    return { venueOrderId: (await this.signOnce(req)).orderId };
  }

  private async signOnce(req: OrderRequest): Promise<{ signed: SignedOrder; orderId: string }> {
    const side = req.side === 'buy' ? Side.BUY : Side.SELL;
    const cached = this.signed.get(req.clientOrderId);
    const signed =
      cached ??
      (await this.call(() =>
        this.client.createOrder({ tokenID: req.instrumentId, price: req.limitPrice, size: req.size, side }),
      ));
    this.signed.set(req.clientOrderId, signed);
    const negRisk = await this.call(() => this.client.getNegRisk(req.instrumentId));
    const orderId = v2OrderHash(signed, this.chainId, negRisk);
    this.clientIds.set(orderId, req.clientOrderId);
    return { signed, orderId };
  }

  /**
   * What the venue knows of one of our orders, by its hash (reconciliation after a lost answer): null when the venue
   * never received it; else its fills and whether it still rests.
   */
  async findOrder(order: OrderRequest, orderId: string): Promise<OrderResult | null> {
    const req = OrderRequestSchema.parse(order);
    this.clientIds.set(orderId, req.clientOrderId);
    const known = await this.call(() => this.client.getOrder(orderId)).catch((e: unknown) => {
      if (status(e) === 404) return null;
      throw e;
    });
    const fills = await this.fillsOf(orderId, req.instrumentId);
    if (!known && fills.length === 0) return null;
    return this.summarize(req, orderId, fills, known?.status === 'LIVE');
  }

  private async execute(req: OrderRequest): Promise<OrderResult> {
    const { signed, orderId } = await this.signOnce(req);
    for (let attempt = 0; ; attempt++) {
      try {
        // The venue's own word first (Poly-RateLimit-* / Retry-After of earlier answers), then our bucket.
        await signerLimiter(this.address, 'order').wait();
        await this.bucket.take();
        const res = await this.client.postOrder(signed, TYPES[req.orderType]);
        return await this.fromResponse(req, res);
      } catch (e) {
        // Engine restart (425) or its post-only window: nothing reached the book; the runner pauses this venue.
        const paused = polymarketPause(e);
        if (paused) throw paused;
        if (e instanceof ApiError && e.message.includes('Duplicated')) {
          const found = await this.lookup(req, orderId);
          if (found) return found;
        }
        if (!transient(e) || attempt >= this.retry.retries) {
          if (ambiguous(e)) {
            const found = await this.lookup(req, orderId);
            if (found) return found;
            throw new Error(`polymarket: order ${req.clientOrderId} outcome unknown after ${attempt + 1} attempts`, {
              cause: e,
            });
          }
          return rejectedOrder(req, e instanceof Error ? e.message : String(e), orderId);
        }
        // 429 means the venue refused before processing; 5xx / network might have landed: check first.
        if (ambiguous(e)) {
          const found = await this.lookup(req, orderId);
          if (found) return found;
        }
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.retry.baseDelayMs, 5000)));
      }
    }
  }

  /** Did the order land? Open orders by id, then our trades as taker of that order. */
  private async lookup(req: OrderRequest, orderId: string): Promise<OrderResult | null> {
    const open = await this.call(() => this.client.getOpenOrders({ id: orderId }));
    const fills = await this.fillsOf(orderId, req.instrumentId);
    if (open.some((o) => o.id === orderId)) return this.summarize(req, orderId, fills, true);
    return fills.length > 0 ? this.summarize(req, orderId, fills, false) : null;
  }

  private async fromResponse(req: OrderRequest, res: OrderResponse): Promise<OrderResult> {
    const fills = (res.tradeIDs?.length ?? 0) > 0 ? await this.fillsOf(res.orderID, req.instrumentId) : [];
    return this.summarize(
      req,
      res.orderID,
      fills,
      res.status === 'live' || (req.orderType === 'GTC' && res.status === 'matched' && sum(fills) < req.size),
    );
  }

  private summarize(req: OrderRequest, orderId: string, fills: Fill[], resting: boolean): OrderResult {
    const filled = sum(fills);
    const notional = fills.reduce((s, f) => s + f.price * f.size, 0);
    const complete = filled + 1e-9 >= req.size;
    return {
      clientOrderId: req.clientOrderId,
      venueOrderId: orderId,
      status: complete ? 'filled' : filled > 0 ? 'partially_filled' : resting ? 'resting' : 'cancelled',
      filledSize: round6(filled),
      averagePrice: filled > 0 ? round6(notional / filled) : null,
      fees: round6(fills.reduce((s, f) => s + f.fee, 0)),
      fills,
      rejectReason: null,
    };
  }

  private async fillsOf(orderId: string, assetId: string): Promise<Fill[]> {
    const trades = await this.call(() => this.client.getTrades({ asset_id: assetId }));
    const mine = trades.filter(
      (t) => t.taker_order_id === orderId || t.maker_orders.some((m) => m.order_id === orderId),
    );
    return (await Promise.all(mine.map((t) => this.toFills(t)))).flat();
  }

  private async schedule(conditionId: string): Promise<{ rate: number; exponent: number } | null> {
    const cached = this.feeInfo.get(conditionId);
    if (cached) return cached;
    const info = this.call(() => this.client.getClobMarketInfo(conditionId)).then((m) =>
      m.fd && m.fd.r !== undefined ? { rate: m.fd.r, exponent: m.fd.e ?? 1 } : null,
    );
    this.feeInfo.set(conditionId, info);
    return info;
  }

  private async toFills(t: Trade): Promise<Fill[]> {
    const timestampMs = Number(t.match_time) * 1000;
    if (t.trader_side === 'TAKER') {
      const s = await this.schedule(t.market);
      const polymarketSchedule = s ? { ...s, takerOnly: true, rebateRate: 0 } : null;
      const size = Number(t.size);
      const price = Number(t.price);
      return [
        {
          venue: 'polymarket',
          instrumentId: t.asset_id,
          clientOrderId: this.clientIds.get(t.taker_order_id) ?? t.taker_order_id,
          venueOrderId: t.taker_order_id,
          side: t.side === Side.BUY ? 'buy' : 'sell',
          price,
          size,
          timestampMs,
          fee: fee(resolveFeeSchedule({ venue: 'polymarket', marketId: t.market, polymarketSchedule }), size, price),
        },
      ];
    }
    // Maker: our orders are among maker_orders; makers pay no fee.
    return t.maker_orders
      .filter((m) => m.maker_address.toLowerCase() === this.funder.toLowerCase())
      .map((m): Fill => ({
        venue: 'polymarket',
        instrumentId: m.asset_id,
        clientOrderId: this.clientIds.get(m.order_id) ?? m.order_id,
        venueOrderId: m.order_id,
        side: (m.side ?? (t.side === Side.BUY ? Side.SELL : Side.BUY)) === Side.BUY ? 'buy' : 'sell',
        price: Number(m.price),
        size: Number(m.matched_amount),
        fee: 0,
        timestampMs,
      }));
  }

  async cancelOrder(venueOrderId: string): Promise<void> {
    const res: unknown = await this.call(async () => {
      await signerLimiter(this.address, 'cancel').wait();
      return this.client.cancelOrder({ orderID: venueOrderId });
    });
    const canceled =
      typeof res === 'object' && res !== null && 'canceled' in res && Array.isArray(res.canceled) ? res.canceled : [];
    if (!canceled.includes(venueOrderId)) {
      const reason =
        typeof res === 'object' && res !== null && 'not_canceled' in res ? JSON.stringify(res.not_canceled) : 'unknown';
      throw new Error(`polymarket: order ${venueOrderId} not cancelled: ${reason}`);
    }
  }

  /** `DELETE /cancel-all`: every open order of this account, placed by us or not. */
  async cancelAll(): Promise<number> {
    const res: unknown = await this.call(() => this.client.cancelAll());
    return typeof res === 'object' && res !== null && 'canceled' in res && Array.isArray(res.canceled)
      ? res.canceled.length
      : 0;
  }

  async openOrders(): Promise<OrderResult[]> {
    const open = await this.call(() => this.client.getOpenOrders());
    return open.map((o) => {
      const matched = Number(o.size_matched);
      return {
        clientOrderId: this.clientIds.get(o.id) ?? o.id,
        venueOrderId: o.id,
        status: matched > 0 ? 'partially_filled' : 'resting',
        filledSize: matched,
        averagePrice: matched > 0 ? Number(o.price) : null,
        fees: 0,
        fills: [],
        rejectReason: null,
      };
    });
  }

  async fills(sinceMs = 0): Promise<Fill[]> {
    const trades = await this.call(() =>
      this.client.getTrades(sinceMs > 0 ? { after: String(Math.floor(sinceMs / 1000)) } : undefined),
    );
    return (await Promise.all(trades.map((t) => this.toFills(t)))).flat().filter((f) => f.timestampMs >= sinceMs);
  }

  async balance(): Promise<number> {
    const res = await this.call(() => this.client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL }));
    return Number(res.balance) / 1e6;
  }

  /**
   * pUSD balance and allowance of the account that pays for orders. The allowance is the smallest approval among the
   * exchange contracts the venue lists (an order on any of them may need it); none listed reads as none given.
   */
  async funds(): Promise<Funds> {
    const res = await this.call(() => this.client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL }));
    const approvals = Object.values(res.allowances ?? {}).map((a) => Number(a) / 1e6);
    return {
      account: this.funder,
      balance: Number(res.balance) / 1e6,
      allowance: approvals.length > 0 ? Math.min(...approvals) : 0,
    };
  }

  /**
   * Net positions from our own CLOB trades. (The data-API's positions lag new trades by about a minute, which is
   * exactly when a runner needs them.)
   */
  async positions(): Promise<Position[]> {
    const acc = new Map<string, { size: number; cost: number; bought: number }>();
    for (const f of await this.fills()) {
      const p = acc.get(f.instrumentId) ?? { size: 0, cost: 0, bought: 0 };
      p.size += f.side === 'buy' ? f.size : -f.size;
      if (f.side === 'buy') {
        p.cost += f.price * f.size;
        p.bought += f.size;
      }
      acc.set(f.instrumentId, p);
    }
    return [...acc]
      .filter(([, p]) => Math.abs(p.size) > 1e-9)
      .map(([instrumentId, p]) => ({
        venue: 'polymarket',
        instrumentId,
        size: round6(p.size),
        averagePrice: p.bought > 0 ? round6(p.cost / p.bought) : 0,
      }));
  }
}

const sum = (fills: Fill[]): number => fills.reduce((s, f) => s + f.size, 0);
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
