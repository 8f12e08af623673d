// One set of kalshi-typescript API objects per credential, with client-side rate limiting and retries.
// Each SDK API class installs a signing interceptor on the axios instance it is given; with the default global
// instance, two users' clients in one process would sign each other's requests. So every client gets its own.
import axios, { isAxiosError } from 'axios';
import { z } from 'zod';
import { Configuration, EventsApi, ExchangeApi, MarketApi, OrdersApi, PortfolioApi } from 'kalshi-typescript';
import {
  HeaderRateLimiter,
  isRetryableStatus,
  kalshiTierLimits,
  TokenBucket,
  withRetry,
  type KalshiTier,
  type RetryOptions,
} from '../rate-limit/index.ts';

export interface KalshiCredentials {
  /** Kalshi API key id. */
  keyId: string;
  /** RSA private key, PEM. */
  privateKeyPem: string;
}

export interface KalshiClientOptions {
  /** e.g. https://external-api.kalshi.com/trade-api/v2 */
  basePath: string;
  credentials?: KalshiCredentials;
  /** The key's API tier (Kalshi grants higher ones): sets both budgets below unless given. Default 'basic'. */
  tier?: KalshiTier;
  /** Kalshi's Basic tier allows 20 reads/s and 10 writes/s; defaults stay below the tier's limits with headroom. */
  readsPerSecond?: number;
  writesPerSecond?: number;
  retry?: Partial<Omit<RetryOptions, 'isRetryable'>>;
}

export class KalshiClient {
  readonly market: MarketApi;
  readonly events: EventsApi;
  readonly orders: OrdersApi;
  readonly portfolio: PortfolioApi;
  /** `GET /exchange/status` (exchange-status.ts). */
  readonly exchange: ExchangeApi;
  private readonly reads: TokenBucket;
  private readonly writes: TokenBucket;
  private readonly retry: Omit<RetryOptions, 'isRetryable'>;
  /** A 429's Retry-After holds every request of this key until then. */
  readonly venueLimits = new HeaderRateLimiter();

  constructor(readonly options: KalshiClientOptions) {
    const instance = axios.create({ timeout: 15_000 });
    instance.interceptors.response.use(undefined, (e: unknown) => {
      if (isAxiosError(e) && e.response)
        this.venueLimits.observe(e.response.status, e.response.headers as Record<string, unknown>);
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    });
    const config = new Configuration({
      basePath: options.basePath,
      apiKey: options.credentials?.keyId,
      privateKeyPem: options.credentials?.privateKeyPem,
    });
    this.market = new MarketApi(config, options.basePath, instance);
    this.events = new EventsApi(config, options.basePath, instance);
    this.orders = new OrdersApi(config, options.basePath, instance);
    this.portfolio = new PortfolioApi(config, options.basePath, instance);
    this.exchange = new ExchangeApi(config, options.basePath, instance);
    const tier = kalshiTierLimits(options.tier ?? 'basic');
    const rps = options.readsPerSecond ?? tier.readsPerSecond;
    const wps = options.writesPerSecond ?? tier.writesPerSecond;
    this.reads = new TokenBucket({ capacity: rps, refillPerSecond: rps });
    this.writes = new TokenBucket({ capacity: wps, refillPerSecond: wps });
    this.retry = { retries: 4, baseDelayMs: 200, maxDelayMs: 5_000, ...options.retry };
  }

  /** A read: rate limited, retried on 429/5xx/network errors (reads are idempotent). */
  read<T>(fn: () => Promise<{ data: T }>): Promise<T> {
    return withRetry(
      async () => {
        await this.venueLimits.wait();
        await this.reads.take();
        return (await fn()).data;
      },
      { ...this.retry, isRetryable: isTransient },
    );
  }

  /** A write: rate limited, never retried here — the caller decides (orders need an idempotency check first). */
  async write<T>(fn: () => Promise<{ data: T }>): Promise<T> {
    await this.venueLimits.wait();
    await this.writes.take();
    return (await fn()).data;
  }
}

/** 429, 5xx, or no response at all (the request may or may not have reached the venue). */
export function isTransient(e: unknown): boolean {
  if (!isAxiosError(e)) return false;
  return e.response === undefined || isRetryableStatus(e.response.status);
}

const ErrorFields = z.object({ code: z.string().optional(), message: z.string().optional() });
const ErrorBody = z.union([z.object({ error: ErrorFields }), ErrorFields]);

export interface KalshiApiError {
  status: number | null;
  code: string | null;
  message: string;
}

/** Kalshi's error body `{"error":{"code","message"}}` (or a bare `{code,message}`) out of an SDK failure. */
export function kalshiError(e: unknown): KalshiApiError {
  if (!isAxiosError(e)) return { status: null, code: null, message: e instanceof Error ? e.message : String(e) };
  const parsed = ErrorBody.safeParse(e.response?.data);
  const body = parsed.success ? ('error' in parsed.data ? parsed.data.error : parsed.data) : {};
  return { status: e.response?.status ?? null, code: body.code ?? null, message: body.message ?? e.message };
}
