// Polymarket API-key auth as the venue checks it. L1: an EIP-712 `ClobAuth` signature that must recover
// POLY_ADDRESS. L2: urlsafe-base64 HMAC-SHA256 with the key's secret over ts + METHOD + path (+ body).
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getAddress, isAddress, recoverTypedDataAddress, type Hex } from 'viem';
import { header } from './http.ts';

export const SUPPORTED_CHAINS = [137, 80002] as const;
const MSG_TO_SIGN = 'This message attests that I control the given wallet';

export interface ApiCreds {
  apiKey: string;
  secret: string;
  passphrase: string;
  address: string;
}

export type AuthResult = { ok: true; address: string } | { ok: false; status: number; error: string };

export class ApiKeyStore {
  private readonly byKey = new Map<string, ApiCreds>();
  private readonly byAddressNonce = new Map<string, ApiCreds>();
  /** Lower-cased addresses whose keys were revoked (`/_sim/polymarket/revoke-key`): no L1 or L2 auth any more. */
  private readonly revokedAddresses = new Set<string>();

  /** Like the venue, creating is idempotent per (address, nonce): the same signer gets the same key back. */
  create(address: string, nonce: string): ApiCreds {
    const existing = this.derive(address, nonce);
    if (existing) return existing;
    const creds: ApiCreds = {
      apiKey: randomUUID(),
      secret: randomBytes(32).toString('base64url'),
      passphrase: randomBytes(32).toString('hex'),
      address,
    };
    this.byKey.set(creds.apiKey, creds);
    this.byAddressNonce.set(`${address}:${nonce}`, creds);
    return creds;
  }

  derive(address: string, nonce: string): ApiCreds | undefined {
    return this.byAddressNonce.get(`${address}:${nonce}`);
  }

  get(apiKey: string): ApiCreds | undefined {
    return this.byKey.get(apiKey);
  }

  /** Deletes every API key of the address and refuses it L1 auth from now on; returns how many keys were deleted. */
  revoke(address: string): number {
    const a = address.toLowerCase();
    this.revokedAddresses.add(a);
    let n = 0;
    for (const [k, c] of this.byKey)
      if (c.address.toLowerCase() === a) {
        this.byKey.delete(k);
        n++;
      }
    for (const [k, c] of this.byAddressNonce) if (c.address.toLowerCase() === a) this.byAddressNonce.delete(k);
    return n;
  }

  revoked(address: string): boolean {
    return this.revokedAddresses.has(address.toLowerCase());
  }
}

export async function verifyL1(req: IncomingMessage, keys?: ApiKeyStore): Promise<AuthResult & { nonce?: string }> {
  const address = header(req, 'POLY_ADDRESS');
  const signature = header(req, 'POLY_SIGNATURE');
  const timestamp = header(req, 'POLY_TIMESTAMP');
  const nonce = header(req, 'POLY_NONCE') ?? '0';
  if (
    !address ||
    !signature ||
    !timestamp ||
    !isAddress(address) ||
    !/^\d+$/.test(nonce) ||
    !/^0x[0-9a-fA-F]+$/.test(signature)
  ) {
    return { ok: false, status: 401, error: 'Invalid L1 Request headers' };
  }
  for (const chainId of SUPPORTED_CHAINS) {
    try {
      const recovered = await recoverTypedDataAddress({
        domain: { name: 'ClobAuthDomain', version: '1', chainId },
        types: {
          ClobAuth: [
            { name: 'address', type: 'address' },
            { name: 'timestamp', type: 'string' },
            { name: 'nonce', type: 'uint256' },
            { name: 'message', type: 'string' },
          ],
        },
        primaryType: 'ClobAuth',
        message: { address: getAddress(address), timestamp, nonce: BigInt(nonce), message: MSG_TO_SIGN },
        signature: signature as Hex,
      });
      if (recovered.toLowerCase() === address.toLowerCase())
        return keys?.revoked(address)
          ? { ok: false, status: 401, error: 'Invalid L1 Request headers' }
          : { ok: true, address: getAddress(address), nonce };
    } catch {
      // A malformed signature is simply not valid for this chain.
    }
  }
  return { ok: false, status: 401, error: 'Invalid L1 Request headers' };
}

export function hmacSignature(secret: string, message: string): string {
  const key = Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return createHmac('sha256', key).update(message).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export function verifyL2(
  req: IncomingMessage,
  keys: ApiKeyStore,
  method: string,
  path: string,
  body: string,
): AuthResult {
  const unauthorized: AuthResult = { ok: false, status: 401, error: 'Unauthorized/Invalid api key' };
  const address = header(req, 'POLY_ADDRESS');
  const signature = header(req, 'POLY_SIGNATURE');
  const timestamp = header(req, 'POLY_TIMESTAMP');
  const apiKey = header(req, 'POLY_API_KEY');
  const passphrase = header(req, 'POLY_PASSPHRASE');
  if (!address || !signature || !timestamp || !apiKey || !passphrase) return unauthorized;
  const creds = keys.get(apiKey);
  if (!creds || creds.passphrase !== passphrase || creds.address.toLowerCase() !== address.toLowerCase())
    return unauthorized;
  const expected = hmacSignature(creds.secret, `${timestamp}${method}${path}${body}`);
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return unauthorized;
  return { ok: true, address: creds.address };
}
