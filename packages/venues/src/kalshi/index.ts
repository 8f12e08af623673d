// Kalshi adapter: MarketData + Trading over kalshi-typescript 3.30.0 and Kalshi's WebSocket.
import type { Venue } from '../venue.ts';
import { KalshiClient, type KalshiClientOptions, type KalshiCredentials } from './client.ts';
import { KalshiMarketData, type KalshiMarketDataOptions } from './market-data.ts';
import { KalshiTrading } from './trading.ts';

export {
  KalshiClient,
  isTransient as isKalshiTransient,
  kalshiError,
  type KalshiApiError,
  type KalshiClientOptions,
  type KalshiCredentials,
} from './client.ts';
export { KalshiMarketData, type KalshiMarketDataOptions } from './market-data.ts';
export { KalshiTrading, type KalshiTradingOptions } from './trading.ts';
export { KalshiBookStream, kalshiWsHeaders, type StreamOptions } from './stream.ts';
export { kalshiExchangeStatus, kalshiPause, type KalshiExchangeStatus } from './exchange-status.ts';
export {
  kalshiMarketStates,
  kalshiSettlements,
  parseMarketState as parseKalshiMarketState,
  type KalshiMarketState,
  type KalshiSettlement,
} from './lifecycle.ts';
// Prefixed on the way out: the package index re-exports every venue side by side.
export {
  instrumentsOf as kalshiInstrumentsOf,
  parseMarket as parseKalshiMarket,
  sideBook as kalshiSideBook,
  splitInstrumentId as splitKalshiInstrumentId,
  bidsFromLevels as kalshiBidsFromLevels,
  type KalshiMarket,
} from './parse.ts';

export const KALSHI_PRODUCTION = {
  basePath: 'https://external-api.kalshi.com/trade-api/v2',
  wsUrl: 'wss://external-api.kalshi.com/trade-api/ws/v2',
} as const;
export const KALSHI_DEMO = {
  basePath: 'https://external-api.demo.kalshi.co/trade-api/v2',
  wsUrl: 'wss://external-api.demo.kalshi.co/trade-api/ws/v2',
} as const;

export interface KalshiVenueOptions extends Omit<KalshiClientOptions, 'credentials'> {
  wsUrl: string;
  credentials: KalshiCredentials;
  /** Reconnect backoff of the book stream. */
  stream?: KalshiMarketDataOptions['stream'];
}

/** A live Kalshi venue for one user's credentials (market data uses them too: Kalshi's WebSocket requires auth). */
export function createKalshiVenue(opts: KalshiVenueOptions): Venue & { client: KalshiClient } {
  const client = new KalshiClient(opts);
  return {
    client,
    marketData: new KalshiMarketData({ client, wsUrl: opts.wsUrl, credentials: opts.credentials, stream: opts.stream }),
    trading: new KalshiTrading({ client }),
  };
}
