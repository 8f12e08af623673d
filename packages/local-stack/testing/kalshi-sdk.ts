// Test helpers for the simulated Kalshi: keys, SDK clients with their own axios instance, scenario files, and SDK
// error bodies.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios, { isAxiosError } from 'axios';
import { Configuration, EventsApi, MarketApi, OrdersApi, PortfolioApi } from 'kalshi-typescript';
import { SCENARIOS_DIR } from '../src/venue-sim/scenario.ts';

export const scenarioPath = (name: string): string => join(SCENARIOS_DIR, name, 'kalshi.json');
export const loadScenario = (name: string): unknown => JSON.parse(readFileSync(scenarioPath(name), 'utf8'));

/** The smallest Kalshi scenario: one event (KXTEST-26JAN01) of one market (KXTEST-26JAN01-A) with the given book. */
export function oneMarketScenario(book: { yes: [string, string][]; no: [string, string][] }) {
  return {
    events: [
      {
        event_ticker: 'KXTEST-26JAN01',
        series_ticker: 'KXTEST',
        title: 'Test',
        mutually_exclusive: false,
        markets: [
          {
            ticker: 'KXTEST-26JAN01-A',
            title: 'A?',
            yes_sub_title: 'A',
            close_time: '2026-01-01T00:00:00Z',
            book,
          },
        ],
      },
    ],
  };
}

export function keyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function apis(basePath: string, apiKey: string, privateKeyPem: string) {
  // A private axios instance per client: the SDK adds its signing interceptor to whatever instance it is given.
  const instance = axios.create();
  const config = new Configuration({ apiKey, privateKeyPem, basePath });
  return {
    market: new MarketApi(config, basePath, instance),
    events: new EventsApi(config, basePath, instance),
    orders: new OrdersApi(config, basePath, instance),
    portfolio: new PortfolioApi(config, basePath, instance),
  };
}

export async function errorOf(p: Promise<unknown>): Promise<{ status: number | undefined; body: unknown }> {
  try {
    await p;
  } catch (err) {
    if (isAxiosError(err)) return { status: err.response?.status, body: err.response?.data };
    throw err;
  }
  throw new Error('expected the request to fail');
}
