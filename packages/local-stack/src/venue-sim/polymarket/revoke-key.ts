// `POST /_sim/polymarket/revoke-key {address}`: the wallet's API keys are revoked, as when a user deletes them or
// Polymarket bans the wallet. Every L2 request with them answers 401 `{"error":"Unauthorized/Invalid api key"}` and
// L1 auth (creating or deriving keys) for the address answers 401 `{"error":"Invalid L1 Request headers"}`, so a
// re-validation cannot quietly derive a fresh key either. Tests of "keys stay true" use it.
import { z } from 'zod';
import type { SimControlResult } from '../types.ts';
import type { ApiKeyStore } from './auth.ts';

export const RevokeKeyBodySchema = z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/) });

export function revokeKey(keys: ApiKeyStore, body: unknown): SimControlResult {
  const parsed = RevokeKeyBodySchema.safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: z.prettifyError(parsed.error) } };
  return { status: 200, body: { revokedKeys: keys.revoke(parsed.data.address) } };
}
