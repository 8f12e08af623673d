// What every channel's send returns, so the worker decides retry / dead letter / sent in one place without knowing
// which transport ran. `retryable` is the transport's judgement (a timeout or a 5xx may pass; a refused address or a
// 404 will not); `retryAfterMs` is the provider's own hint (429 Retry-After) when it gave one.
export type DeliveryResult =
  { ok: true; providerId?: string } | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

export function delivered(providerId?: string): DeliveryResult {
  return providerId === undefined ? { ok: true } : { ok: true, providerId };
}

export function failed(retryable: boolean, error: string, retryAfterMs?: number): DeliveryResult {
  return retryAfterMs === undefined ? { ok: false, retryable, error } : { ok: false, retryable, error, retryAfterMs };
}
