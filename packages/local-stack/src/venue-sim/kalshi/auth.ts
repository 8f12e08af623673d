// Verifies Kalshi's three request headers the way the venue does: RSA-PSS-SHA256 (salt = digest length) over
// `timestamp + METHOD + pathname`, pathname including /trade-api/v2 and excluding the query string.
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Kalshi refuses requests whose timestamp is too far from its clock. */
export const MAX_CLOCK_SKEW_MS = 30_000;

export type AuthResult = { ok: true; keyId: string } | { ok: false; message: string };

export function parsePublicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name.toLowerCase()];
  return typeof v === 'string' && v.length > 0 ? v : null;
}

export function verifyKalshiSignature(
  headers: IncomingHttpHeaders,
  method: string,
  pathname: string,
  keys: ReadonlyMap<string, KeyObject>,
  nowMs: number,
): AuthResult {
  const keyId = header(headers, 'KALSHI-ACCESS-KEY');
  const ts = header(headers, 'KALSHI-ACCESS-TIMESTAMP');
  const sig = header(headers, 'KALSHI-ACCESS-SIGNATURE');
  if (!keyId || !ts || !sig) return { ok: false, message: 'missing authentication headers' };
  const key = keys.get(keyId);
  if (!key) return { ok: false, message: 'unknown api key' };
  if (!/^\d{1,16}$/.test(ts) || Math.abs(nowMs - Number(ts)) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, message: 'request timestamp outside the allowed window' };
  }
  const valid = verify(
    'sha256',
    Buffer.from(ts + method.toUpperCase() + pathname),
    { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
    Buffer.from(sig, 'base64'),
  );
  return valid ? { ok: true, keyId } : { ok: false, message: 'invalid signature' };
}
