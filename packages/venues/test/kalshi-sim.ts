// Shared by the Kalshi adapter tests: the adapter signed in to the simulated Kalshi as one funded account.
import { type SimHandle } from '@polybot/local-stack/testing';
import { createKalshiVenue, type KalshiVenueOptions } from '../src/kalshi/index.ts';

/**
 * Registers `account` (its public key, `balanceCents`) on the running simulator and returns the adapter signed in as
 * it, pointed at the simulator's REST and WebSocket addresses; `options` add the case's own settings.
 */
export function kalshiVenueAs(
  h: SimHandle,
  account: { keyId: string; keys: { publicPem: string; privatePem: string }; balanceCents: number },
  options: Partial<Omit<KalshiVenueOptions, 'basePath' | 'wsUrl' | 'credentials'>> = {},
): ReturnType<typeof createKalshiVenue> {
  h.sim.registerAccount(account.keyId, account.keys.publicPem, account.balanceCents);
  return createKalshiVenue({
    basePath: h.basePath,
    wsUrl: h.wsUrl,
    credentials: { keyId: account.keyId, privateKeyPem: account.keys.privatePem },
    ...options,
  });
}
