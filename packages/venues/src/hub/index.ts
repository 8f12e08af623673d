export { MarketDataHub, type HubConsumer, type HubStats } from './market-data-hub.ts';
