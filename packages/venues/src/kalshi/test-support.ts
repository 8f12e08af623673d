// Shared by the Kalshi adapter tests: a simulated Kalshi on 127.0.0.1:0 and fresh RSA keys.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
// Test-only reach into the simulator's sources: @polybot/local-stack exports no venue-sim entry point yet.
import { createKalshiSim, type KalshiSim } from '../../../local-stack/src/venue-sim/kalshi/index.ts';
import { serveVenue } from '../../../local-stack/src/venue-sim/kalshi/test-server.ts';

export interface Keys {
  publicPem: string;
  privatePem: string;
}

export function rsaKeys(): Keys {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export interface SimHandle {
  sim: KalshiSim;
  basePath: string;
  wsUrl: string;
  /** Moves scenario time forward and applies it. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startKalshiSim(scenario: 'quiet' | 'arb-rich' | 'stress'): Promise<SimHandle> {
  const url = new URL(`../../../local-stack/scenarios/${scenario}/kalshi.json`, import.meta.url);
  let now = Date.now();
  const sim = createKalshiSim(JSON.parse(readFileSync(url, 'utf8')), { clock: () => now });
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

/** Polls `check` until it stops throwing (bounded by attempts, not by wall-clock assertions). */
export async function eventually(check: () => void | Promise<void>, attempts = 400): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await check();
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw last;
}
