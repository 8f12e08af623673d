// A simulated Kalshi on 127.0.0.1:0 with its clock in the test's hands (the adapter tests in @polybot/venues).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKalshiSim, type KalshiSim } from '../src/venue-sim/kalshi/index.ts';
import { SCENARIOS_DIR } from '../src/venue-sim/scenario.ts';
import { keyPair } from './kalshi-sdk.ts';
import { serveVenue } from './venue-server.ts';

export interface SimHandle {
  sim: KalshiSim;
  basePath: string;
  wsUrl: string;
  /** Moves scenario time forward and applies it. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startKalshiSim(scenario: 'quiet' | 'arb-rich' | 'stress'): Promise<SimHandle> {
  const file = join(SCENARIOS_DIR, scenario, 'kalshi.json');
  let now = Date.now();
  const sim = createKalshiSim(JSON.parse(readFileSync(file, 'utf8')), { clock: () => now });
  const server = await serveVenue(sim);
  return {
    sim,
    basePath: `${server.origin}/trade-api/v2`,
    wsUrl: `${server.origin.replace(/^http/, 'ws')}/trade-api/ws/v2`,
    advance(ms) {
      now += ms;
      sim.advanceTo(now);
    },
    close: () => server.close(),
  };
}

export interface KalshiKey {
  keyId: string;
  privatePem: string;
}

/** A fresh RSA key registered with a running simulated Kalshi (`simOrigin`), as a user's or the platform's key would
 * be with Kalshi, on an account holding $10,000. */
export async function registerKalshiKey(simOrigin: string): Promise<KalshiKey> {
  const { publicPem, privatePem } = keyPair();
  const keyId = randomUUID();
  const res = await fetch(`${simOrigin}/_sim/kalshi/accounts`, {
    method: 'POST',
    body: JSON.stringify({ key_id: keyId, public_key_pem: publicPem, balance_cents: 1_000_000 }),
  });
  if (!res.ok) throw new Error(`kalshi sim accounts → ${res.status} ${await res.text()}`);
  return { keyId, privatePem };
}
