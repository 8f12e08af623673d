// Polymarket's public data-API (https://data-api.polymarket.com): a wallet's trades and activity, newest first,
// paginated by limit/offset. Used to follow other traders' wallets (copy trading). Public, so no key; rate limited by
// a token bucket and retried on 429/5xx/network errors like every other public read here.
import { z } from 'zod';
import { TokenBucket } from '../rate-limit/index.ts';
import { PublicHttp } from './http.ts';
import { NumberLike } from './wire.ts';

/** One row of `GET /trades` (also the trade rows of `GET /activity`). Unknown fields pass through. */
export const DataApiTradeSchema = z
  .object({
    proxyWallet: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    side: z.enum(['BUY', 'SELL']),
    /** The outcome token (CLOB token id): what the wallet bought or sold. */
    asset: z.string().min(1),
    conditionId: z.string(),
    size: NumberLike.pipe(z.number().positive()),
    price: NumberLike.pipe(z.number().gt(0).lt(1)),
    /** Unix seconds. */
    timestamp: z.number().int().nonnegative(),
    transactionHash: z.string().min(1),
    title: z.string().nullish(),
    outcome: z.string().nullish(),
  })
  .loose();
export type DataApiTrade = z.infer<typeof DataApiTradeSchema>;

export const DataApiActivitySchema = DataApiTradeSchema.extend({
  type: z.string(),
  usdcSize: NumberLike.nullish(),
}).loose();
export type DataApiActivity = z.infer<typeof DataApiActivitySchema>;

export interface PolymarketDataApiOptions {
  /** e.g. https://data-api.polymarket.com (simulator: <origin>/data-api). */
  url: string;
  /** The data-API allows on the order of 100 requests per 10 s per IP; 5/s with a burst of 10 stays well below. */
  bucket?: TokenBucket;
  pageSize?: number;
  retries?: number;
  baseDelayMs?: number;
}

export interface TradesSinceOptions {
  /** Stop paging once a page reaches trades at or before this time (unix seconds). */
  afterTimestampSec?: number;
  /** Bound on pages per call: a wallet that trades thousands of times between polls is not paged to its beginning. */
  maxPages?: number;
}

export class PolymarketDataApi {
  readonly pageSize: number;
  private readonly http: PublicHttp;

  constructor(private readonly opts: PolymarketDataApiOptions) {
    this.pageSize = opts.pageSize ?? 100;
    this.http = new PublicHttp({
      bucket: opts.bucket ?? new TokenBucket({ capacity: 10, refillPerSecond: 5 }),
      ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
      ...(opts.baseDelayMs !== undefined ? { baseDelayMs: opts.baseDelayMs } : {}),
    });
  }

  /** One page of a wallet's trades, newest first. Maker fills count too (takerOnly=false): a leader's limit orders are trades. */
  async tradesPage(user: string, offset = 0, limit = this.pageSize): Promise<DataApiTrade[]> {
    const q = new URLSearchParams({
      user: user.toLowerCase(),
      limit: String(limit),
      offset: String(offset),
      takerOnly: 'false',
    });
    return z.array(DataApiTradeSchema).parse(await this.http.getJson(`${this.opts.url}/trades?${q}`));
  }

  /** One page of a wallet's activity (trades, splits, redemptions, ...), newest first. */
  async activityPage(user: string, offset = 0, limit = this.pageSize): Promise<DataApiActivity[]> {
    const q = new URLSearchParams({ user: user.toLowerCase(), limit: String(limit), offset: String(offset) });
    return z.array(DataApiActivitySchema).parse(await this.http.getJson(`${this.opts.url}/activity?${q}`));
  }

  /** A wallet's trades newer than `afterTimestampSec` (all of page one without it), newest first. */
  async tradesSince(user: string, o: TradesSinceOptions = {}): Promise<DataApiTrade[]> {
    const out: DataApiTrade[] = [];
    const after = o.afterTimestampSec;
    const maxPages = o.maxPages ?? (after === undefined ? 1 : 10);
    for (let page = 0; page < maxPages; page++) {
      const rows = await this.tradesPage(user, page * this.pageSize);
      for (const r of rows) if (after === undefined || r.timestamp >= after) out.push(r);
      // Same-second trades may straddle a page edge, so `>=` above and dedup by the caller (transaction hash).
      const reachedOld = after !== undefined && rows.some((r) => r.timestamp < after);
      if (rows.length < this.pageSize || reachedOld) break;
    }
    return out;
  }
}
