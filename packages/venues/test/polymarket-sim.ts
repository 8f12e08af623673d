// Shared by the Polymarket adapter and hub tests: the venue simulator (Polymarket only) on 127.0.0.1:0.
import { polymarketFactory, startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { PolymarketMarketData } from '../src/polymarket/market-data.ts';

export type { VenueSim };

export async function startPolymarketSim(scenario: 'quiet' | 'arb-rich' | 'stress'): Promise<VenueSim> {
  return startVenueSim({ scenario, venues: [polymarketFactory], autoAdvance: false });
}

export function marketDataFor(sim: VenueSim): PolymarketMarketData {
  return new PolymarketMarketData({
    clobUrl: sim.urls.polymarketClob ?? sim.origin,
    gammaUrl: sim.urls.polymarketGamma ?? `${sim.origin}/gamma`,
    wsUrl: sim.urls.polymarketWs ?? '',
    reconnectBaseMs: 20,
    reconnectMaxMs: 200,
  });
}

export async function simControl(sim: VenueSim, action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.origin}/_sim/polymarket/${action}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sim control ${action} → ${res.status} ${await res.text()}`);
  return res.json();
}

export interface PolymarketSimStats {
  connections: number;
  subscriptions: Record<string, number>;
  totalSubscriptions: number;
}

export async function simStats(sim: VenueSim): Promise<PolymarketSimStats> {
  const body = (await (await fetch(`${sim.origin}/_sim/stats`)).json()) as {
    venues: { polymarket: PolymarketSimStats };
  };
  return body.venues.polymarket;
}

/** Waits (bounded by the test timeout, never asserting on time) until `check` holds. */
export async function until(check: () => boolean | Promise<boolean>, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`condition never held: ${what}`);
}

export const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';
export const BTC_DOWN = '22943400237250229318795315882775337816951160275867284205243766113690886285726';
export const FED_NO_CHANGE_NO = '40302938956091099752849867077837976978448552504757012372843872340644441002059';
