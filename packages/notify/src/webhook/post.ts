// POSTs a JSON body through safeFetch and turns what happened into a DeliveryResult: the one place that decides which
// HTTP answers are worth retrying. 2xx delivered; 408, 429 and 5xx retryable (429's Retry-After kept as a hint);
// any other status permanent (the endpoint exists and said no, or moved away past the redirect limit); transport
// failures as SafeFetchError classified them (a timeout or a dropped connection retryable, a refused address not).
import type { DeliveryResult } from '../result.ts';
import { delivered, failed } from '../result.ts';
import type { SafeFetchOptions, SafeResponse } from './safe-fetch.ts';
import { SafeFetchError, safeFetch } from './safe-fetch.ts';

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: SafeFetchOptions,
): Promise<DeliveryResult> {
  try {
    const res = await safeFetch(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body },
      options,
    );
    return classifyResponse(res);
  } catch (error) {
    if (error instanceof SafeFetchError) return failed(error.retryable, `${error.kind}: ${error.message}`);
    throw error;
  }
}

export function classifyResponse(res: SafeResponse, now: Date = new Date()): DeliveryResult {
  if (res.status >= 200 && res.status < 300) return delivered();
  const error = `HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ''}`;
  if (res.status === 429) return failed(true, error, retryAfterMs(res.headers['retry-after'], now));
  if (res.status === 408 || res.status >= 500) return failed(true, error);
  return failed(false, error);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
