// Polymarket's per-signer rate-limit headers (rate-limit/header-limit.ts) out of clob-client-v2's responses. The SDK
// calls the shared axios instance and keeps no headers, so one response interceptor on that instance reads them and
// hands them to the limiter of the request's signer (`POLY_ADDRESS`) and bucket (orders or cancels), unmodified SDK.
import axios, { isAxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { HeaderRateLimiter } from '../rate-limit/index.ts';

export type PolymarketBucket = 'order' | 'cancel';

const limiters = new Map<string, HeaderRateLimiter>();
let installed = false;

/** Which of a signer's buckets a request draws from (docs "CLOB Trading Rate Limits"); null: neither. */
export function bucketOf(method: string | undefined, url: string | undefined): PolymarketBucket | null {
  let path: string;
  try {
    path = new URL(url ?? '').pathname;
  } catch {
    return null;
  }
  const m = (method ?? '').toUpperCase();
  if (m === 'POST' && (path.endsWith('/order') || path.endsWith('/orders'))) return 'order';
  if (m === 'DELETE' && /\/(order|orders|cancel-all|cancel-market-orders)$/.test(path)) return 'cancel';
  return null;
}

function observe(config: InternalAxiosRequestConfig | undefined, res: AxiosResponse | undefined): void {
  if (!config || !res) return;
  const bucket = bucketOf(config.method, config.url);
  const address = config.headers?.get?.('POLY_ADDRESS') ?? config.headers?.['POLY_ADDRESS'];
  if (bucket === null || typeof address !== 'string') return;
  limiters.get(`${address.toLowerCase()}|${bucket}`)?.observe(res.status, res.headers as Record<string, unknown>);
}

/** The limiter for one signer's bucket; installs the interceptor on first use. */
export function signerLimiter(address: string, bucket: PolymarketBucket): HeaderRateLimiter {
  if (!installed) {
    installed = true;
    axios.interceptors.response.use(
      (res) => {
        observe(res.config, res);
        return res;
      },
      (err: unknown) => {
        if (isAxiosError(err)) observe(err.config, err.response);
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }
  const key = `${address.toLowerCase()}|${bucket}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new HeaderRateLimiter();
    limiters.set(key, limiter);
  }
  return limiter;
}
