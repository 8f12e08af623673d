// Test credentials: fresh RSA keys registered with the simulated Kalshi, random EVM keys for Polymarket.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

export interface KalshiKey {
  keyId: string;
  privatePem: string;
}

export async function registerKalshiKey(simOrigin: string): Promise<KalshiKey> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomUUID();
  const res = await fetch(`${simOrigin}/_sim/kalshi/accounts`, {
    method: 'POST',
    body: JSON.stringify({
      key_id: keyId,
      public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      balance_cents: 1_000_000,
    }),
  });
  if (!res.ok) throw new Error(`kalshi sim accounts → ${res.status} ${await res.text()}`);
  return { keyId, privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export function polymarketKey(): string {
  return `0x${randomBytes(32).toString('hex')}`;
}
