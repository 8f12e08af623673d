// `POST /_sim/kalshi/revoke-key {keyId}`: the member's API key is deleted, as when a user removes it on Kalshi. Every
// signed request with it (REST and the WebSocket upgrade) answers 401 with Kalshi's envelope
// `{"error":{"code":"authentication_error","message":"unknown api key"}}`. The account and its money stay.
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';

export const RevokeKeyBodySchema = z.object({ keyId: z.string().min(1) });

export function revokeKey(keys: Map<string, KeyObject>, body: unknown): { status: number; body: unknown } {
  const parsed = RevokeKeyBodySchema.safeParse(body);
  if (!parsed.success)
    return { status: 400, body: { error: { code: 'invalid_parameters', message: z.prettifyError(parsed.error) } } };
  if (!keys.delete(parsed.data.keyId))
    return { status: 404, body: { error: { code: 'not_found', message: 'kalshi sim: no such api key' } } };
  return { status: 200, body: { revoked: parsed.data.keyId } };
}
