// Polymarket adapter: MarketData (Gamma + CLOB REST + market WebSocket) and Trading (clob-client-v2).
import type { Venue } from '../venue.ts';
import { PolymarketMarketData, type PolymarketMarketDataOptions } from './market-data.ts';
import { PolymarketTrading, type PolymarketTradingOptions } from './trading.ts';

export { PolymarketMarketData, type PolymarketMarketDataOptions } from './market-data.ts';
export { PolymarketTrading, type PolymarketTradingOptions } from './trading.ts';
export { PolymarketHeartbeat, type HeartbeatOptions as PolymarketHeartbeatOptions } from './heartbeat.ts';
export { PolymarketBookStream, type BookStreamOptions, type MarketLifecycleEvent } from './stream.ts';
export { parseMarketState as parsePolymarketMarketState, type PolymarketMarketState } from './lifecycle.ts';
export { LocalBook, BookSummarySchema, summaryToOrderBook, type BookSummary } from './book.ts';
export {
  GammaMarketSchema,
  GammaEventSchema,
  instrumentsOf as gammaInstrumentsOf,
  negRiskGroups,
  parseMarketsPage,
  type GammaMarket,
  type GammaEvent,
} from './gamma.ts';
export { v2OrderHash } from './order-hash.ts';
export {
  probeFunderControl,
  polymarketKeyAddress,
  resolveWallet,
  signatureTypeName,
  type FunderControl,
  type PolymarketSignatureType,
  type PolymarketWallet,
} from './account.ts';
export {
  PolymarketDataApi,
  DataApiTradeSchema,
  DataApiActivitySchema,
  type DataApiTrade,
  type DataApiActivity,
  type PolymarketDataApiOptions,
  type TradesSinceOptions,
} from './data-api.ts';

export const POLYMARKET_PRODUCTION = {
  clobUrl: 'https://clob.polymarket.com',
  gammaUrl: 'https://gamma-api.polymarket.com',
  wsUrl: 'wss://ws-subscriptions-clob.polymarket.com/ws/market',
  dataApiUrl: 'https://data-api.polymarket.com',
} as const;

export type PolymarketVenueOptions = PolymarketMarketDataOptions & Omit<PolymarketTradingOptions, 'clobUrl'>;

/** A live Polymarket venue for one user's key (market data is public and needs none). */
export async function createPolymarketVenue(
  opts: PolymarketVenueOptions,
): Promise<Venue & { marketData: PolymarketMarketData; trading: PolymarketTrading }> {
  const trading = await PolymarketTrading.connect({ ...opts, clobUrl: opts.clobUrl });
  return { marketData: new PolymarketMarketData(opts), trading };
}
export { polymarketPause } from './engine-restart.ts';
