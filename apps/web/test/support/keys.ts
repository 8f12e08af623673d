// Test credentials: fresh RSA keys registered with the simulated Kalshi, random EVM keys for Polymarket.
import { randomBytes } from 'node:crypto';

export { registerKalshiKey, type KalshiKey } from '@polybot/local-stack/testing';

export function polymarketKey(): string {
  return `0x${randomBytes(32).toString('hex')}`;
}
